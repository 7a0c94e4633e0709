import ArgumentParser
import Foundation
import Ingest
import Storage
import IngestDaemon
import Traces

/// `ingestctl status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What ingestd is doing: state, source, straps, recent sessions. Exits 3 when it is not running."
    )

    @OptionGroup var options: StateOptions

    func run() throws {
        let path = options.stateDirectory + "/" + StatusSnapshot.fileName
        var snapshot: StatusSnapshot
        var running = false
        var answer: Data? = nil
        do {
            // A running daemon answers on its control socket.
            answer = try ControlClient.request(["request": "status"], socketPath: options.socket)
        } catch ControlClient.Failure.notRunning {
            answer = nil
        } catch {
            // A daemon that refuses us or does not answer is not "not running": say what happened.
            StandardError.write("ingestctl: \(error)\n")
            throw ExitCode(1)
        }
        if let answer {
            guard let live = try? JSONLines.decode(StatusSnapshot.self, from: [UInt8](answer)) else {
                StandardError.write("ingestctl: the daemon's status answer is not a status snapshot\n")
                throw ExitCode(1)
            }
            snapshot = live
            running = true
        } else {
            // Otherwise: what the daemon last wrote.
            do {
                snapshot = try JSONLines.decode(StatusSnapshot.self, from: try WholeFile.read(path))
            } catch {
                print("○ ingestd — not running (no answer on \(options.socket), no status at \(path))")
                print("  hint: systemctl start ingestd, or ingestd --replay FILE --control-socket \(options.socket)")
                throw ExitCode(3)
            }
            running = StatusText.isRunning(snapshot)
        }
        print(options.json ? JSONLines.line(snapshot) : StatusText.describe(snapshot, running: running))
        if !options.json {
            let (sessions, problems) = StoredState.days(stateDirectory: options.stateDirectory)
            for p in problems { StandardError.write("ingestctl: \(p)\n") }
            if !sessions.isEmpty {
                let roster = ((try? ConfigLoader.load(path: nil)) ?? IngestConfiguration()).roster
                let person = roster.defaultAthlete
                let people = Set(sessions.map { $0.athlete ?? roster.defaultID }).sorted()
                let today = Int((WallClock.now() / 86_400).rounded(.down))
                if people.count > 1 {
                    // A gym: one line per athlete with a session on the latest day, weeks per athlete.
                    let day = min(today, sessions.map(\.day).max() ?? today)
                    let on = day == today ? "" : " (on \(ISO8601.format(Double(day) * 86_400).prefix(10)))"
                    var first = true
                    for id in people {
                        let theirs = WeekText.sessions(of: id, in: sessions, defaultID: roster.defaultID)
                        guard theirs.contains(where: { $0.day == day }) else { continue }
                        print((first ? "      Today: " : "             ") + "\(id): " + WeekText.today(theirs, day: day) + on)
                        first = false
                    }
                    print("       Week: \(people.count) athletes; ingestctl week --athlete ID (\(people.joined(separator: ", ")))")
                } else {
                    let week = WeekText.context(of: people.first ?? person.id, sessions, defaultID: roster.defaultID, today: today,
                                                genotype: (roster.athlete(id: people.first ?? person.id) ?? person).ftoGenotype)
                    let lines = WeekText.describe(week, indent: "")
                    let day = Int((ISO8601.parse(week.weekEnding + "T00:00:00Z") ?? 0) / 86_400)
                    print("      Today: " + WeekText.today(sessions, day: day) + (week.basis == "today" ? "" : " (on \(week.weekEnding))"))
                    print("       Week: " + lines[0])
                    for l in lines.dropFirst() { print("           " + l) }
                }
            }
        }
        if !running { throw ExitCode(3) }
    }
}
