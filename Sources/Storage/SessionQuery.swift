import GRDB
import Ingest

/// Which stored sessions a reader wants: one athlete's, since a time, of one class, the newest
/// few — each an indexed condition of the state database, oldest first.
public struct SessionQuery: Sendable, Equatable {
    /// Only this athlete's sessions (those from before athletes are `defaultID`'s).
    public var athlete: String?
    /// The roster's default athlete.
    public var defaultID: String
    /// Only sessions that started at or after this (Unix seconds).
    public var since: Double?
    /// Only sessions of this class (`SessionClass` raw value).
    public var sessionClass: String?
    /// Only the newest this many (still listed oldest first).
    public var limit: Int?
    /// Only sessions older than this session (by start, then ID): the next page back.
    public var before: String?

    public init(athlete: String? = nil, defaultID: String = Athlete.defaultID, since: Double? = nil,
                sessionClass: String? = nil, limit: Int? = nil, before: String? = nil) {
        self.before = before
        self.athlete = athlete
        self.defaultID = defaultID
        self.since = since
        self.sessionClass = sessionClass
        self.limit = limit
    }

    /// Every session.
    public static let all = SessionQuery()

    /// Whether a session of `athlete` (nil: from before athletes, the default's) that started at
    /// `start` with class `sessionClass` is one asked for — the SQL's conditions, for sessions
    /// read elsewhere (the files of an older version, the journal). `limit` and `before` are
    /// positions in a list, not conditions, and are the caller's.
    public func admits(athlete who: String?, start: Double, sessionClass c: String) -> Bool {
        if let athlete, (who ?? defaultID) != athlete { return false }
        if let since, start < since { return false }
        if let sessionClass, c != sessionClass { return false }
        return true
    }

    /// The statement selecting `columns` of the sessions asked for.
    func sql(selecting columns: String) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let athlete {
            conditions.append(athlete == defaultID ? "(athlete = ? OR athlete IS NULL)" : "athlete = ?")
            arguments += [athlete]
        }
        if let since {
            conditions.append("start >= ?")
            arguments += [since]
        }
        if let sessionClass {
            conditions.append("class = ?")
            arguments += [sessionClass]
        }
        if let before {
            conditions.append("(start, id) < (SELECT start, id FROM session WHERE id = ?)")
            arguments += [before]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        guard let limit else {
            return ("SELECT \(columns) FROM session\(filter) ORDER BY start, id", arguments)
        }
        arguments += [max(0, limit)]
        return ("SELECT \(columns) FROM (SELECT * FROM session\(filter) ORDER BY start DESC, id DESC LIMIT ?) ORDER BY start, id", arguments)
    }
}
