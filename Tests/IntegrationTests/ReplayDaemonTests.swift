import Foundation
import Storage
import Testing
import TestSupport

/// The real `ingestd` and `ingestctl` processes, on real recordings.
@Suite(.serialized) struct ReplayDaemonTests {
    static let strength = TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit")

    /// The real E4 graded cycling test (PhysioNet AEROBIC/S02) written as a CSV trace with its RR.
    static func e4Trace() throws -> String { try RealRecordings.e4("AEROBIC", "S02").writeTrace() }

    init() throws {
        let exists = FileManager.default.isExecutableFile(atPath: Executable.path("ingestd"))
            && FileManager.default.isExecutableFile(atPath: Executable.path("ingestctl"))
        // Never skipped: a missing binary is a failure (run `swift build` first, as scripts/test does).
        try #require(exists, "ingestd/ingestctl not built in \(Executable.binDirectory)")
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test func replayWritesSessionsAndStatusAndAnalyzeAgrees() throws {
        let state = try FileBytes.temporaryDirectory("state")
        let run = try Executable.run("ingestd", ["--replay", Self.strength, "--speed", "max", "--state-directory", state])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("replay finished"))

        let files = FileBytes.files(under: state + "/sessions", suffix: ".json")
        try #require(files.count == 1)
        let stored = try JSONSerialization.jsonObject(with: Data(try FileBytes.read(files[0]))) as! [String: Any]

        let analyzed = try Self.jsonLines(try Executable.run("ingestctl", ["analyze", Self.strength, "--json"]).stdout)
        try #require(analyzed.count == 1)
        for key in ["id", "class", "confidence", "start", "end", "duration_seconds", "mean_hr", "max_hr"] {
            #expect("\(stored[key]!)" == "\(analyzed[0][key]!)", "\(key) differs between ingestd and analyze")
        }
        #expect(analyzed[0]["kind"] as? String == "session")

        let status = try Executable.run("ingestctl", ["status", "--state-directory", state])
        #expect(status.status == 3, "the replay daemon has exited: status says so like systemctl")
        #expect(status.stdout.contains("inactive (finished)"))
        #expect(status.stdout.contains(stored["id"] as! String))
        #expect(status.stdout.contains("1 recorded"))

        let sessions = try Executable.run("ingestctl", ["sessions", "--state-directory", state])
        #expect(sessions.status == 0)
        #expect(sessions.stdout.contains(stored["id"] as! String))
        let one = try Executable.run("ingestctl", ["session", stored["id"] as! String, "--state-directory", state])
        #expect(one.status == 0)
        #expect(one.stdout.contains("class       \(stored["class"]!)"))
    }

    @Test func theLabelIsTheSameWhateverTheReplaySpeed() throws {
        let short = TestPaths.fixture("fit-analyzer-jarkko/20748058539_ACTIVITY.fit")  // 31 min
        var outputs: [String] = []
        for speed in ["max", "900"] {
            let state = try FileBytes.temporaryDirectory("speed")
            let run = try Executable.run("ingestd", ["--replay", short, "--speed", speed, "--state-directory", state])
            #expect(run.status == 0)
            let files = FileBytes.files(under: state + "/sessions", suffix: ".json")
            outputs.append(try files.map { String(decoding: try FileBytes.read($0), as: UTF8.self) }.joined())
        }
        #expect(outputs[0] == outputs[1])
        #expect(!outputs[0].isEmpty)
    }

    @Test func sigtermEndsTheOpenSessionCleanly() throws {
        let state = try FileBytes.temporaryDirectory("term")
        let (process, _, err) = try Executable.start("ingestd", ["--replay", Self.strength, "--speed", "200", "--state-directory", state])
        // Wait until the daemon reports a confirmed session, then stop it.
        var waited = 0
        while waited < 300 {
            Thread.sleep(forTimeInterval: 0.1)
            waited += 1
            if let s = try? FileBytes.read(state + "/status.json"),
               String(decoding: s, as: UTF8.self).contains("\"session_id\"") { break }
        }
        process.terminate()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("stopped by signal"))
        #expect(FileBytes.files(under: state + "/sessions", suffix: ".json").count == 1)
        let status = String(decoding: try FileBytes.read(state + "/status.json"), as: UTF8.self)
        #expect(status.contains("\"state\" : \"stopped\""))
    }

    @Test func everyRealRecordingAnalyses() throws {
        var paths = RealRecordings.fitFiles
        paths.append(RealRecordings.polarH10Path)
        paths.append(try Self.e4Trace())
        #expect(paths.count >= 17)
        for path in paths {
            let r = try Executable.run("ingestctl", ["analyze", path, "--json"])
            #expect(r.status == 0, "\(path): \(r.stderr)")
            for line in try Self.jsonLines(r.stdout) {
                #expect(["resistance", "endurance", "hiit", "unclassified"].contains(line["class"] as? String ?? ""))
            }
        }
    }
}

@Suite struct CommandLineErrorTests {
    @Test func badDataExitsOneAndNamesTheLocation() throws {
        let dir = try FileBytes.temporaryDirectory("bad")
        let csv = dir + "/hr900.csv"
        try Data("timestamp,hr,rr\n1700000000,70,\n1700000001,900,\n".utf8).write(to: URL(fileURLWithPath: csv))
        let r = try Executable.run("ingestctl", ["analyze", csv, "--json"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("hr900.csv:3:"))
        #expect(r.stderr.contains("900"))

        let empty = dir + "/empty.csv"
        FileManager.default.createFile(atPath: empty, contents: Data())
        let e = try Executable.run("ingestctl", ["analyze", empty])
        #expect(e.status == 1)
        #expect(e.stderr.contains("empty"))

        let garbage = dir + "/garbage.csv"
        var rng = SplitMix64(seed: 3)
        try Data((0..<2000).map { _ in UInt8.random(in: 0...255, using: &rng) }).write(to: URL(fileURLWithPath: garbage))
        let g = try Executable.run("ingestctl", ["analyze", garbage])
        #expect(g.status == 1)
        #expect(g.stderr.contains("garbage.csv:1:"))
    }

    @Test func aCutFITPrintsWhatWasReadThenFails() throws {
        let bytes = try FileBytes.read(TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"))
        let dir = try FileBytes.temporaryDirectory("cutfit")
        let path = dir + "/cut.fit"
        try Data(bytes.prefix(bytes.count * 9 / 10)).write(to: URL(fileURLWithPath: path))
        let r = try Executable.run("ingestctl", ["analyze", path, "--json"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cut.fit@"))
        #expect(r.stderr.contains("truncated"))
        #expect(try ReplayDaemonTests.jsonLines(r.stdout).count == 1, "the session read before the cut is printed")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try Executable.run("ingestctl", ["analyze"]).status == 2)
        #expect(try Executable.run("ingestctl", ["analyze", "x.csv", "--sex", "other"]).status == 2)
        #expect(try Executable.run("ingestd", ["--replay", "x.csv", "--speed", "fast"]).status == 2)
        let r = try Executable.run("ingestd", ["--replay", "/nonexistent.csv", "--state-directory", try FileBytes.temporaryDirectory("nx")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent.csv"))
    }

    @Test func aBadConfigIsRefusedWithFileLineAndKey() throws {
        let dir = try FileBytes.temporaryDirectory("cfg")
        try Data("[athlete]\nage = 30\nweight = 80\n".utf8).write(to: URL(fileURLWithPath: dir + "/bad.toml"))
        let r = try Executable.run("ingestd", ["--config", dir + "/bad.toml", "--replay", ReplayDaemonTests.strength, "--state-directory", dir])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.toml:3: athlete.weight: unknown key"))
    }
}

@Suite struct HRVCommandTests {
    /// Ten minutes of a real Polar H10 on someone with frequent premature beats: uncorrected, the
    /// gate flags them and no window is clean enough for α1; with Kubios correction every window is.
    @Test func windowedHRVOfARealPolarRecordingWithPrematureBeats() throws {
        let path = RealRecordings.polarH10Path
        let r = try Executable.run("ingestctl", ["hrv", path, "--json", "--overlapping"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try ReplayDaemonTests.jsonLines(r.stdout)
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { ($0["artifact_percent"] as! Double) > 20 }, "the premature beats are flagged")
        #expect(rows.allSatisfy { $0["dfa_alpha1"] == nil }, "α1 is gated, not computed on ectopy")
        let corrected = try Executable.run("ingestctl", ["hrv", path, "--json", "--correct", "1000"])
        #expect(corrected.status == 0)
        let correctedRows = try ReplayDaemonTests.jsonLines(corrected.stdout)
        #expect(correctedRows.count > 80, "8 min after the first 2-min window, every 5 s")
        let alphas = correctedRows.compactMap { $0["dfa_alpha1"] as? Double }
        #expect(alphas.count == correctedRows.count, "corrected beats leave no window gated by artifacts")
        // What remains after correction still alternates short-long: strongly anti-correlated.
        #expect(alphas.allSatisfy { $0 > 0 && $0 < 0.5 }, "\(alphas)")
        let fit = try Executable.run("ingestctl", ["hrv", TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit")])
        #expect(fit.status == 0)
        #expect(fit.stdout.contains("no RR intervals"))
    }
}

@Suite(.serialized) struct WeeklyStateTests {
    /// The sessions the state database counts in the weeks.
    static func weeklyIDs(_ state: String) throws -> [String] {
        try StateDatabase.reading(stateDirectory: state)?.days().map(\.id) ?? []
    }

    @Test func theWeekSurvivesKillsAndRestartsWithoutCountingTwice() throws {
        let state = try FileBytes.temporaryDirectory("weekly")
        let a = TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit")
        let b = TestPaths.fixture("fit-analyzer-jarkko/20744294788_ACTIVITY.fit")
        #expect(try Executable.run("ingestd", ["--replay", a, "--state-directory", state]).status == 0)
        #expect(try Self.weeklyIDs(state).count == 1)

        // SIGKILL in the middle of the second recording: the database stays whole and holds A only.
        let (process, _, _) = try Executable.start("ingestd", ["--replay", b, "--speed", "300", "--state-directory", state])
        // Killed once its session is open (the status names it), long before the replay ends.
        for _ in 0..<300 {
            if let s = try? FileBytes.read(state + "/status.json"),
               String(decoding: s, as: UTF8.self).contains("\"session_id\"") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(process.isRunning, "still replaying when killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try Self.weeklyIDs(state).count == 1)

        #expect(try Executable.run("ingestd", ["--replay", b, "--state-directory", state]).status == 0)
        let ids = try Self.weeklyIDs(state)
        #expect(ids.count == 2)
        #expect(try Executable.run("ingestd", ["--replay", b, "--state-directory", state]).status == 0)
        #expect(try Self.weeklyIDs(state) == ids, "replaying the same session again counts nothing twice")

        let week = try Executable.run("ingestctl", ["week", "--state-directory", state, "--json"])
        #expect(week.status == 0)
        let w = try JSONSerialization.jsonObject(with: Data(week.stdout.utf8)) as! [String: Any]
        #expect(w["kind"] as? String == "week")
        #expect((w["strength_days"] as? Int ?? 0) >= 1)
        let status = try Executable.run("ingestctl", ["status", "--state-directory", state])
        #expect(status.stdout.contains("Week: week ending"))
    }

    @Test func aBadGenotypeIsAConfigErrorNamingTheKey() throws {
        let dir = try FileBytes.temporaryDirectory("fto")
        try Data("[athlete]\nfto_rs9939609 = \"AG\"\n".utf8).write(to: URL(fileURLWithPath: dir + "/c.toml"))
        let r = try Executable.run("ingestctl", ["week", "--state-directory", dir, "--config", dir + "/c.toml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("c.toml:2: athlete.fto_rs9939609"))
    }
}

@Suite struct SessionFileTests {
    @Test func fitExportsPassGarminsDecoderWithEqualHRAndRR() throws {
        let state = try FileBytes.temporaryDirectory("fit")
        let trace = try ReplayDaemonTests.e4Trace()
        #expect(try Executable.run("ingestd", ["--replay", trace, "--state-directory", state]).status == 0)
        let fits = FileBytes.files(under: state + "/sessions", suffix: ".fit")
        try #require(fits.count == 1)
        let r = try Executable.runTool("/usr/bin/env", ["python3", TestPaths.packageRoot + "/scripts/validate_fit.py", fits[0]])
        try #require(r.status == 0, "garmin-fit-sdk: \(r.stderr)")
        let d = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(d["is_fit"] as? Bool == true && d["integrity"] as? Bool == true)
        #expect((d["errors"] as? [Any])?.isEmpty == true)
        let counts = d["counts"] as! [String: Int]
        for m in ["file_id_mesgs", "record_mesgs", "hrv_mesgs", "session_mesgs", "lap_mesgs", "activity_mesgs"] {
            #expect((counts[m] ?? 0) > 0, "\(m) missing")
        }
        // RR read back equal to the session's RR file (FIT stores whole milliseconds).
        let rrText = String(decoding: try FileBytes.read(fits[0].replacingOccurrences(of: ".fit", with: ".rr.txt")), as: UTF8.self)
        let rrFile = rrText.split(separator: "\n").map { Double($0)!.rounded() }
        #expect(d["rr_ms"] as? [Double] == rrFile)
        #expect(rrFile.count > 1500)
        let hr = d["heart_rates"] as! [Int]
        #expect(hr.count > 900 && hr.allSatisfy { $0 > 30 && $0 < 220 })
        // The HR records are the engine's own inputs: one per second of the session.
        let summary = try JSONSerialization.jsonObject(with: Data(try FileBytes.read(fits[0].replacingOccurrences(of: ".fit", with: ".json")))) as! [String: Any]
        // ingestctl export gives the same bytes.
        let id = URL(fileURLWithPath: fits[0]).deletingPathExtension().lastPathComponent
        let out = state + "/exported.fit"
        #expect(try Executable.run("ingestctl", ["export", id, "--format", "fit", "-o", out, "--state-directory", state]).status == 0)
        #expect(try FileBytes.read(out) == FileBytes.read(fits[0]))
        let csv = try Executable.run("ingestctl", ["export", id, "--format", "csv", "--state-directory", state])
        #expect(csv.status == 0 && csv.stdout.hasPrefix("rr_ms\n"))
        #expect(try Executable.run("ingestctl", ["export", "nope", "--format", "json", "--state-directory", state]).status == 2,
                "not a session ID: a usage error")
        #expect(try Executable.run("ingestctl", ["export", "20000101T000000Z-replay", "--format", "json", "--state-directory", state]).status == 1,
                "a session ID nobody recorded")
        // Never replace what is not a regular file, never write through a link; `-` is stdout.
        let fifo = state + "/fifo"
        mkfifo(fifo, 0o600)
        let link = state + "/link.fit"
        let victim = state + "/victim"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        symlink(victim, link)
        for target in [fifo, link, "/dev/null", state] {
            let r = try Executable.run("ingestctl", ["export", id, "--format", "fit", "-o", target, "--state-directory", state], timeout: 20)
            #expect(r.status == 1 && r.stderr.contains("not replacing it"), "\(target): \(r.stderr)")
        }
        var st = stat()
        #expect(lstat("/dev/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR, "/dev/null is still a device")
        #expect(lstat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
        #expect(String(decoding: try FileBytes.read(victim), as: UTF8.self) == "keep me")
        let dash = try Executable.run("ingestctl", ["export", id, "--format", "json", "-o", "-", "--state-directory", state])
        #expect(dash.status == 0 && dash.stdout.contains("\"id\""))
        let session = d["session"] as! [String: Any]
        #expect(session["avg_heart_rate"] as? Int == Int((summary["mean_hr"] as! Double).rounded()))
    }
}
