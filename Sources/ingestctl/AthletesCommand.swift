import ArgumentParser
import Foundation
import Ingest
import IngestDaemon
import Storage

/// `ingestctl athletes`: who wears which strap, and what was learned of each person.
struct AthletesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athletes",
        abstract: "The athletes: their straps, what they gave, the HRmax/HRrest learned from their sessions.",
        discussion: "Asks the running daemon; when none runs, reads the config and the state database."
    )

    @OptionGroup var options: StateOptions

    @Option(name: .long, help: "The daemon's config, when no daemon runs (default /etc/ingestd/ingestd.toml if present).")
    var config: String?

    func run() throws {
        var records: [AthleteRecord]
        do {
            let data = try ControlClient.request(["request": "athletes"], socketPath: options.socket)
            guard let live = try? JSONLines.decode([AthleteRecord].self, from: [UInt8](data)) else {
                StandardError.write("ingestctl: the daemon's athletes answer is not a list of athletes\n")
                throw ExitCode(1)
            }
            records = live
        } catch ControlClient.Failure.notRunning {
            let configuration: IngestConfiguration
            do {
                configuration = try ConfigLoader.load(path: config)
            } catch {
                StandardError.write("ingestctl: config error: \(error)\n")
                throw ExitCode(2)
            }
            let kept = AthleteStore.contents(stateDirectory: options.stateDirectory)
            for p in kept.problems { StandardError.write("ingestctl: \(p)\n") }
            var roster = configuration.roster
            roster.assignments = kept.assignments
            records = AthleteRecord.all(roster, learned: kept.learned)
        } catch let failure as ControlClient.Failure {
            StandardError.write("ingestctl: \(failure)\n")
            throw ExitCode(1)
        }
        if options.json {
            print(JSONLines.line(records))
            return
        }
        for r in records { print(Self.describe(r)) }
    }

    /// A few lines about one athlete.
    static func describe(_ r: AthleteRecord) -> String {
        var head = "\(r.id)" + (r.name != r.id ? " (\(r.name))" : "") + (r.isDefault ? ", default for unclaimed straps" : "")
        let straps = r.straps + r.assignedStraps.map { $0 + " (assigned)" }
        if !straps.isEmpty { head += ": " + straps.joined(separator: ", ") }
        var lines = [head]
        if let wearing = r.wearing, !wearing.isEmpty { lines.append("  wearing now   " + wearing.joined(separator: ", ")) }
        let given = [r.age.map { "age \($0)" }, r.sex, r.restingHeartRate.map { "HRrest \(Int($0))" },
                     r.maximumHeartRate.map { "HRmax \(Int($0))" }].compactMap { $0 }
        lines.append("  given         " + (given.isEmpty ? "nothing (defaults)" : given.joined(separator: ", ")))
        let learned = [r.learned?.maximum.map { "HRmax \(bpm($0.bpm)) in \($0.session)" },
                       r.learned?.resting.map { "HRrest \(bpm($0.bpm)) in \($0.session)" }].compactMap { $0 }
        lines.append("  learned       " + (learned.isEmpty ? "nothing yet" : learned.joined(separator: ", ")))
        lines.append("  next session  HRmax \(bpm(r.nextSession.hrMax)), HRrest \(bpm(r.nextSession.hrRest))")
        return lines.joined(separator: "\n")
    }

    private static func bpm(_ v: Double) -> String { String((v * 10).rounded() / 10) }
}
