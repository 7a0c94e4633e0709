import Foundation
import HeartRateWire
import IngestDaemon
import Storage
import Testing
import TestSupport
import Traces

/// What a hostile strap, a crafted file or a careless admin can send the real binaries: nothing
/// crashes, hangs or loses what was already accepted (issue 16).
@Suite(.serialized) struct HostileInputTests {
    static let strap = DeviceAddress("C0:FF:EE:00:00:42")!

    /// A raw log of a 40-min session at 150 bpm, with `inject` bytes every `every` notifications.
    static func rawLog(at path: String, inject: [UInt8], every: Int) throws {
        var bytes = RawLogFormat.header()
        for i in 0..<2400 {
            let value = i % every == every / 2 ? inject
                : HeartRateMeasurement(heartRate: UInt16(150 + i % 9), rrIntervals: RRIntervals([400])).encoded()
            bytes += try RawLogFormat.encode(RawNotification(
                receiveTimeMicros: 1_700_000_000_000_000 + Int64(i) * 1_000_000, device: strap,
                characteristic: .heartRateMeasurement, value: value))
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func heartRateZeroWithRRZeroMidSessionKeepsTheSession() throws {
        let state = try FileBytes.temporaryDirectory("rr-zero")
        let log = state + "/zero.wiraw"
        try Self.rawLog(at: log, inject: [0x10, 0x00, 0x00, 0x00], every: 200)
        for _ in 0..<2 {  // and its replay again: the same, not a crash the second time
            let run = try Executable.run("ingestd", ["--replay", log, "--speed", "max", "--state-directory", state], timeout: 60)
            #expect(run.status == 0, "\(run.stderr.suffix(600))")
            let ids = FileBytes.files(under: state + "/sessions", suffix: ".json")
            #expect(ids.count == 1)
            #expect(FileBytes.files(under: state + "/sessions", suffix: ".fit").count == 1)
            #expect(FileBytes.files(under: state + "/sessions", suffix: ".rr.txt").count == 1)
        }
    }

    /// One flipped byte inside a raw log: `ingestctl analyze` warns with the offset and still
    /// finds the session around it (it used to read such a log silently and drop what followed).
    @Test func analyzeWarnsOfDamageInsideARawLogAndKeepsTheRest() throws {
        let dir = try FileBytes.temporaryDirectory("flip")
        let log = dir + "/flip.wiraw"
        try Self.rawLog(at: log, inject: HeartRateMeasurement(heartRate: 150, rrIntervals: RRIntervals([400])).encoded(), every: 1_000_000)
        let clean = try Executable.run("ingestctl", ["analyze", log, "--json"], timeout: 60)
        var bytes = try FileBytes.read(log)
        let size = try RawLogFormat.encode(RawNotification(receiveTimeMicros: 0, device: Self.strap, characteristic: .heartRateMeasurement,
                                                           value: HeartRateMeasurement(heartRate: 150, rrIntervals: RRIntervals([400])).encoded())).count
        let at = RawLogFormat.headerSize + 1200 * size + 7
        bytes[at] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: log))
        let damaged = try Executable.run("ingestctl", ["analyze", log, "--json"], timeout: 60)
        #expect(damaged.status == 0)
        #expect(damaged.stderr.contains("warning: \(log)@\(at - 7): damaged record"), "\(damaged.stderr)")
        let count = { (text: String) in text.split(separator: "\n").filter { $0.contains(#""kind":"session""#) }.count }
        #expect(count(damaged.stdout) == count(clean.stdout) && count(clean.stdout) == 1)
    }

    @Test func aTimestampOfOneE19IsAnErrorNotASpin() throws {
        let state = try FileBytes.temporaryDirectory("jump")
        var text = "timestamp,hr,rr\n"
        for i in 0..<1200 { text += "\(1_700_000_000 + i),\(150 + i % 9),\n" }
        let bad = state + "/bad.csv"
        try Data((text + "1e19,150,\n").utf8).write(to: URL(fileURLWithPath: bad))
        let analyze = try Executable.run("ingestctl", ["analyze", bad, "--json"], timeout: 30)
        #expect(!analyze.timedOut)
        #expect(analyze.status == 1)
        #expect(analyze.stderr.contains("bad.csv:1202"), "names file and line: \(analyze.stderr)")
        #expect(analyze.stdout.contains(#""kind":"session""#), "the session read before the bad line is printed")
        let replay = try Executable.run("ingestd", ["--replay", bad, "--speed", "max", "--state-directory", state], timeout: 30)
        #expect(!replay.timedOut)
        #expect(replay.status == 1)
        #expect(FileBytes.files(under: state + "/sessions", suffix: ".json").count == 1, "the session before it is saved")

        // A jump of six thousand years inside the plausible range: paced replay skips the gap.
        let far = state + "/far.csv"
        try Data((text + "200000000000,150,\n").utf8).write(to: URL(fileURLWithPath: far))
        let paced = try Executable.run("ingestd", ["--replay", far, "--speed", "1000", "--state-directory", state], timeout: 60)
        #expect(!paced.timedOut, "the gap was waited out")
        #expect(paced.status == 0, "\(paced.stderr.suffix(400))")
    }

    /// SIGKILL while a live session is open (systemd would restart the daemon), `INGEST_KILLS`
    /// times (1 in CI; 20 for the figure in the README): each restarted daemon rebuilds the
    /// engine from the raw log, the session goes on under the same ID, and what is saved at
    /// stop equals `ingestctl analyze` of the raw log. Lost: what the strap sent while no
    /// daemon ran, and at most one second besides per kill (what was queued but unread).
    @Test func aSessionOpenAtSIGKILLContinuesAfterTheRestart() throws {
        let kills = ProcessInfo.processInfo.environment["INGEST_KILLS"].flatMap(Int.init) ?? 1
        let interval = 0.025
        let values = try PolarNotifications.first(1400 + 160 * kills)
        let config = "[athlete]\nage = 35\nresting_heart_rate = 50\n[session]\nstart_active_seconds = 30\n"
        try LiveRig.with(straps: 1) { rig in
            let address = LiveRig.strapAddress(1)
            try rig.startStraps([1], values: values, options: ["--interval", String(interval)])
            try rig.startDaemon(config: config)
            let open = rig.wait(timeout: 60) { ($0.first?["session_id"] as? String) != nil }
            let before = rig.devices().first?["session_id"] as? String
            try #require(open, "a session opened: \(rig.log)")
            var resumed = 0
            for kill in 0..<kills {
                if kill > 0 {  // let the restarted daemon stream a while first
                    let mark = try rig.rawLog(address).count
                    let end = Date().addingTimeInterval(30)
                    while try rig.rawLog(address).count < mark + 80 && Date() < end { Thread.sleep(forTimeInterval: 0.1) }
                }
                #expect(rig.signal(SIGKILL) == false)
                try rig.startDaemon(config: config)
                if rig.wait(timeout: 20, until: { ($0.first?["session_id"] as? String) == before }) { resumed += 1 }
            }
            #expect(resumed == kills, "the session was open again after every restart")
            var count = -1
            var stableSince = Date()
            let end = Date().addingTimeInterval(120)
            while Date() < end {
                let now = try rig.rawLog(address).count
                if now != count { count = now; stableSince = Date() }
                if count >= values.count || Date().timeIntervalSince(stableSince) > 3 { break }
                Thread.sleep(forTimeInterval: 0.2)
            }
            #expect(rig.log.contains("session \(before ?? "?") resumed from its raw log"), "\(rig.log)")
            #expect(rig.stopDaemon() == 0)
            var times: [Double] = []
            var logged: [[UInt8]] = []
            for file in rig.rawLogFiles {
                var reader = RawLogReader(InMemoryByteSource(try FileBytes.read(file)), name: file)
                while let n = try reader.nextNotification() {
                    guard n.characteristic == .short(0x2A37) else { continue }
                    times.append(n.time)
                    logged.append(n.value)
                }
            }
            // The raw log is the strap's sequence with gaps only at the kills.
            var rest = values[...]
            for v in logged {
                guard let k = rest.firstIndex(of: v) else { Issue.record("a notification the strap never sent"); break }
                rest = rest[(k + 1)...]
            }
            let lost = values.count - logged.count
            let downtime = zip(times.dropFirst(), times).map { $0 - $1 }.filter { $0 > 0.2 }.reduce(0, +)
            let beyond = Double(lost) * interval - downtime
            #expect(lost >= 0 && beyond <= Double(kills), "\(lost) notifications lost over \(kills) kills, \(downtime) s down")
            print("SIGKILL: \(kills) kills, \(lost) notifications lost (\(Double(lost) * interval) s of strap time) over \(downtime) s "
                  + "with no daemon running; beyond the downtime: \(max(beyond, 0) / Double(kills)) s per kill")
            try LiveReplayEquivalenceTests.expectLiveSessionEqualsReplay(stateDirectory: rig.dir + "/state",
                                                                         config: rig.dir + "/ingestd.toml", log: rig.log)
            let ids = FileBytes.files(under: rig.dir + "/state/sessions", suffix: ".json").map { ($0 as NSString).lastPathComponent }
            #expect(ids == [(before ?? "") + ".json"], "one session, under the ID it had before the kills")
        }
    }

    /// The system bus goes away (dbus-daemon restarted): ingestd says so, saves what is open and
    /// exits non-zero so systemd's Restart= brings it back on a new connection (it used to stay
    /// up, `offline`, recording nothing, for ever).
    @Test func losingTheSystemBusExitsNonZero() throws {
        let values = try PolarNotifications.first(4000)
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values, options: ["--interval", "0.02"])
            try rig.startDaemon()
            #expect(rig.wait(timeout: 30) { ($0.first?.int("samples") ?? 0) > 50 }, "\(rig.log)")
            rig.killBus()
            let code = rig.daemonExit(within: 15)
            #expect(code == 1, "exit \(String(describing: code)): \(rig.log.suffix(800))")
            #expect(rig.log.contains("lost the system bus"))
        }
    }

    /// A strap taken off the allow-list by SIGHUP is released at once: it stops streaming into
    /// the raw log and leaves the device list; the strap still listed streams on.
    @Test func sighupReleasesAStrapRemovedFromTheAllowList() throws {
        let values = try PolarNotifications.first(3000)
        try LiveRig.with(straps: 2) { rig in
            let (kept, dropped) = (LiveRig.strapAddress(1), LiveRig.strapAddress(2))
            try rig.startStraps([1, 2], values: values, options: ["--interval", "0.01"])
            try rig.startDaemon(config: "[bluetooth]\nstraps = [\"\(kept)\", \"\(dropped)\"]\n")
            #expect(rig.wait(timeout: 30) { d in d.count == 2 && d.allSatisfy { $0.int("samples") > 50 } }, "\(rig.log)")
            try Data("[bluetooth]\nstraps = [\"\(kept)\"]\n".utf8).write(to: URL(fileURLWithPath: rig.dir + "/ingestd.toml"))
            #expect(rig.signal(SIGHUP))
            #expect(rig.wait(timeout: 10) { d in d.count == 1 && d[0].text("address") == kept }, "\(rig.devices())")
            let frozen = try rig.rawLog(dropped).count
            Thread.sleep(forTimeInterval: 2)
            #expect(try rig.rawLog(dropped).count == frozen, "nothing more recorded from the released strap")
            #expect(rig.log.contains("strap \(dropped) is no longer allowed (configuration reloaded); released"))
            #expect(rig.stopDaemon() == 0)
            #expect(try rig.rawLog(kept).count > frozen, "the listed strap streamed on")
        }
    }

    static let strength = TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit")

    /// Under umask 022 (outside systemd), everything the daemon writes is its own: files 0600,
    /// directories 0700.
    @Test func filesArePrivateWhateverTheUmask() throws {
        let state = try FileBytes.temporaryDirectory("modes") + "/state"
        let old = umask(0o022)
        defer { umask(old) }
        let run = try Executable.run("ingestd", ["--replay", Self.strength, "--speed", "max", "--state-directory", state], timeout: 60)
        #expect(run.status == 0)
        var files = FileBytes.files(under: state + "/sessions", suffix: "")
        files += [state + "/status.json", state + "/athletes.json", state + "/" + StateDatabase.fileName]
        files += ["-wal", "-shm"].map { state + "/" + StateDatabase.fileName + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
        #expect(files.count >= 5, "summary, FIT, status, athletes, database: \(files)")
        for file in files {
            var st = stat()
            #expect(stat(file, &st) == 0 && st.st_mode & 0o777 == 0o600, "\(file): \(String(st.st_mode & 0o777, radix: 8))")
        }
        for dir in [state, state + "/sessions"] {
            var st = stat()
            #expect(stat(dir, &st) == 0 && st.st_mode & 0o777 == 0o700, "\(dir): \(String(st.st_mode & 0o777, radix: 8))")
        }
    }

    /// Links planted in the state directory are never followed: a `status.json` or
    /// `weekly.json` link leaves its target untouched (and unread), and the daemon refuses a
    /// state directory others can write.
    @Test func plantedLinksAreNotFollowedAndOpenDirectoriesRefused() throws {
        let dir = try FileBytes.temporaryDirectory("planted")
        let state = dir + "/state"
        try FileManager.default.createDirectory(atPath: state + "/sessions", withIntermediateDirectories: true)
        chmod(state, 0o700)
        let secret = dir + "/root-only"
        try Data("secret".utf8).write(to: URL(fileURLWithPath: secret))
        chmod(secret, 0o600)
        symlink(secret, state + "/status.json")
        symlink(secret, state + "/weekly.json")
        let run = try Executable.run("ingestd", ["--replay", Self.strength, "--speed", "max", "--state-directory", state], timeout: 60)
        #expect(run.status == 0, "\(run.stderr.suffix(500))")
        #expect(String(decoding: try FileBytes.read(secret), as: UTF8.self) == "secret", "the link's target is untouched")
        #expect(!FileManager.default.fileExists(atPath: state + "/weekly.json.corrupt"), "nothing copied out of it")
        var st = stat()
        #expect(lstat(state + "/status.json", &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG, "the link was replaced, not written through")
        #expect(run.stderr.contains("weekly.json: not a regular file"))

        let open = dir + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: true)
        chmod(open, 0o777)
        let refused = try Executable.run("ingestd", ["--replay", Self.strength, "--speed", "max", "--state-directory", open], timeout: 60)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is writable by group or others"), "\(refused.stderr)")
    }

    /// A second ingestd on the same control socket (or state directory) refuses to start, and
    /// the first stays reachable.
    @Test func aSecondDaemonOnTheSameSocketRefusesToStart() throws {
        let dir = try FileBytes.temporaryDirectory("twice")
        let socket = dir + "/control"
        let (first, _, _) = try Executable.start("ingestd", ["--replay", Self.strength, "--speed", "max",
                                                             "--state-directory", dir + "/a", "--control-socket", socket, "--keep-running"])
        defer { PrivateBus.stop(first) }
        try ControlSocketTests.waitFor("the first daemon") { (try? ControlClient.request(["request": "status"], socketPath: socket)) != nil }
        for state in [dir + "/b", dir + "/a"] {
            let second = try Executable.run("ingestd", ["--replay", Self.strength, "--speed", "max", "--state-directory", state,
                                                        "--control-socket", state == dir + "/a" ? dir + "/other" : socket], timeout: 30)
            #expect(second.status == 1)
            #expect(second.stderr.contains("another ingestd (pid \(first.processIdentifier)) already uses the"), "\(second.stderr)")
        }
        #expect((try? ControlClient.request(["request": "status"], socketPath: socket)) != nil, "the first is still reachable")
        #expect(FileManager.default.fileExists(atPath: socket))
    }

    /// With `sessions/` not writable the daemon says so once per cause, counts the errors in
    /// status and exits non-zero (it used to log nothing); the session itself is in the database.
    @Test func storageErrorsAreReportedOnceWithACount() throws {
        let dir = try FileBytes.temporaryDirectory("readonly")
        chmod(dir, 0o755)
        let state = dir + "/state"
        try FileManager.default.createDirectory(atPath: state + "/sessions", withIntermediateDirectories: true)
        _ = try Executable.runTool("/bin/chown", ["-R", "65534:65534", state])
        chmod(state, 0o700)
        chmod(state + "/sessions", 0o500)
        // A copy the other user can read wherever the checkout is (a 0700 clone).
        let short = dir + "/short.fit"
        try FileManager.default.copyItem(atPath: TestPaths.fixture("fit-analyzer-jarkko/20748058539_ACTIVITY.fit"), toPath: short)
        let run = try Executable.runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                              Executable.path("ingestd"), "--replay", short, "--speed", "max",
                                                              "--state-directory", state], timeout: 60)
        #expect(run.status == 1, "\(run.stderr.suffix(800))")
        let lines = run.stderr.split(separator: "\n").filter { $0.contains("storage error") }
        #expect(lines.count == 2, "the summary export and the RR/FIT files, once each: \(lines)")
        #expect(lines.first?.contains("summary export not written") == true, "\(lines)")
        let status = try JSONSerialization.jsonObject(with: Data(try FileBytes.read(state + "/status.json"))) as? [String: Any]
        #expect(status?["sessions_recorded"] as? Int == 1, "committed to the database")
        #expect(status?["sessions_not_saved"] == nil)
        #expect((status?["storage_errors"] as? Int ?? 0) >= 2)
        let text = try Executable.run("ingestctl", ["status", "--state-directory", state])
        #expect(text.stdout.contains("Storage: "), "\(text.stdout)")
        let listed = try Executable.run("ingestctl", ["sessions", "--state-directory", state])
        #expect(listed.status == 0 && listed.stdout.split(separator: "\n").count == 1, "\(listed.stdout) \(listed.stderr)")
    }

    @Test func checkConfigSaysWhetherTheFileIsGood() throws {
        let dir = try FileBytes.temporaryDirectory("check")
        try Data("[athlete]\r\nage = 40\r\n".utf8).write(to: URL(fileURLWithPath: dir + "/good.toml"))
        try Data("[athlete]\r\n\r\nage = 900\r\n".utf8).write(to: URL(fileURLWithPath: dir + "/bad.toml"))
        let good = try Executable.run("ingestd", ["--check-config", "--config", dir + "/good.toml"], timeout: 10)
        #expect(good.status == 0 && good.stdout.contains("configuration OK"))
        let bad = try Executable.run("ingestd", ["--check-config", "--config", dir + "/bad.toml"], timeout: 10)
        #expect(bad.status == 2 && bad.stderr.contains("bad.toml:3: athlete.age"), "\(bad.stderr)")
        let shipped = try Executable.run("ingestd", ["--check-config", "--config", TestPaths.packageRoot + "/Config/ingestd.toml"], timeout: 10)
        #expect(shipped.status == 0)
    }
}
