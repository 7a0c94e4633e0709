import Foundation
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
        let (daemon, _, err) = try Executable.start("ingestd", [
            "--replay", TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"), "--speed", "max",
            "--state-directory", state, "--control-socket", socket, "--keep-running", "--config", config])
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
        Thread.sleep(forTimeInterval: 0.5)
        #expect(daemon.isRunning)
        // SIGHUP with a good config: reloaded.
        try Data("[athlete]\nage = 40\n".utf8).write(to: URL(fileURLWithPath: config))
        kill(daemon.processIdentifier, SIGHUP)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(daemon.isRunning)

        daemon.terminate()
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
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
    }
}
