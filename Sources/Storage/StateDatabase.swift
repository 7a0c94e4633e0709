import GRDB
import Glibc
import Ingest
import Physiology
import SystemCall

/// The daemon's state: `STATE_DIRECTORY/ingestd.sqlite`, SQLite in WAL mode through GRDB. It
/// holds every session's summary with the columns people query (athlete, strap, start, end,
/// class, TRIMP), each session's weekly facts (the days), the strap assignments and what was
/// learned of each athlete. Every write is one transaction with `synchronous = FULL`: a SIGKILL
/// or a power cut loses nothing committed. The per-session JSON, RR and FIT files and
/// `athletes.json` stay as exports (and as what a damaged database is rebuilt from).
///
/// The daemon opens it with `open` (created, migrated and filled from the older files on first
/// start); ingestctl reads it with `reading` while the daemon writes.
public final class StateDatabase {
    /// The file name under the state directory.
    public static let fileName = "ingestd.sqlite"

    /// The database file.
    public let path: String
    private let queue: DatabaseQueue

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    // MARK: Opening

    /// Opens (creating and migrating when needed) the daemon's database under `stateDirectory`,
    /// then imports what the older files hold that it does not: `weekly.json` and `athletes.json`
    /// when it was just created, and every `sessions/*.json` export it lacks (a session whose
    /// export was written but whose commit a crash interrupted is imported at the next start).
    /// `problems` gets what could not be imported, file by file.
    ///
    /// - Throws: `StateDatabaseError` naming the file, what is wrong, and what to do — a damaged
    ///   database is refused, never silently replaced by an empty one.
    public static func open(stateDirectory: String, problems: inout [String]) throws(StateDatabaseError) -> StateDatabase {
        let path = stateDirectory + "/" + fileName
        try createPrivately(path)
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(5)
        config.label = "ingestd state"
        config.prepareDatabase { db in
            // Durable commits: what the daemon said was saved survives a power cut too.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let (database, created): (StateDatabase, Bool) = try translating(path) {
            let database = StateDatabase(path: path, queue: try DatabaseQueue(path: path, configuration: config))
            try database.queue.inDatabase { db in
                // A torn or overwritten file shows here, before anything is written to it.
                let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
                guard check == "ok" else { throw StateDatabaseError.damaged(path, "quick_check: \(check.prefix(200))") }
            }
            let migrator = StateSchema.migrator
            let (superseded, fresh) = try database.queue.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.appliedIdentifiers(db).isEmpty)
            }
            if superseded {
                throw StateDatabaseError(path: path, problem: "written by a newer ingestd (schema \(try database.schemaVersion()))",
                                         hint: "run that version, or restore the database from before the upgrade")
            }
            try migrator.migrate(database.queue)
            return (database, fresh)
        }
        StateImport(database: database, stateDirectory: stateDirectory, created: created).run(problems: &problems)
        return database
    }

    /// The database under `stateDirectory` for reading (ingestctl), nil when there is none yet
    /// (a state directory of an ingestd from before the database: read its files instead).
    public static func reading(stateDirectory: String) throws(StateDatabaseError) -> StateDatabase? {
        let path = stateDirectory + "/" + fileName
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw StateDatabaseError(path: path, problem: "not a regular file (a symbolic link?)", hint: "remove it; ingestd recreates it")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        return try translating(path) {
            let database = StateDatabase(path: path, queue: try DatabaseQueue(path: path, configuration: config))
            let migrated = try database.queue.read { db in try StateSchema.migrator.hasCompletedMigrations(db) }
            guard migrated else {
                throw StateDatabaseError(path: path, problem: "not (yet) an ingestd state database of this version (schema \(try database.schemaVersion()))",
                                         hint: "start this version of ingestd once, which migrates it")
            }
            return database
        }
    }

    /// Runs `body`, every failure in this type's words: SQLite's errors with what to do, others
    /// as they are, naming `path`.
    static func translating<T>(_ path: String, _ body: () throws -> T) throws(StateDatabaseError) -> T {
        do {
            return try body()
        } catch let error as StateDatabaseError {
            throw error
        } catch let error as DatabaseError {
            throw StateDatabaseError.from(error, path: path)
        } catch {
            throw StateDatabaseError(path: path, problem: "\(error)", hint: nil)
        }
    }

    /// Creates the file 0600 (whatever the umask; SQLite gives its -wal and -shm the same mode)
    /// unless it exists. A link or anything else at `path` is refused.
    private static func createPrivately(_ path: String) throws(StateDatabaseError) {
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                throw StateDatabaseError(path: path, problem: "not a regular file (a symbolic link?)",
                                         hint: "remove it; ingestd creates the database anew and fills it from sessions/*.json")
            }
            return
        }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StateDatabaseError(path: path, problem: "cannot create: \(String(cString: strerror(errno)))", hint: nil)
        }
        close(fd)
    }

    /// The applied migrations, for messages.
    private func schemaVersion() throws -> String {
        try queue.read { db in
            guard try db.tableExists("grdb_migrations") else { return "none" }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").joined(separator: ", ")
        }
    }

    // MARK: Writing

    /// Stores a finished session: its summary and its weekly facts, in one transaction. A
    /// session already stored (the same ID: a replay of its raw log) is replaced, never counted
    /// twice.
    public func record(_ session: SessionRecord) throws(StateDatabaseError) {
        try write { db in try Self.insert(session, into: db) }
    }

    static func insert(_ r: SessionRecord, into db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO session (id, athlete, strap, start, "end", class, trimp, summary)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.id, r.athlete, r.device, r.startUnix, r.endUnix, r.class.rawValue, r.trimp.banister,
                             JSONLines.line(r)])
        try insert(TrainingDay(r), into: db)
    }

    static func insert(_ d: TrainingDay, into db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO training_day
              (session_id, athlete, start, trimp, moderate_minutes, vigorous_minutes, endurance_minutes, strength)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [d.id, d.athlete, d.start, d.trimp, d.moderateMinutes, d.vigorousMinutes, d.enduranceMinutes, d.strength])
    }

    /// Gives `strap` (upper-case address) to `athlete`.
    public func assign(strap: String, to athlete: String) throws(StateDatabaseError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO strap_assignment (strap, athlete) VALUES (?, ?)", arguments: [strap, athlete])
        }
    }

    /// Keeps what was learned of `athlete`.
    public func keep(_ learned: LearnedHeartRate, of athlete: String) throws(StateDatabaseError) {
        try write { db in try Self.insert(learned, of: athlete, into: db) }
    }

    static func insert(_ learned: LearnedHeartRate, of athlete: String, into db: Database) throws {
        for (kind, value) in [("maximum", learned.maximum), ("resting", learned.resting)] {
            guard let value else { continue }
            try db.execute(sql: "INSERT OR REPLACE INTO learned_heart_rate (athlete, kind, bpm, session, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [athlete, kind, value.bpm, value.session, value.at])
        }
    }

    /// One write transaction; every failure says which file and what SQLite said.
    func write(_ updates: (Database) throws -> Void) throws(StateDatabaseError) {
        try Self.translating(path) { try queue.write(updates) }
    }

    // MARK: Reading

    /// One read; every failure says which file and what SQLite said.
    func read<T>(_ value: (Database) throws -> T) throws(StateDatabaseError) -> T {
        try Self.translating(path) { try queue.read(value) }
    }

    /// The summaries (one JSON object each) of the sessions `query` selects, oldest first: read
    /// through the indexes, never by decoding every session.
    public func summaries(_ query: SessionQuery) throws(StateDatabaseError) -> [String] {
        try read { db in
            let (sql, arguments) = query.sql(selecting: "summary")
            return try String.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    /// The sessions `query` selects, oldest first, decoded (a summary that no longer decodes is
    /// in `problems` with its ID).
    public func sessions(_ query: SessionQuery, problems: inout [String]) throws(StateDatabaseError) -> [SessionRecord] {
        let rows: [(String, String)] = try read { db in
            let (sql, arguments) = query.sql(selecting: "id, summary")
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0[0], $0[1]) }
        }
        var records: [SessionRecord] = []
        for (id, summary) in rows {
            do {
                records.append(try JSONLines.decode(SessionRecord.self, from: Array(summary.utf8)))
            } catch {
                problems.append("\(path): session \(id): unreadable summary (\(error))")
            }
        }
        return records
    }

    /// One line per session `query` selects, oldest first: the columns and a few fields of the
    /// summary read by SQLite itself (`json_extract`), so a listing decodes no session.
    public func listings(_ query: SessionQuery) throws(StateDatabaseError) -> [SessionListing] {
        try read { db in
            let (sql, arguments) = query.sql(selecting: """
                id, athlete, class, trimp, json_extract(summary, '$.confidence'), json_extract(summary, '$.duration_seconds'),
                json_extract(summary, '$.mean_hr')
                """)
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                SessionListing(id: row[0], athlete: row[1], sessionClass: row[2], trimp: row[3], confidence: row[4] ?? 0,
                               durationSeconds: row[5] ?? 0, meanHeartRate: row[6] ?? 0)
            }
        }
    }

    /// One session's summary, nil when there is no such session.
    public func summary(of id: String) throws(StateDatabaseError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT summary FROM session WHERE id = ?", arguments: [id]) }
    }

    /// The IDs of every stored session.
    public func sessionIDs() throws(StateDatabaseError) -> Set<String> {
        try read { db in Set(try String.fetchAll(db, sql: "SELECT id FROM session")) }
    }

    /// The weekly facts of every stored session that started at or after `since` (Unix
    /// seconds), oldest first; those of one athlete when `athlete` is given (sessions from
    /// before athletes are `defaultID`'s).
    public func days(since: Double = -.infinity, athlete: String? = nil, defaultID: String = Athlete.defaultID) throws(StateDatabaseError) -> [TrainingDay] {
        try read { db in
            var sql = """
                SELECT session_id, athlete, start, trimp, moderate_minutes, vigorous_minutes, endurance_minutes, strength
                FROM training_day WHERE start >= ?
                """
            var arguments: StatementArguments = [since.isFinite ? since : -1e18]
            if let athlete {
                sql += athlete == defaultID ? " AND (athlete = ? OR athlete IS NULL)" : " AND athlete = ?"
                arguments += [athlete]
            }
            sql += " ORDER BY start, session_id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                TrainingDay(id: row[0], start: row[2], trimp: row[3], moderateMinutes: row[4], vigorousMinutes: row[5],
                            enduranceMinutes: row[6], strength: row[7], athlete: row[1])
            }
        }
    }

    /// Strap address → athlete ID, as assigned with `ingestctl assign`.
    public func assignments() throws(StateDatabaseError) -> [String: String] {
        try read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT strap, athlete FROM strap_assignment").map { ($0[0], $0[1]) },
                       uniquingKeysWith: { _, last in last })
        }
    }

    /// Athlete ID → what was learned of them.
    public func learned() throws(StateDatabaseError) -> [String: LearnedHeartRate] {
        try read { db in
            var learned: [String: LearnedHeartRate] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT athlete, kind, bpm, session, at FROM learned_heart_rate") {
                let athlete: String = row[0]
                let kind: String = row[1]
                let value = LearnedHeartRate.Value(bpm: row[2], session: row[3], at: row[4])
                if kind == "maximum" { learned[athlete, default: LearnedHeartRate()].maximum = value }
                if kind == "resting" { learned[athlete, default: LearnedHeartRate()].resting = value }
            }
            return learned
        }
    }

    /// The number of stored sessions.
    public func sessionCount() throws(StateDatabaseError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM session") ?? 0 }
    }

    /// Runs SQLite's full integrity check (tests, and `ingestctl` when asked): "ok" or what is wrong.
    public func integrityCheck() throws(StateDatabaseError) -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }
}
