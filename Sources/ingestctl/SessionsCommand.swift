import ArgumentParser
import Glibc
import Ingest
import Storage
import IngestDaemon
import Physiology
import Traces

/// `ingestctl sessions`.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the recorded sessions, oldest first."
    )

    @OptionGroup var options: StateOptions

    @Option(name: .long, help: "Read the sessions from this directory of journal files instead (see `ingestctl fleet`).")
    var journalDir: String?

    @Option(name: .long, help: "Only this athlete's sessions (an [[athlete]] id; sessions from before athletes count as `default`).")
    var athlete: String?

    @Option(name: .long, help: "Only sessions that started on or after this date (YYYY-MM-DD, UTC).")
    var since: String?

    @Option(name: .customLong("class"), help: "Only sessions of this class (resistance, endurance, hiit, unclassified).")
    var sessionClass: SessionClass?

    func validate() throws {
        if let since, ISO8601.parse(since + "T00:00:00Z") == nil {
            throw ValidationError("--since takes a date like 2026-11-25, not `\(since)`")
        }
        if let athlete, !Athlete.isIdentifier(athlete) { throw ValidationError("`\(athlete)` is not an athlete id") }
    }

    /// `--since` as Unix seconds (validated above).
    var sinceUnix: Double? { since.flatMap { ISO8601.parse($0 + "T00:00:00Z") } }

    func run() throws {
        let query = SessionQuery(athlete: athlete, defaultID: Self.defaultAthlete, since: sinceUnix, sessionClass: sessionClass?.rawValue)
        if let journalDir {
            let fleet = try FleetReader.read(journalDir)
            for s in fleet.sessions where query.admits(athlete: s.athlete, start: ISO8601.parse(s.start) ?? 0, sessionClass: s.class) {
                print(options.json ? JSONLines.line(s)
                    : "\(s.id)  \(s.class.padding(12))  \(format2(s.confidence))  \(Int((s.durationSeconds / 60).rounded())) min  TRIMP \(s.trimp)  \(s.gateway)")
            }
            if fleet.sessions.isEmpty && !options.json { print("no sessions in the journal files under \(journalDir)") }
            return
        }
        let (summaries, listings, problems) = StoredState.list(query, json: options.json, stateDirectory: options.stateDirectory)
        // Written through one buffer: 10 000 sessions are 70 MB of JSON.
        var out = BufferedLines()
        for line in summaries { out.write(line) }
        for r in listings {
            out.write("\(r.id)  \(r.sessionClass.padding(12))  \(format2(r.confidence))  \(Int((r.durationSeconds / 60).rounded())) min  mean HR \(Int(r.meanHeartRate.rounded()))  TRIMP \(r.trimp)"
                      + (r.athlete.map { "  \($0)" } ?? ""))
        }
        out.flush()
        let sessions = summaries.isEmpty ? listings.map(\.id) : summaries
        if sessions.isEmpty && problems.isEmpty && !options.json { print("no sessions in \(options.stateDirectory)") }
        for p in problems { StandardError.write("ingestctl: \(p)\n") }
        if !problems.isEmpty { throw ExitCode(1) }
    }

    /// The config's default athlete (whose the sessions from before athletes are).
    static var defaultAthlete: String { ((try? ConfigLoader.load(path: nil)) ?? IngestConfiguration()).roster.defaultID }
}

/// `ingestctl session ID`.
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Show one recorded session."
    )

    @Argument(help: "The session ID (see `ingestctl sessions`).")
    var id: String

    @OptionGroup var options: StateOptions

    func validate() throws {
        if !SessionRecord.isIdentifier(id) {
            throw ValidationError("`\(id.debugDescription.dropFirst().dropLast())` is not a session ID (YYYYMMDDThhmmssZ-STRAP, see `ingestctl sessions`)")
        }
    }

    func run() throws {
        do {
            guard let record = try StoredState.session(id, stateDirectory: options.stateDirectory) else {
                StandardError.write("ingestctl: no session \(id) in \(options.stateDirectory) (see `ingestctl sessions`)\n")
                throw ExitCode(1)
            }
            print(options.json ? JSONLines.line(record) : SessionText.describe(record))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            StandardError.write("ingestctl: no readable session \(id): \(error)\n")
            throw ExitCode(1)
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

extension SessionClass: ExpressibleByArgument {}
