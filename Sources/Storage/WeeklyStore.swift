import Glibc
import Ingest
import Physiology
import SystemCall
import Traces

/// The weekly state: every finished session's day, load and activity minutes, kept in
/// `STATE_DIRECTORY/weekly.json` across sessions and restarts (written with temp + fsync +
/// rename; sessions deduplicated by ID, so a replay after a crash counts nothing twice).
public final class WeeklyStore: PipelineSink {
    struct File: Codable {
        var version = 1
        var sessions: [TrainingDay]
    }

    /// Days of sessions kept before the newest.
    public static let keepDays = 120
    /// The file name under the state directory.
    public static let fileName = "weekly.json"

    public let path: String
    public private(set) var sessions: [TrainingDay] = []
    /// Problems met (unreadable file set aside, write failures).
    public private(set) var problems: [String] = []
    /// Told of each write failure as it happens.
    public var onError: StorageErrorHandler?

    /// Opens the store under `stateDirectory`; an unreadable file is moved aside to `.corrupt`
    /// and reported, never silently dropped.
    public init(stateDirectory: String) {
        path = stateDirectory + "/" + Self.fileName
        sessions = Self.load(path: path, problems: &problems)
    }

    /// Reads the sessions of a weekly file (for ingestctl).
    public static func load(path: String, problems: inout [String]) -> [TrainingDay] {
        StateFile.load(File.self, path: path, what: "weekly state", keepingAside: true, problems: &problems)?.sessions ?? []
    }

    public func receive(_ event: PipelineEvent) {
        guard case .sessionEnded(let record) = event else { return }
        let day = TrainingDay(record)
        guard !sessions.contains(where: { $0.id == day.id }) else { return }
        sessions.append(day)
        sessions.sort { $0.start < $1.start }
        if let newest = sessions.last?.day {
            sessions.removeAll { $0.day < newest - Self.keepDays }
        }
        do {
            try AtomicFile.write(JSONLines.pretty(File(sessions: sessions)), to: path)
        } catch {
            problems.append(error.description)
            onError?("\(path): \(error.cause)", "weekly state not saved: \(error)")
        }
    }
}

extension TrainingDay {
    /// The weekly facts of a finished session.
    public init(_ r: SessionRecord) {
        var endurance = 0.0
        var strength = r.class == .resistance
        for s in r.segments {
            guard let a = ISO8601.parse(s.start), let b = ISO8601.parse(s.end) else { continue }
            if s.class == .endurance { endurance += (b - a) / 60 }
            if s.class == .resistance { strength = true }
        }
        self.init(id: r.id, start: r.startUnix, trimp: r.trimp.banister,
                  moderateMinutes: r.load.hrrZoneMinutes["40_60"] ?? 0,
                  vigorousMinutes: r.load.hrrZoneMinutes["60_plus"] ?? 0,
                  enduranceMinutes: endurance, strength: strength, athlete: r.athlete)
    }
}
