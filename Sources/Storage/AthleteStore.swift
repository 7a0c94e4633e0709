import Glibc
import Ingest
import SystemCall

/// What the daemon keeps about people between restarts, in `STATE_DIRECTORY/athletes.json`
/// (temp + fsync + rename): the strap assignments made with `ingestctl assign`, and each
/// athlete's learned HRmax and HRrest with the session they came from.
public final class AthleteStore: PipelineSink {
    struct File: Codable {
        var version = 1
        var assignments: [String: String]
        var learned: [String: LearnedHeartRate]
    }

    /// The file name under the state directory.
    public static let fileName = "athletes.json"

    public let path: String
    /// Strap address (upper case) → athlete ID.
    public private(set) var assignments: [String: String] = [:]
    /// Athlete ID → what was learned of them.
    public private(set) var learned: [String: LearnedHeartRate] = [:]
    /// Problems met (unreadable file set aside, write failures).
    public private(set) var problems: [String] = []
    /// Told of each write failure as it happens.
    public var onError: StorageErrorHandler?
    /// Told when an athlete's learned values change (athlete ID).
    public var onLearned: ((String) -> Void)?

    /// Opens the store under `stateDirectory`; an unreadable file is kept as `.corrupt` and
    /// reported, never silently dropped.
    public init(stateDirectory: String) {
        path = stateDirectory + "/" + Self.fileName
        if let file = StateFile.load(File.self, path: path, what: "athlete state", keepingAside: true, problems: &problems) {
            assignments = file.assignments
            learned = file.learned
        }
    }

    /// The assignments and learned values kept under `stateDirectory`, and problems reading them
    /// (for ingestctl; nothing is moved aside).
    public static func contents(stateDirectory: String)
        -> (assignments: [String: String], learned: [String: LearnedHeartRate], problems: [String]) {
        var problems: [String] = []
        let file = StateFile.load(File.self, path: stateDirectory + "/" + fileName, what: "athlete state", keepingAside: false,
                                  problems: &problems)
        return (file?.assignments ?? [:], file?.learned ?? [:], problems)
    }

    /// Gives the strap `address` to `athlete` from its next session on; nil once saved, else why not.
    public func assign(strap address: String, to athlete: String) -> SystemCallError? {
        assignments[address.uppercased()] = athlete
        return save()
    }

    public func receive(_ event: PipelineEvent) {
        guard case .sessionEnded(let record) = event, let athlete = record.athlete else { return }
        var known = learned[athlete] ?? LearnedHeartRate()
        guard known.learn(from: record) else { return }
        learned[athlete] = known
        if let error = save() {
            onError?("\(path): \(error.cause)", "learned heart rates of \(athlete) not saved: \(error)")
        }
        onLearned?(athlete)
    }

    private func save() -> SystemCallError? {
        do {
            try AtomicFile.write(JSONLines.pretty(File(assignments: assignments, learned: learned)), to: path)
            return nil
        } catch {
            problems.append(error.description)
            return error
        }
    }
}
