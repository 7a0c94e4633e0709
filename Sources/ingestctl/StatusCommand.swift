import ArgumentParser
import Ingest
import IngestDaemon

/// `ingestctl status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What ingestd is doing: state, source, straps, recent sessions. Exits 3 when it is not running."
    )

    @OptionGroup var options: StateOptions

    func run() throws {
        let path = options.stateDirectory + "/" + StatusSnapshot.fileName
        let snapshot: StatusSnapshot
        do {
            snapshot = try JSONLines.decode(StatusSnapshot.self, from: try readWholeFile(path))
        } catch {
            print("○ ingestd — not running (no status at \(path))")
            throw ExitCode(3)
        }
        let running = StatusText.isRunning(snapshot)
        print(options.json ? JSONLines.line(snapshot) : StatusText.describe(snapshot, running: running))
        if !options.json {
            var problems: [String] = []
            let sessions = WeeklyStore.load(path: options.stateDirectory + "/" + WeeklyStore.fileName, problems: &problems)
            if !sessions.isEmpty {
                let genotype = (try? ConfigLoader.load(path: nil))?.ftoGenotype
                let week = WeekText.context(sessions, today: Int((WallClock.now() / 86_400).rounded(.down)), genotype: genotype)
                let lines = WeekText.describe(week, indent: "")
                print("       Week: " + lines[0])
                for l in lines.dropFirst() { print("           " + l) }
            }
        }
        if !running { throw ExitCode(3) }
    }
}
