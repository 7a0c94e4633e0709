import GRDB

/// What is wrong with the state database: the file, the problem in words, and what to do.
public struct StateDatabaseError: Error, CustomStringConvertible, Sendable {
    /// The database file.
    public var path: String
    /// What is wrong ("database disk image is malformed").
    public var problem: String
    /// What to do about it, when there is something.
    public var hint: String?

    public init(path: String, problem: String, hint: String?) {
        self.path = path
        self.problem = problem
        self.hint = hint
    }

    public var description: String { "\(path): \(problem)" + (hint.map { "; \($0)" } ?? "") }

    /// A database that is not (or no longer) a whole SQLite file: refused, with the way out.
    static func damaged(_ path: String, _ problem: String) -> StateDatabaseError {
        StateDatabaseError(path: path, problem: "the state database is damaged (\(problem))",
                           hint: "ingestd will not start on it. Move it aside (mv \(path) \(path).damaged) and start again: "
                               + "ingestd builds a new one from the exports in sessions/*.json and athletes.json; "
                               + "or put back a backup of it")
    }

    /// SQLite's own error, in these words.
    static func from(_ error: DatabaseError, path: String) -> StateDatabaseError {
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return damaged(path, message)
        case .SQLITE_FULL:
            return StateDatabaseError(path: path, problem: message, hint: "free space on its file system")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
            return StateDatabaseError(path: path, problem: message,
                                      hint: "check who owns the state directory and its files (ingestd writes them as its own user)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StateDatabaseError(path: path, problem: message, hint: "another process holds it locked; try again")
        default:
            return StateDatabaseError(path: path, problem: message, hint: nil)
        }
    }
}
