import Ingest
import Physiology

/// What a state directory holds, for readers outside the daemon (ingestctl): the state
/// database, or — in the directory of an ingestd from before it, which has none yet — the JSON
/// files that version wrote. Problems (a damaged database, unreadable files) come back in words.
public enum StoredState {
    /// The sessions `query` selects, oldest first.
    public static func sessions(_ query: SessionQuery, stateDirectory: String) -> (sessions: [SessionRecord], problems: [String]) {
        var problems: [String] = []
        do {
            if let database = try StateDatabase.reading(stateDirectory: stateDirectory) {
                return (try database.sessions(query, problems: &problems), problems)
            }
        } catch {
            return ([], ["\(error)"])
        }
        let (all, unreadable) = SessionStore.load(stateDirectory: stateDirectory)
        var selected = all.filter { query.admits(athlete: $0.athlete, start: $0.startUnix, sessionClass: $0.class.rawValue) }
        if let before = query.before, let end = selected.firstIndex(where: { $0.id == before }) { selected = Array(selected[..<end]) }
        if let limit = query.limit { selected = Array(selected.suffix(max(0, limit))) }
        return (selected, unreadable)
    }

    /// The sessions `query` selects as their summaries' JSON (one object each, as the daemon
    /// stored them) when `json`, else as listings; oldest first.
    public static func list(_ query: SessionQuery, json: Bool, stateDirectory: String)
        -> (summaries: [String], listings: [SessionListing], problems: [String]) {
        do {
            if let database = try StateDatabase.reading(stateDirectory: stateDirectory) {
                return json ? (try database.summaries(query), [], []) : ([], try database.listings(query), [])
            }
        } catch {
            return ([], [], ["\(error)"])
        }
        let (records, problems) = sessions(query, stateDirectory: stateDirectory)
        return json ? (records.map { JSONLines.line($0) }, [], problems) : ([], records.map(SessionListing.init), problems)
    }

    /// One session, nil when there is none.
    public static func session(_ id: String, stateDirectory: String) throws -> SessionRecord? {
        if let database = try StateDatabase.reading(stateDirectory: stateDirectory) {
            guard let summary = try database.summary(of: id) else { return nil }
            return try JSONLines.decode(SessionRecord.self, from: Array(summary.utf8))
        }
        let path = stateDirectory + "/sessions/" + id + ".json"
        guard let bytes = try? WholeFile.read(path, followingSymlinks: false) else { return nil }
        return try JSONLines.decode(SessionRecord.self, from: bytes)
    }

    /// Every stored session's weekly facts, oldest first.
    public static func days(stateDirectory: String) -> (days: [TrainingDay], problems: [String]) {
        do {
            if let database = try StateDatabase.reading(stateDirectory: stateDirectory) {
                return (try database.days(), [])
            }
        } catch {
            return ([], ["\(error)"])
        }
        var problems: [String] = []
        let file = StateFile.load(StateImport.WeeklyFile.self, path: stateDirectory + "/" + StateImport.weeklyFileName,
                                  what: "weekly state", keepingAside: false, problems: &problems)
        return (file?.sessions ?? [], problems)
    }
}
