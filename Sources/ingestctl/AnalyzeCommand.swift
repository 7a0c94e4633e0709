import ArgumentParser
import Glibc
import Ingest
import IngestDaemon
import Physiology
import Traces

/// `ingestctl analyze FILE`: runs the engine in-process over a recording.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run the engine over a recording (CSV, FIT, raw log or btsnoop) and print the sessions found."
    )

    @Argument(help: "The recording.")
    var file: String

    @Flag(name: .long, help: "One JSON object per line (\"kind\": \"session\").")
    var json = false

    @Option(name: .long, help: "Age in years (for HRmax).")
    var age: Int?

    @Option(name: .long, help: "Sex, `male` or `female` (for the TRIMP constants).")
    var sex: String?

    @Option(name: .long, help: "A daemon configuration file whose athlete and engine settings apply.")
    var config: String?

    @Option(name: .long, help: "btsnoop only: the Heart Rate Measurement value handle, for a capture without the discovery (e.g. 0x000e or 14).")
    var attHandle: String?

    @Option(name: .long, help: "The strap (AA:BB:CC:DD:EE:FF) a CSV or FIT recording came from, for its session IDs; raw logs and btsnoop captures name their own.")
    var device: String?

    private var parsedHandle: UInt16? {
        guard let attHandle else { return nil }
        return attHandle.hasPrefix("0x") ? UInt16(attHandle.dropFirst(2), radix: 16) : UInt16(attHandle)
    }

    func validate() throws {
        if let age, !(5...110).contains(age) { throw ValidationError("--age must be 5…110, not \(age)") }
        if attHandle != nil && (parsedHandle ?? 0) == 0 {
            throw ValidationError("--att-handle must be a handle 1…65535 (decimal or 0x hex), not `\(attHandle!)`")
        }
        if let device, DeviceAddress(device) == nil {
            throw ValidationError("--device must be an address like A0:9E:1A:00:00:01, not `\(device)`")
        }
        if let sex, AthleteProfile.Sex(rawValue: sex) == nil {
            throw ValidationError("--sex must be `male` or `female`, not `\(sex)`")
        }
    }

    func run() throws {
        var configuration = IngestConfiguration()
        if let config {
            do {
                configuration = try ConfigLoader.load(path: config)
            } catch {
                StandardError.write("ingestctl: config error: \(error)\n")
                throw ExitCode(2)  // a bad config is a usage error (DESIGN.md exit codes)
            }
        }
        var profile = configuration.athlete
        if let age { profile.age = age }
        if let sex { profile.sex = AthleteProfile.Sex(rawValue: sex) }
        var opened = try openTrace(file, attHandle: parsedHandle)
        let printer = SessionPrinter(json: json)
        // One pipeline per strap in the recording (a btsnoop capture of two straps is two people).
        let (outcome, pipelines) = TraceReplay.run(&opened.reader, device: device.flatMap(DeviceAddress.init) ?? .replay,
                                                   pipelineFor: { address in
            let pipeline = StrapPipeline(device: address, profile: profile, constants: configuration.engine, sinks: [printer])
            // With the daemon's config, each strap's sessions are its wearer's, as the daemon's
            // are (from the config alone: what the daemon learned stays out of an analysis).
            if config != nil {
                let roster = configuration.roster
                pipeline.wearer = { address in
                    var athlete = roster.athlete(for: address)
                    if let age { athlete.profile.age = age }
                    if let sex { athlete.profile.sex = AthleteProfile.Sex(rawValue: sex) }
                    return (athlete, nil)
                }
                pipeline.updateWearer()
            }
            return pipeline
        }) { damage in
            StandardError.write("ingestctl: warning: \(damage)\n")
        }
        if !json && printer.count == 0 {
            print("no session found in \(file) (\(pipelines.reduce(0) { $0 + $1.samples }) samples)")
        }
        if case .failed(let error) = outcome {
            StandardError.write("ingestctl: \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// Prints each finished session as it comes.
final class SessionPrinter: PipelineSink {
    let json: Bool
    private(set) var count = 0

    init(json: Bool) { self.json = json }

    func receive(_ event: PipelineEvent) {
        switch event {
        case .sessionEnded(let record):
            count += 1
            print(json ? JSONLines.line(record) : SessionText.describe(record))
        case .badNotification(let device, let time, let error):
            StandardError.write("ingestctl: bad notification from \(device) at \(ISO8601.format(time)): \(error)\n")
        default:
            break
        }
    }
}
