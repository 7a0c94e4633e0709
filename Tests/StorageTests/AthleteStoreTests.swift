import Foundation
import Glibc
import Ingest
import Storage
import Testing
import TestSupport

/// The athletes' state survives a restart, and a damaged export is kept, said, never used.
@Suite struct AthleteStoreTests {
    @Test func assignmentsAndLearnedHeartRatesSurviveARestart() throws {
        let dir = try FileBytes.temporaryDirectory("athletes")
        let store = AthleteStore(stateDirectory: dir, database: try StateDatabaseTests.open(dir))
        #expect(store.assign(strap: "a0:9e:1a:00:00:01", to: "ben") == nil)
        var learnedOf: [String] = []
        store.onLearned = { learnedOf.append($0) }
        var record = try LearnedHeartRateStoreFixture.record()
        record.athlete = "anna"
        record.observed = SessionRecord.Observed(hrMax: 188.5, hrRest: 51)
        store.receive(.sessionEnded(record))
        store.receive(.sessionEnded(record))
        #expect(learnedOf == ["anna"], "the same session teaches nothing twice")
        let again = AthleteStore(stateDirectory: dir, database: try StateDatabaseTests.open(dir))
        #expect(again.assignments == ["A0:9E:1A:00:00:01": "ben"])
        #expect(again.learned["anna"]?.maximum?.bpm == 188.5 && again.learned["anna"]?.maximum?.session == record.id)
        #expect(AthleteStore.contents(stateDirectory: dir).learned == again.learned)
        // The export says the same, and a database rebuilt from it gets them back.
        unlink(dir + "/" + StateDatabase.fileName)
        let rebuilt = AthleteStore(stateDirectory: dir, database: try StateDatabaseTests.open(dir))
        #expect(rebuilt.assignments == again.assignments && rebuilt.learned == again.learned)
    }

    @Test func aDamagedFileIsKeptAsideAndSaid() throws {
        let dir = try FileBytes.temporaryDirectory("athletes-bad")
        try Data("{\"version\":1,\"assign".utf8).write(to: URL(fileURLWithPath: dir + "/athletes.json"))
        #expect(!AthleteStore.contents(stateDirectory: dir).problems.isEmpty, "ingestctl says so (no database yet)")
        var problems: [String] = []
        let store = AthleteStore(stateDirectory: dir, database: try StateDatabase.open(stateDirectory: dir, problems: &problems))
        #expect(store.assignments.isEmpty)
        #expect(problems.count == 1 && problems[0].contains("athletes.json: unreadable athlete state"), "\(problems)")
        #expect(FileManager.default.fileExists(atPath: dir + "/athletes.json.corrupt"))
    }
}

/// One real session record from the engine.
enum LearnedHeartRateStoreFixture {
    static func record() throws -> SessionRecord {
        try #require(try ReplayTests.replay(TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit")).records.first)
    }
}
