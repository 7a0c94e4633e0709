import Foundation
import Ingest
import Traces
import Storage
import Testing
import TestSupport
@testable import Traces

/// SIGKILL the real ingestd at random moments of a replay, 20 times, restarting it on the same
/// state directory each time: no finished session may be lost, the database never fails its
/// integrity check, and no export may be torn.
@Suite struct CrashSafetyTests {
    /// Six one-hour blocks: 40 min of steady work, 20 min of rest; six sessions in all.
    static func sixSessions(at path: String) throws {
        var text = "timestamp,hr,rr\n"
        var t = 1_700_000_000
        for block in 0..<6 {
            for s in 0..<3600 {
                let hr = s < 2400 ? 140 + (s / 7 + block) % 9 : 62 + s % 3
                text += "\(t),\(hr),\n"
                t += 1
            }
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// The sessions committed to the database; every export whole.
    static func checkFiles(_ state: String) throws -> Set<String> {
        var ids: Set<String> = []
        if let database = try StateDatabase.reading(stateDirectory: state) {
            #expect(try database.integrityCheck() == "ok")
            ids = try database.sessionIDs()
            #expect(Set(try database.days().map(\.id)) == ids, "every committed session has its day, and no other")
        }
        for file in FileBytes.files(under: state + "/sessions", suffix: ".json") {
            let object = try JSONSerialization.jsonObject(with: Data(try FileBytes.read(file))) as? [String: Any]
            _ = try #require(object?["id"] as? String, "\(file) is a whole session summary")
            let fit = file.replacingOccurrences(of: ".json", with: ".fit")
            if FileManager.default.fileExists(atPath: fit) {
                var reader = FITTraceReader(InMemoryByteSource(try FileBytes.read(fit)), name: fit)
                while try reader.next() != nil {}  // throws on a torn or corrupt FIT
            }
        }
        for name in ["athletes.json", "status.json"] where FileManager.default.fileExists(atPath: state + "/" + name) {
            _ = try JSONSerialization.jsonObject(with: Data(try FileBytes.read(state + "/" + name)))
        }
        return ids
    }

    @Test func twentyRandomKillsLoseNoFinishedSession() throws {
        let state = try FileBytes.temporaryDirectory("crash")
        let trace = state + "/six.csv"
        try Self.sixSessions(at: trace)
        var rng = SplitMix64(seed: 20)
        var known: Set<String> = []
        for round in 0..<20 {
            let (process, _, err) = try Executable.start("ingestd", ["--replay", trace, "--speed", "30000", "--state-directory", state])
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.8, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let ended = log.split(separator: "\n").filter { $0.contains(" ended: ") }.map {
                String($0.split(separator: " ")[2])
            }
            let ids = try Self.checkFiles(state)
            for id in ended { #expect(ids.contains(id), "round \(round): \(id) was reported ended but is not in the database") }
            #expect(ids.isSuperset(of: known), "round \(round): a finished session disappeared")
            known = ids
        }
        let full = try Executable.run("ingestd", ["--replay", trace, "--speed", "max", "--state-directory", state])
        #expect(full.status == 0)
        let ids = try Self.checkFiles(state)
        #expect(ids.count == 6)
        let leftovers = (FileManager.default.enumerator(atPath: state)?.allObjects as? [String] ?? []).filter { $0.contains(".tmp.") }
        #expect(leftovers.isEmpty, "temp files of killed writes are swept at start: \(leftovers)")
        #expect(try StateDatabase.reading(stateDirectory: state)?.days().count == 6, "every session counted once in the week")
    }

    /// SIGKILL during the first start's import of 1 500 session exports into a new database, 20
    /// times (the database removed before each start, as after a damaged one was moved aside):
    /// the import is one transaction, so every kill leaves none or all of them, and the
    /// database always passes SQLite's integrity check.
    @Test func twentyKillsDuringTheImportLeaveAllOrNothing() throws {
        let state = try FileBytes.temporaryDirectory("crash-import")
        let short = TestPaths.fixture("fit-analyzer-jarkko/20748058539_ACTIVITY.fit")
        let seed = try Executable.run("ingestd", ["--replay", short, "--speed", "max", "--state-directory", state])
        try #require(seed.status == 0)
        let original = try #require(FileBytes.files(under: state + "/sessions", suffix: ".json").first)
        let base = try JSONLines.decode(SessionRecord.self, from: try FileBytes.read(original))
        let count = 1_500
        for k in 1...count {
            var r = base
            r.startUnix = base.startUnix - Double(k) * 10_800
            r.id = SessionRecord.identifier(start: r.startUnix, device: DeviceAddress("A0:9E:1A:00:00:01")!)
            try Data(JSONLines.pretty(r).utf8).write(to: URL(fileURLWithPath: state + "/sessions/" + r.id + ".json"))
        }
        let database = state + "/" + StateDatabase.fileName
        func removeDatabase() { for suffix in ["", "-wal", "-shm"] { unlink(database + suffix) } }
        // How long an uninterrupted import and replay take here: the kills land inside that.
        removeDatabase()
        let started = Date()
        #expect(try Executable.run("ingestd", ["--replay", short, "--speed", "max", "--state-directory", state]).status == 0)
        let span = max(0.05, Date().timeIntervalSince(started))
        #expect(try StateDatabase.reading(stateDirectory: state)?.sessionCount() == count + 1)

        var rng = SplitMix64(seed: 18)
        var outcomes: [String: Int] = [:]
        for round in 0..<20 {
            removeDatabase()
            let (process, _, _) = try Executable.start("ingestd", ["--replay", short, "--speed", "max", "--state-directory", state])
            Thread.sleep(forTimeInterval: Double.random(in: 0.01...span, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let opened = Result { try StateDatabase.reading(stateDirectory: state) }
            if case .failure(let error) = opened, "\(error)".contains("not (yet)") {
                outcomes["before the schema", default: 0] += 1
                continue
            }
            guard let reader = try opened.get() else {
                outcomes["before the file", default: 0] += 1
                continue
            }
            #expect(try reader.integrityCheck() == "ok", "round \(round)")
            let stored = try reader.sessionCount()
            #expect(stored == 0 || stored == count + 1, "round \(round): \(stored) sessions, not none or all")
            outcomes[stored == 0 ? "none imported" : "all imported", default: 0] += 1
        }
        print("kills during the import: \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) (span \(span) s)")
        #expect(try Executable.run("ingestd", ["--replay", short, "--speed", "max", "--state-directory", state]).status == 0)
        let reader = try #require(try StateDatabase.reading(stateDirectory: state))
        #expect(try reader.sessionCount() == count + 1 && reader.days().count == count + 1)
    }
}
