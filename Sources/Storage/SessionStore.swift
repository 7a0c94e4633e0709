import Glibc
import Ingest
import SystemCall

/// Where finished sessions go: the state database (one transaction: the summary and the day)
/// and the export `sessions/ID.json`, written crash-safely before it — so a crash between the
/// two leaves an export the database imports at the next start, never a session in neither.
public final class SessionStore: PipelineSink {
    /// The state directory (e.g. `/var/lib/ingestd`).
    public let stateDirectory: String
    /// Where summaries go.
    public var sessionsDirectory: String { stateDirectory + "/sessions" }
    /// Errors met while writing (reported by the daemon; never crash the loop).
    public private(set) var errors: [String] = []
    /// Sessions written by this instance.
    public private(set) var written: [SessionRecord] = []
    /// Told of each write failure as it happens.
    public var onError: StorageErrorHandler?
    /// The database the sessions are committed to.
    public let database: StateDatabase

    /// A store under `stateDirectory` committing to `database`, creating `sessions/` when missing.
    public init(stateDirectory: String, database: StateDatabase) throws(SystemCallError) {
        self.stateDirectory = stateDirectory
        self.database = database
        try AtomicFile.makeDirectories(stateDirectory + "/sessions")
        // Temp files of writes a crash interrupted never became the real file: sweep them.
        for dir in [stateDirectory, stateDirectory + "/sessions"] {
            for name in Self.names(in: dir) where name.contains(".tmp.") { unlink(dir + "/" + name) }
        }
    }

    /// File names in a directory (empty when it cannot be read).
    public static func names(in dir: String) -> [String] {
        guard let handle = opendir(dir) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            })
        }
        return names
    }

    public func receive(_ event: PipelineEvent) {
        guard case .sessionEnded(let record) = event else { return }
        do {
            try AtomicFile.write(JSONLines.pretty(record), to: path(of: record.id))
        } catch {
            // The database still gets it: the export can be written again (`ingestctl session ID`).
            errors.append(error.description)
            onError?("session summaries in \(sessionsDirectory): \(error.cause)",
                     "session \(record.id): summary export not written: \(error)")
        }
        do {
            try database.record(record)
            written.append(record)
        } catch {
            errors.append(error.description)
            onError?("state database \(database.path): \(error.problem)", "session \(record.id) not saved: \(error)")
        }
    }

    /// The summary file of a session.
    public func path(of id: String) -> String { sessionsDirectory + "/" + id + ".json" }

    /// The session exports under `stateDirectory/sessions`, oldest first, but those whose ID is
    /// in `except`; an unreadable file is reported in `problems` with its path.
    public static func load(stateDirectory: String, except known: Set<String> = [])
        -> (sessions: [SessionRecord], problems: [String]) {
        let dir = stateDirectory + "/sessions"
        var sessions: [SessionRecord] = []
        var problems: [String] = []
        for name in Self.names(in: dir) where name.hasSuffix(".json") && !known.contains(String(name.dropLast(5))) {
            let path = dir + "/" + name
            do {
                let bytes = try WholeFile.read(path, followingSymlinks: false)
                sessions.append(try JSONLines.decode(SessionRecord.self, from: bytes))
            } catch {
                problems.append("\(path): unreadable session summary (\(error))")
            }
        }
        sessions.sort { ($0.startUnix, $0.id) < ($1.startUnix, $1.id) }
        return (sessions, problems)
    }
}
