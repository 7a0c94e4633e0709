import Glibc
import Ingest
import SystemCall

/// What the daemon keeps about people between restarts, in the state database: the strap
/// assignments made with `ingestctl assign`, and each athlete's learned HRmax and HRrest with
/// the session they came from. `STATE_DIRECTORY/athletes.json` (temp + fsync + rename) is their
/// export after each change: readable by people, and what a rebuilt database takes them from.
public final class AthleteStore: PipelineSink {
    struct File: Codable {
        var version = 1
        var assignments: [String: String]
        var learned: [String: LearnedHeartRate]
    }

    /// The export's file name under the state directory.
    public static let fileName = "athletes.json"

    /// The export.
    public let path: String
    /// Where they are kept.
    public let database: StateDatabase
    /// Strap address (upper case) → athlete ID.
    public private(set) var assignments: [String: String] = [:]
    /// Athlete ID → what was learned of them.
    public private(set) var learned: [String: LearnedHeartRate] = [:]
    /// Problems met (the database unreadable, write failures).
    public private(set) var problems: [String] = []
    /// Told of each write failure as it happens.
    public var onError: StorageErrorHandler?
    /// Told when an athlete's learned values change (athlete ID).
    public var onLearned: ((String) -> Void)?

    /// What `database` keeps of the athletes under `stateDirectory`.
    public init(stateDirectory: String, database: StateDatabase) {
        path = stateDirectory + "/" + Self.fileName
        self.database = database
        do {
            assignments = try database.assignments()
            learned = try database.learned()
        } catch {
            problems.append("\(error)")
        }
    }

    /// The assignments and learned values kept under `stateDirectory`, and problems reading them
    /// (for ingestctl: from the database, or the export of a daemon from before it).
    public static func contents(stateDirectory: String)
        -> (assignments: [String: String], learned: [String: LearnedHeartRate], problems: [String]) {
        var problems: [String] = []
        do {
            if let database = try StateDatabase.reading(stateDirectory: stateDirectory) {
                return (try database.assignments(), try database.learned(), [])
            }
        } catch {
            return ([:], [:], ["\(error)"])
        }
        let file = StateFile.load(File.self, path: stateDirectory + "/" + fileName, what: "athlete state", keepingAside: false,
                                  problems: &problems)
        return (file?.assignments ?? [:], file?.learned ?? [:], problems)
    }

    /// Gives the strap `address` to `athlete` from its next session on; nil once saved, else why not.
    public func assign(strap address: String, to athlete: String) -> String? {
        do {
            try database.assign(strap: address.uppercased(), to: athlete)
        } catch {
            problems.append(error.description)
            return error.description
        }
        assignments[address.uppercased()] = athlete
        export()
        return nil
    }

    public func receive(_ event: PipelineEvent) {
        guard case .sessionEnded(let record) = event, let athlete = record.athlete else { return }
        var known = learned[athlete] ?? LearnedHeartRate()
        guard known.learn(from: record) else { return }
        learned[athlete] = known
        do {
            try database.keep(known, of: athlete)
        } catch {
            problems.append(error.description)
            onError?("state database \(database.path): \(error.problem)", "learned heart rates of \(athlete) not saved: \(error)")
        }
        export()
        onLearned?(athlete)
    }

    /// Rewrites the export; a failure is reported, the database already has it.
    private func export() {
        do {
            try AtomicFile.write(JSONLines.pretty(File(assignments: assignments, learned: learned)), to: path)
        } catch {
            problems.append(error.description)
            onError?("\(path): \(error.cause)", "athletes export not written: \(error)")
        }
    }
}
