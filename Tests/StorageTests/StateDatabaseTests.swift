import Foundation
import HeartRateWire
import Glibc
import Ingest
import Physiology
import Storage
import Testing
import TestSupport
import Traces

/// The state database: what is committed is read back through indexed queries, what the older
/// files held is imported once, a damaged file is refused with the way out.
@Suite struct StateDatabaseTests {
    /// A real session record as `athlete` on `strap`, started `hours` after the original.
    static func session(_ base: SessionRecord, strap: String, athlete: String?, hours: Double, class c: SessionClass) -> SessionRecord {
        var r = base
        r.startUnix += hours * 3600
        r.endUnix += hours * 3600
        r.device = strap
        r.athlete = athlete
        r.class = c
        r.id = SessionRecord.identifier(start: r.startUnix, device: DeviceAddress(strap)!)
        return r
    }

    static func open(_ dir: String) throws -> StateDatabase {
        var problems: [String] = []
        let db = try StateDatabase.open(stateDirectory: dir, problems: &problems)
        #expect(problems.isEmpty, "\(problems)")
        return db
    }

    @Test func committedSessionsComeBackThroughTheirQueries() throws {
        let dir = try FileBytes.temporaryDirectory("db")
        let old = umask(0o022)
        let db = try Self.open(dir)
        umask(old)
        var st = stat()
        #expect(stat(dir + "/" + StateDatabase.fileName, &st) == 0 && st.st_mode & 0o777 == 0o600, "private whatever the umask")
        let base = try LearnedHeartRateStoreFixture.record()
        let a = "A0:9E:1A:00:00:01", b = "A0:9E:1A:00:00:02"
        let sessions = [
            Self.session(base, strap: a, athlete: "anna", hours: 0, class: .resistance),
            Self.session(base, strap: b, athlete: "ben", hours: 1, class: .endurance),
            Self.session(base, strap: a, athlete: "anna", hours: 24, class: .hiit),
            Self.session(base, strap: b, athlete: nil, hours: 48, class: .endurance),
        ]
        for s in sessions { try db.record(s) }
        try db.record(sessions[2])  // a replay of a stored session: replaced, not counted twice
        var problems: [String] = []
        #expect(try db.sessions(.all, problems: &problems).map(\.id) == sessions.map(\.id))
        #expect(try db.sessions(SessionQuery(athlete: "anna"), problems: &problems).map(\.id) == [sessions[0].id, sessions[2].id])
        #expect(try db.sessions(SessionQuery(athlete: "ben", defaultID: "ben"), problems: &problems).map(\.id) == [sessions[1].id, sessions[3].id],
                "sessions from before athletes are the default athlete's")
        #expect(try db.sessions(SessionQuery(sessionClass: "endurance"), problems: &problems).map(\.id) == [sessions[1].id, sessions[3].id])
        #expect(try db.sessions(SessionQuery(since: sessions[2].startUnix), problems: &problems).map(\.id) == [sessions[2].id, sessions[3].id])
        #expect(try db.sessions(SessionQuery(limit: 1), problems: &problems).map(\.id) == [sessions[3].id])
        #expect(try db.sessions(SessionQuery(limit: 2, before: sessions[3].id), problems: &problems).map(\.id) == [sessions[1].id, sessions[2].id])
        #expect(try db.sessions(SessionQuery(before: sessions[0].id), problems: &problems).isEmpty)
        #expect(problems.isEmpty)
        #expect(try db.sessions(.all, problems: &problems).first == sessions[0], "the summary round-trips whole")
        #expect(try db.days().map(\.id) == sessions.map(\.id))
        #expect(try db.days(athlete: "anna") == [TrainingDay(sessions[0]), TrainingDay(sessions[2])])
        #expect(try db.summary(of: "20000101T000000Z-A09E1A000001") == nil)
        #expect(try db.integrityCheck() == "ok")

        let reader = try #require(try StateDatabase.reading(stateDirectory: dir))
        #expect(try reader.sessionCount() == 4, "another process reads what was committed")
        #expect(try StateDatabase.reading(stateDirectory: try FileBytes.temporaryDirectory("none")) == nil)
    }

    @Test func theOlderFilesAreImportedOnceAndExportsWhoseCommitWasLostAtEveryStart() throws {
        let dir = try FileBytes.temporaryDirectory("db-import")
        try FileManager.default.createDirectory(atPath: dir + "/sessions", withIntermediateDirectories: true)
        let base = try LearnedHeartRateStoreFixture.record()
        var first = Self.session(base, strap: "A0:9E:1A:00:00:01", athlete: "anna", hours: 0, class: .resistance)
        first.observed = SessionRecord.Observed(hrMax: 181, hrRest: 55)
        try Data(JSONLines.pretty(first).utf8).write(to: URL(fileURLWithPath: dir + "/sessions/" + first.id + ".json"))
        try Data("{\"kind\":\"session\",\"id\":".utf8).write(to: URL(fileURLWithPath: dir + "/sessions/20250101T000000Z-A09E1A000009.json"))
        // A day from weekly.json whose summary was never kept, and the day of `first`.
        let lost = TrainingDay(id: "20240101T000000Z-A09E1A000003", start: first.startUnix - 86_400 * 3, trimp: 40, moderateMinutes: 10,
                               vigorousMinutes: 20, enduranceMinutes: 30, strength: false, athlete: "ben")
        let weekly = #"{"version":1,"sessions":["# + JSONLines.line(lost) + "," + JSONLines.line(TrainingDay(first)) + "]}"
        try Data(weekly.utf8).write(to: URL(fileURLWithPath: dir + "/weekly.json"))
        let athletes = #"{"version":1,"assignments":{"A0:9E:1A:00:00:02":"ben"},"learned":{"ben":{"maximum":{"bpm":190,"session":"x","at":"2024-01-01T00:00:00Z"}}}}"#
        try Data(athletes.utf8).write(to: URL(fileURLWithPath: dir + "/athletes.json"))

        var problems: [String] = []
        let db = try StateDatabase.open(stateDirectory: dir, problems: &problems)
        #expect(problems.count == 1 && problems[0].contains("20250101T000000Z-A09E1A000009.json: unreadable session summary"), "\(problems)")
        #expect(try db.sessionIDs() == [first.id])
        #expect(try db.days().map(\.id) == [lost.id, first.id], "every day, once")
        #expect(try db.assignments() == ["A0:9E:1A:00:00:02": "ben"])
        #expect(try db.learned()["ben"]?.maximum?.bpm == 190)
        #expect(try db.learned()["anna"]?.maximum?.bpm == 181, "learned again from the imported sessions")
        #expect(FileManager.default.fileExists(atPath: dir + "/weekly.json.imported") && !FileManager.default.fileExists(atPath: dir + "/weekly.json"))

        // A session whose export was written but whose commit a crash stopped.
        let second = Self.session(base, strap: "A0:9E:1A:00:00:02", athlete: "ben", hours: 2, class: .endurance)
        try Data(JSONLines.pretty(second).utf8).write(to: URL(fileURLWithPath: dir + "/sessions/" + second.id + ".json"))
        problems = []
        let again = try StateDatabase.open(stateDirectory: dir, problems: &problems)
        #expect(try again.sessionIDs() == [first.id, second.id])
        #expect(try again.days().count == 3)
        #expect(try again.assignments() == ["A0:9E:1A:00:00:02": "ben"], "the older files are read only when the database is new")
    }

    @Test func aDamagedDatabaseIsRefusedWithTheWayOutAndLeftAsItIs() throws {
        let dir = try FileBytes.temporaryDirectory("db-bad")
        let base = try LearnedHeartRateStoreFixture.record()
        try Self.open(dir).record(base)
        let path = dir + "/" + StateDatabase.fileName
        // Overwrite the middle of the file: pages torn by something other than SQLite.
        var bytes = try FileBytes.read(path)
        try #require(bytes.count >= 4096)
        for i in 100..<min(bytes.count, 3000) { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var problems: [String] = []
        #expect {
            _ = try StateDatabase.open(stateDirectory: dir, problems: &problems)
        } throws: { error in
            let text = "\(error)"
            return text.contains(path) && text.contains("damaged") && text.contains("mv \(path) \(path).damaged")
        }
        #expect(try FileBytes.read(path) == bytes, "the damaged file is left for whoever can save it")
        #expect { _ = try StateDatabase.reading(stateDirectory: dir)?.sessionCount() } throws: { "\($0)".contains("damaged") }

        try Data("not a database at all, but text".utf8).write(to: URL(fileURLWithPath: path))
        #expect { _ = try StateDatabase.open(stateDirectory: dir, problems: &problems) } throws: { "\($0)".contains("damaged") }

        unlink(path)
        symlink(dir + "/elsewhere", path)
        #expect { _ = try StateDatabase.open(stateDirectory: dir, problems: &problems) } throws: { "\($0)".contains("not a regular file") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/elsewhere"), "the link was not followed")
    }

    @Test func aDatabaseOfANewerVersionIsRefused() throws {
        let dir = try FileBytes.temporaryDirectory("db-newer")
        _ = try Self.open(dir)
        let path = dir + "/" + StateDatabase.fileName
        let sqlite = try Executable.runTool("/usr/bin/sqlite3", [path, "INSERT INTO grdb_migrations VALUES ('v9 from the future')"])
        try #require(sqlite.status == 0, "\(sqlite.stderr)")
        var problems: [String] = []
        #expect { _ = try StateDatabase.open(stateDirectory: dir, problems: &problems) } throws: { "\($0)".contains("newer ingestd") }
    }
}
