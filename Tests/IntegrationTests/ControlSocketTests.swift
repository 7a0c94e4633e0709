import Foundation
import Glibc
import IngestDaemon
import Testing
import TestSupport

/// The running daemon answers ingestctl on its control socket; SIGHUP reloads or refuses config.
@Suite(.serialized) struct ControlSocketTests {
    static func waitFor(_ what: String, _ condition: () throws -> Bool) throws {
        for _ in 0..<100 {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func aRunningDaemonAnswersStatusSessionsAndWeek() throws {
        let state = try FileBytes.temporaryDirectory("sock")
        let socket = state + "/control"
        let config = state + "/ingestd.toml"
        try Data("[athlete]\nage = 35\n".utf8).write(to: URL(fileURLWithPath: config))
        let logPath = state + "/ingestd.log"
        let daemon = try Executable.start("ingestd", [
            "--replay", TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"), "--speed", "max",
            "--state-directory", state, "--control-socket", socket, "--keep-running", "--config", config], stderrTo: logPath)
        func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
        defer { if daemon.isRunning { daemon.terminate() } }
        try Self.waitFor("the replay to finish") {
            let status = try? JSONSerialization.jsonObject(with: ControlClient.request(["request": "status"], socketPath: socket)) as? [String: Any]
            return status?["state"] as? String == "finished"
        }
        let status = try Executable.run("ingestctl", ["status", "--state-directory", state, "--socket", socket])
        #expect(status.status == 0, "a running daemon: exit 0")
        #expect(status.stdout.contains("● ingestd") && status.stdout.contains("active (finished)"))
        #expect(status.stdout.contains("1 recorded"))

        let sessions = try JSONSerialization.jsonObject(with: ControlClient.request(["request": "sessions"], socketPath: socket)) as! [[String: Any]]
        #expect(sessions.count == 1)
        let id = sessions[0]["id"] as! String
        let one = try JSONSerialization.jsonObject(with: ControlClient.request(["request": "session", "id": id], socketPath: socket)) as! [String: Any]
        #expect(one["class"] as? String == sessions[0]["class"] as? String)
        let devices = try Executable.run("ingestctl", ["devices", "--socket", socket])
        #expect(devices.status == 0 && devices.stdout.contains("1322 samples"))
        let week = try JSONSerialization.jsonObject(with: ControlClient.request(["request": "week"], socketPath: socket)) as! [String: Any]
        #expect(week["kind"] as? String == "week")

        do {
            _ = try ControlClient.request(["request": "reboot"], socketPath: socket)
            Issue.record("an unknown request was answered")
        } catch {
            #expect("\(error)".contains("unknown request"))
        }

        // SIGHUP with a broken config: refused and logged, the daemon keeps running.
        try Data("[athlete]\nage = 900\n".utf8).write(to: URL(fileURLWithPath: config))
        kill(daemon.processIdentifier, SIGHUP)
        try Self.waitFor("the refused reload") { log().contains("config error, keeping the running configuration") }
        #expect(daemon.isRunning)
        // SIGHUP with a good config: reloaded.
        try Data("[athlete]\nage = 40\n".utf8).write(to: URL(fileURLWithPath: config))
        kill(daemon.processIdentifier, SIGHUP)
        try Self.waitFor("the reload") { log().contains("configuration reloaded") }
        #expect(daemon.isRunning)

        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        let log = log()
        #expect(log.contains("config error, keeping the running configuration") && log.contains("ingestd.toml:2: athlete.age"))
        #expect(log.contains("configuration reloaded"))
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket is removed on exit")
        let after = try Executable.run("ingestctl", ["status", "--state-directory", state, "--socket", socket])
        #expect(after.status == 3)
        #expect(try Executable.run("ingestctl", ["devices", "--socket", socket]).status == 3)
    }
}

/// Who may ask, and how the socket can come from systemd.
@Suite(.serialized) struct ControlSocketAccessTests {
    /// A world-searchable directory for sockets other users must reach.
    static func openDirectory() throws -> String {
        let dir = try FileBytes.temporaryDirectory("access")
        chmod(dir, 0o755)
        return dir
    }

    static func replayDaemon(_ dir: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Executable.path("ingestd"))
        p.arguments = ["--replay", TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"), "--speed", "max",
                       "--state-directory", dir + "/state", "--control-socket", dir + "/control", "--keep-running"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test func aSocketPassedBySystemdIsServed() throws {
        let dir = try Self.openDirectory()
        // systemd-socket-activate binds the socket and starts ingestd on the first connection,
        // passing it as fd 3 with LISTEN_FDS=1, as ingestd.socket does. It runs detached (through
        // sh and a pid file): as a direct child of the test process, later children were left
        // unreaped by Foundation's Process while it ran.
        let arguments = ["--replay", TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"), "--speed", "max",
                         "--state-directory", dir + "/state", "--control-socket", dir + "/control", "--keep-running"]
        let command = "/usr/bin/systemd-socket-activate -l \(dir)/control \(Executable.path("ingestd")) "
            + arguments.joined(separator: " ") + " >/dev/null 2>&1 </dev/null & echo $! > \(dir)/pid"
        _ = try Executable.runTool("/bin/sh", ["-c", command])
        let pid = Int32(String(decoding: try FileBytes.read(dir + "/pid"), as: UTF8.self).filter(\.isNumber)) ?? 0
        defer { kill(pid, SIGKILL) }
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: dir + "/control") { Thread.sleep(forTimeInterval: 0.1) }
        var answered = false
        for _ in 0..<50 where !answered {
            let status = try? JSONSerialization.jsonObject(with: ControlClient.request(["request": "status"], socketPath: dir + "/control")) as? [String: Any]
            answered = status?["mode"] as? String == "replay"
            if !answered { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(answered, "ingestd answered on the socket it was given")
        let devices = try Executable.run("ingestctl", ["devices", "--socket", dir + "/control"])
        #expect(devices.status == 0 && devices.stdout.contains("samples"), "\(devices.stdout)\(devices.stderr)")
    }

    @Test func membersOfTheDaemonsGroupMayAskOthersMayNot() throws {
        let dir = try Self.openDirectory()
        let daemon = try Self.replayDaemon(dir)
        defer { PrivateBus.stop(daemon) }
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: dir + "/control") { Thread.sleep(forTimeInterval: 0.1) }
        let ctl = Executable.path("ingestctl")
        // nobody with the daemon's group (root, 0) as a supplementary group only: SO_PEERGROUPS.
        let member = try Executable.runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--groups=0", ctl,
                                                                 "devices", "--socket", dir + "/control"])
        #expect(member.status == 0, "\(member.stdout)\(member.stderr)")
        // nobody without it, on a socket anybody may open: refused by the peer check itself.
        chmod(dir + "/control", 0o666)
        let stranger = try Executable.runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", ctl,
                                                                   "devices", "--socket", dir + "/control"])
        #expect(stranger.status == 1)
        #expect(stranger.stderr.contains("permission denied"), "\(stranger.stderr)")
        // `status` from a refused peer says so and fails; it does not read status.json as if the
        // daemon were not running.
        let refused = try Executable.runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", ctl,
                                                                  "status", "--socket", dir + "/control", "--state-directory", dir + "/state"])
        #expect(refused.status == 1 && refused.stderr.contains("permission denied"), "\(refused.stdout)\(refused.stderr)")
        #expect(!refused.stdout.contains("Active: active"))
        // A member of more than 64 groups (the daemon's last) is still a member.
        let many = (1000..<1090).map(String.init).joined(separator: ",") + ",0"
        let busy = try Executable.runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--groups=\(many)", ctl,
                                                               "devices", "--socket", dir + "/control"])
        #expect(busy.status == 0, "91 groups: \(busy.stdout)\(busy.stderr)")
    }
}

/// What a client can do to the control socket: nothing that holds the loop (issue 16).
@Suite(.serialized) struct ControlSocketAbuseTests {
    /// A daemon with 300 stored sessions, serving after its replay.
    static func daemonWithSessions(_ count: Int) throws -> (Process, state: String, socket: String) {
        let state = try FileBytes.temporaryDirectory("abuse")
        let socket = state + "/control"
        let seed = try Executable.run("ingestd", ["--replay", TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"),
                                                  "--speed", "max", "--state-directory", state])
        try #require(seed.status == 0)
        let original = try #require(FileBytes.files(under: state + "/sessions", suffix: ".json").first)
        let text = String(decoding: try FileBytes.read(original), as: UTF8.self)
        let id = (original as NSString).lastPathComponent.replacingOccurrences(of: ".json", with: "")
        for k in 0..<count {
            let other = String(format: "20240101T%06dZ-replay", k)
            try Data(text.replacingOccurrences(of: id, with: other).utf8).write(to: URL(fileURLWithPath: state + "/sessions/" + other + ".json"))
        }
        let (daemon, _, _) = try Executable.start("ingestd", [
            "--replay", TestPaths.fixture("fit-analyzer-jarkko/20748058539_ACTIVITY.fit"), "--speed", "max",
            "--state-directory", state, "--control-socket", socket, "--keep-running"])
        try ControlSocketTests.waitFor("the socket") {
            (try? ControlClient.request(["request": "status"], socketPath: socket)) != nil
        }
        return (daemon, state, socket)
    }

    /// Connects and sends `line`, reads nothing.
    static func silentClient(_ socket: String, _ line: String) -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in socket.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return fd
    }

    @Test func slowReadersAndManySessionsRequestsNeverHoldTheLoop() throws {
        let (daemon, _, socket) = try Self.daemonWithSessions(300)
        defer { PrivateBus.stop(daemon) }
        // 20 clients ask for 300 sessions and read nothing; then others ask for status.
        let silent = (0..<20).map { _ in Self.silentClient(socket, #"{"request":"sessions"}"#) }
        defer { for fd in silent { close(fd) } }
        var worst = 0.0
        for _ in 0..<20 {
            let start = Date()
            _ = try ControlClient.request(["request": "status"], socketPath: socket, timeout: 5)
            worst = max(worst, Date().timeIntervalSince(start))
            Thread.sleep(forTimeInterval: 0.05)
        }
        // A functional bound (the loop was held 13–60 s before), not a benchmark: the note and
        // README give the measured figure.
        #expect(worst < 1, "status waited \(worst) s behind slow readers")
        print("control socket: worst status latency behind 20 slow sessions readers: \(Int(worst * 1000)) ms")
        // The answer still reaches a client that does read it.
        let sessions = try JSONSerialization.jsonObject(with: ControlClient.request(["request": "sessions"], socketPath: socket)) as? [Any]
        #expect(sessions?.count == 302)
        // Paged, newest first, from the database's index: 100, the 100 before, … every one once.
        var pages: [[String]] = []
        var before: String? = nil
        while pages.count < 5 {
            var request = ["request": "sessions", "limit": "100"]
            if let before { request["before"] = before }
            let page = try JSONSerialization.jsonObject(with: ControlClient.request(request, socketPath: socket)) as! [[String: Any]]
            pages.append(page.map { $0["id"] as! String })
            guard page.count == 100 else { break }
            before = pages.last?.first
        }
        #expect(pages.map(\.count) == [100, 100, 100, 2])
        #expect(Array(pages.reversed().joined()) == (sessions as? [[String: Any]])?.map { $0["id"] as! String }, "oldest first within and across pages")
        let refused = try? ControlClient.request(["request": "sessions", "limit": "5000"], socketPath: socket)
        #expect(refused == nil, "a limit past what one answer carries is refused")
        // A client that never finishes is closed at its deadline.
        let stuck = Self.silentClient(socket, #"{"request":"sessions"}"#)
        defer { close(stuck) }
        Thread.sleep(forTimeInterval: ControlServer.deadline + 1.5)
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(stuck, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n <= 0 { #expect(n == 0, "closed by the daemon (EOF), not still open"); break }
            total += n
        }
        #expect(total > 0 && total < 300 * 20_000, "part of the answer, then the close")
    }

    /// A daemon that accepts but never answers (hung): `ingestctl status` gives up after 5 s
    /// with a message and exit 1, not a hang and not a stale status.json.
    @Test func aHungDaemonTimesOutWithAMessage() throws {
        let dir = try FileBytes.temporaryDirectory("hung")
        let path = dir + "/control"
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0 && listen(fd, 4) == 0)
        let r = try Executable.run("ingestctl", ["status", "--socket", path, "--state-directory", dir], timeout: 30)
        #expect(!r.timedOut)
        #expect(r.status == 1 && r.stderr.contains("did not answer"), "\(r.stdout)\(r.stderr)")
    }

    @Test func sessionIDsFollowTheirGrammar() throws {
        let (daemon, _, socket) = try Self.daemonWithSessions(1)
        defer { PrivateBus.stop(daemon) }
        for id in ["20240101T000000Z-replay.fit\u{0}", "../status", "20240101T000000Z-replay/../x", "", "20240101T000000Z-REPLAY"] {
            do {
                _ = try ControlClient.request(["request": "session", "id": id], socketPath: socket)
                Issue.record("\(id.debugDescription) was answered")
            } catch {
                #expect("\(error)".contains("not a session ID"), "\(id.debugDescription): \(error)")
            }
        }
        let one = try JSONSerialization.jsonObject(with: ControlClient.request(["request": "session", "id": "20240101T000000Z-replay"], socketPath: socket)) as? [String: Any]
        #expect(one?["id"] as? String == "20240101T000000Z-replay")
    }
}
