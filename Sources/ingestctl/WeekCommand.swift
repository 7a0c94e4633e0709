import ArgumentParser
import Ingest
import Storage
import IngestDaemon
import Physiology
import Traces

/// `ingestctl week`.
struct WeekCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "week",
        abstract: "The weekly context: WHO activity, strength days, fitness/fatigue, load flags, HPG-axis caution."
    )

    @OptionGroup var options: StateOptions

    @Option(name: .long, help: "End the week on this date (YYYY-MM-DD, UTC).")
    var asOf: String?

    @Option(name: .long, help: "The daemon's config, for the athletes and their FTO genotype (default /etc/ingestd/ingestd.toml if present).")
    var config: String?

    @Option(name: .long, help: "Whose week (an [[athlete]] id; default: the default athlete, who has every session of a one-person setup).")
    var athlete: String?

    func validate() throws {
        if let asOf, ISO8601.parse(asOf + "T00:00:00Z") == nil {
            throw ValidationError("--as-of takes a date like 2026-11-25, not `\(asOf)`")
        }
    }

    func run() throws {
        let roster: AthleteRoster
        do {
            roster = try ConfigLoader.load(path: config).roster
        } catch {
            StandardError.write("ingestctl: config error: \(error)\n")
            throw ExitCode(2)  // a bad config is a usage error (DESIGN.md exit codes)
        }
        guard let person = roster.athlete(id: athlete ?? roster.defaultID) else {
            StandardError.write("ingestctl: no athlete \"\(athlete ?? "")\" in the config (known: \(roster.athletes.map(\.id).joined(separator: ", ")))\n")
            throw ExitCode(1)
        }
        let (sessions, problems) = StoredState.days(stateDirectory: options.stateDirectory)
        for p in problems { StandardError.write("ingestctl: \(p)\n") }
        let today = Int((WallClock.now() / 86_400).rounded(.down))
        let asOfDay = asOf.flatMap { ISO8601.parse($0 + "T00:00:00Z") }.map { Int($0 / 86_400) }
        let week = WeekText.context(of: person.id, sessions, defaultID: roster.defaultID, today: today, asOf: asOfDay,
                                    genotype: person.ftoGenotype)
        print(options.json ? JSONLines.line(week) : WeekText.describe(week).joined(separator: "\n"))
    }
}
