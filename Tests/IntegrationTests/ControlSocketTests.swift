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
