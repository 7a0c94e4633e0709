import Foundation
import IngestDaemon
import Testing
import TestSupport

/// A real systemd-journald, started by the test (SYSTEMD.md recipe), read back with journalctl.
@Suite(.serialized) struct JournalTests {
    static let sessionEnded = "326c8eb9be4544718ead63fd18611a5b"
    static let daemonStarted = "bea899ffb2b44f27be74f4b877ee39d8"
    /// Every MESSAGE_ID the daemon logs (the catalog must explain each).
    static let allIDs = EventMessage.Kind.allCases.map(\.messageID)

    /// Runs `body` with a journald listening; starts (and afterwards stops) one when none is.
    static func withJournald(_ body: () throws -> Void) throws {
        let socket = "/run/systemd/journal/socket"
        var started: Process? = nil
        if !FileManager.default.fileExists(atPath: socket) {
            let journald = Process()
            journald.executableURL = URL(fileURLWithPath: "/lib/systemd/systemd-journald")
            journald.standardOutput = FileHandle.nullDevice
            journald.standardError = FileHandle.nullDevice
            try journald.run()
            started = journald
            var waited = 0
            while !FileManager.default.fileExists(atPath: socket) && waited < 100 {
                Thread.sleep(forTimeInterval: 0.1)
                waited += 1
            }
        }
        defer {
            if let started {
                started.terminate()
                started.waitUntilExit()
                try? FileManager.default.removeItem(atPath: "/run/systemd/journal")
                try? FileManager.default.removeItem(atPath: "/run/log/journal")
            }
        }
        try #require(FileManager.default.fileExists(atPath: socket), "journald did not come up")
        try body()
    }

    static func entries(_ messageID: String, field: String, equals value: String, also: [String] = []) throws -> [[String: Any]] {
        for _ in 0..<50 {
            let r = try Executable.runTool("/bin/journalctl", ["-D", "/run/log/journal", "-o", "json", "--all", "--no-pager",
                                                               "MESSAGE_ID=\(messageID)", "\(field)=\(value)"] + also)
            let found = r.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            if !found.isEmpty { return found }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return []
    }

    @Test func sessionEntriesCarryStructuredFields() throws {
        try Self.withJournald {
            let state = try FileBytes.temporaryDirectory("journal")
            // A private copy: other suites replay the same fixture (same session ID) while this
            // journald listens, so this run's entries are told apart by the daemon's PID.
            let recording = state + "/20474406937_ACTIVITY.fit"
            try FileManager.default.copyItem(atPath: TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"),
                                             toPath: recording)
            let run = try Executable.run("ingestd", ["--replay", recording, "--state-directory", state])
            #expect(run.status == 0)
            let files = FileBytes.files(under: state + "/sessions", suffix: ".json")
            try #require(files.count == 1)
            let stored = try JSONSerialization.jsonObject(with: Data(try FileBytes.read(files[0]))) as! [String: Any]
            let id = stored["id"] as! String

            let start = try Self.entries(Self.daemonStarted, field: "REPLAY_FILE", equals: recording)
            let pid = try #require(start.first?["_PID"] as? String, "a daemon-started entry names \(recording)")
            let ended = try Self.entries(Self.sessionEnded, field: "SESSION_ID", equals: id, also: ["_PID=\(pid)"])
            try #require(ended.count == 1, "one session-ended entry for \(id) from this run")
            let e = ended[0]
            #expect(e["SYSLOG_IDENTIFIER"] as? String == "ingestd")
            #expect(e["PRIORITY"] as? String == "5")
            #expect(e["SESSION_CLASS"] as? String == stored["class"] as? String)
            #expect(Double(e["CLASS_CONFIDENCE"] as? String ?? "") == stored["confidence"] as? Double)
            #expect(Double(e["TRIMP"] as? String ?? "") == (stored["trimp"] as! [String: Any])["banister"] as? Double)
            #expect(Int(e["DURATION_SEC"] as? String ?? "") == Int(((stored["duration_seconds"] as? Double) ?? -1).rounded()))
            #expect((e["MESSAGE"] as? String)?.contains("session \(id) ended") == true)
            let json = try JSONSerialization.jsonObject(with: Data((e["SESSION_JSON"] as? String ?? "").utf8)) as! [String: Any]
            #expect(json["id"] as? String == id, "the journal alone rebuilds the session")
            #expect((json["stimulus"] as? [Any])?.count == 6)

            #expect(start.count == 1)

            // The fleet view from the journal files alone (sd-journal, MESSAGE_ID match), with a
            // damaged entry of ours beside it: skipped with a warning, the rest still shown.
            let damaged = state + "/damaged.fields"
            try Data("MESSAGE_ID=\(Self.sessionEnded)\nMESSAGE=not really\nSESSION_JSON={\"id\": 7}\n".utf8)
                .write(to: URL(fileURLWithPath: damaged))
            #expect(try Executable.runTool("/usr/bin/logger", ["--journald=\(damaged)"]).status == 0)
            var fleet = try Executable.run("ingestctl", ["fleet", "--journal-dir", "/run/log/journal", "--json"])
            for _ in 0..<30 where !fleet.stderr.contains("SESSION_JSON is not a session summary") {
                Thread.sleep(forTimeInterval: 0.1)
                fleet = try Executable.run("ingestctl", ["fleet", "--journal-dir", "/run/log/journal", "--json"])
            }
            #expect(fleet.status == 0, "\(fleet.stderr)")
            #expect(fleet.stderr.contains("SESSION_JSON is not a session summary"), "\(fleet.stderr)")
            let rows = fleet.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let mine = rows.filter { $0["id"] as? String == id }
            try #require(mine.count == 1, "one fleet row for \(id) (duplicates from earlier runs count once)")
            #expect(mine[0]["class"] as? String == stored["class"] as? String)
            #expect(mine[0]["gateway"] as? String == ProcessInfo.processInfo.hostName)
            #expect((mine[0]["stimulus"] as? [String: Any])?.isEmpty == false)
            let text = try Executable.run("ingestctl", ["fleet", "--journal-dir", "/run/log/journal"])
            #expect(text.stdout.contains("strap \(stored["device"] as? String ?? "?")") && text.stdout.contains(id), "\(text.stdout)")
            let listed = try Executable.run("ingestctl", ["sessions", "--journal-dir", "/run/log/journal"])
            #expect(listed.status == 0 && listed.stdout.contains(id), "\(listed.stdout)")
        }
    }

    @Test func fleetSaysWhatIsWrongWithADirectory() throws {
        let empty = try FileBytes.temporaryDirectory("nojournal")
        try Data("not a journal".utf8).write(to: URL(fileURLWithPath: empty + "/x.journal"))
        let r = try Executable.run("ingestctl", ["fleet", "--journal-dir", empty])
        #expect(r.status == 0 && r.stdout.contains("no sessions"), "\(r.stdout)\(r.stderr)")
        let missing = try Executable.run("ingestctl", ["fleet", "--journal-dir", empty + "/nowhere"])
        #expect(missing.status == 1 && missing.stderr.contains("not a directory of journal files"))
        let badSince = try Executable.run("ingestctl", ["fleet", "--journal-dir", empty, "--since", "yesterday"])
        #expect(badSince.status == 2 && badSince.stderr.contains("--since yesterday"))
    }

    @Test func theCatalogExplainsEveryMessageID() throws {
        let root = try FileBytes.temporaryDirectory("catalog")
        let dir = root + "/usr/lib/systemd/catalog"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.packageRoot + "/systemd/ingestd.catalog", toPath: dir + "/ingestd.catalog")
        #expect(try Executable.runTool("/bin/journalctl", ["--root=\(root)", "--update-catalog"]).status == 0)
        let list = try Executable.runTool("/bin/journalctl", ["--root=\(root)", "--list-catalog"])
        for id in Self.allIDs { #expect(list.stdout.contains(id), "catalog lacks \(id)") }
        // And the other way: every entry of the catalog file is a kind the daemon logs.
        let text = String(decoding: try FileBytes.read(TestPaths.packageRoot + "/systemd/ingestd.catalog"), as: UTF8.self)
        let entries = text.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        #expect(Set(entries) == Set(Self.allIDs), "catalog entries without a kind: \(Set(entries).subtracting(Self.allIDs))")
        #expect(entries.count == Set(entries).count, "no entry twice")
    }

    @Test func theUnitIsHardenedToAnExposureOfAtMostHalf() throws {
        #expect(try Self.exposure("ingestd.service") <= 0.5)
    }

    /// The board serves HTTP, so it keeps the network (loopback only as shipped) and the ingestd
    /// group for the control socket: measured 1.1, "OK".
    @Test func theBoardUnitIsHardenedToAnExposureOfAtMostOnePointTwo() throws {
        #expect(try Self.exposure("ingestd-board.service") <= 1.2)
        let unit = String(decoding: try FileBytes.read(TestPaths.packageRoot + "/systemd/ingestd-board.service"), as: UTF8.self)
        #expect(unit.contains("--listen 127.0.0.1:") && unit.contains("SupplementaryGroups=ingestd"))
    }

    /// `systemd-analyze security --offline` of a unit in systemd/.
    static func exposure(_ unit: String) throws -> Double {
        let r = try Executable.runTool("/usr/bin/systemd-analyze",
                                       ["security", "--offline=true", TestPaths.packageRoot + "/systemd/" + unit])
        let line = (r.stdout + r.stderr).split(separator: "\n").first { $0.contains("Overall exposure level") }
        let score = line.flatMap { $0.split(separator: ":").last?.split(separator: " ").first }.flatMap { Double($0) }
        return try #require(score, "no exposure score in: \(r.stdout.suffix(300))")
    }
}
