import Foundation
import Glibc
import IngestDaemon
import Testing
import TestSupport

/// Athletes through the real daemon (issue 18): each strap's sessions, week and learned heart
/// rates are its wearer's; `ingestctl assign` gives a strap to someone else, kept across a
/// restart; SIGHUP brings in new entries; a bad request is refused with why.
@Suite(.serialized) struct AthleteTests {
    static let config = """
        [[athlete]]
        id = "anna"
        name = "Anna"
        straps = ["\(ReplayIdentityTests.first)"]
        age = 31
        sex = "female"

        [[athlete]]
        id = "ben"
        straps = ["\(ReplayIdentityTests.second)"]

        [[athlete]]
        id = "guest"

        """

    static func json(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func eachStrapsSessionsWeekAndLearnedHeartRateAreItsWearers() throws {
        let dir = try FileBytes.temporaryDirectory("athletes")
        try Data(Self.config.utf8).write(to: URL(fileURLWithPath: dir + "/c.toml"))
        let a = try PolarNotifications.first(1300), b = try ReplayIdentityTests.otherValues(1300)
        let both = try ReplayIdentityTests.capture([(a, ReplayIdentityTests.first), (b, ReplayIdentityTests.second)], in: dir, name: "both")
        let state = dir + "/state"
        let run = try Executable.run("ingestd", ["--replay", both, "--state-directory", state, "--config", dir + "/c.toml"])
        #expect(run.status == 0, "\(run.stderr)")
        let sessions = try ReplayIdentityTests.sessions(state)
        let anna = try #require(sessions[ReplayIdentityTests.first]), ben = try #require(sessions[ReplayIdentityTests.second])
        #expect(anna["athlete"] as? String == "anna" && ben["athlete"] as? String == "ben")
        #expect(run.stderr.contains("worn by anna") && run.stderr.contains("worn by ben"), "the journal's words name the wearer")
        let observed = try #require(anna["observed"] as? [String: Any])
        let annaMax = try #require(observed["hr_max"] as? Double)

        // What the sessions showed is kept per athlete, with the session it came from.
        let athletes = try Executable.run("ingestctl", ["athletes", "--json", "--state-directory", state, "--config", dir + "/c.toml",
                                                        "--socket", dir + "/none"])
        #expect(athletes.status == 0, "\(athletes.stderr)")
        let list = Self.json(athletes.stdout) as? [[String: Any]] ?? []
        #expect(list.map { $0["id"] as? String ?? "" } == ["anna", "ben", "guest"], "\(athletes.stdout)")
        let learned = (list.first?["learned"] as? [String: Any])?["maximum"] as? [String: Any]
        #expect(learned?["bpm"] as? Double == annaMax && learned?["session"] as? String == anna["id"] as? String, "\(athletes.stdout)")
        #expect(list.last?["learned"] == nil && list.last?["default"] as? Bool == true, "guest wore nothing")
        let text = try Executable.run("ingestctl", ["athletes", "--state-directory", state, "--config", dir + "/c.toml", "--socket", dir + "/none"])
        #expect(text.stdout.contains("anna (Anna): \(ReplayIdentityTests.first)") && text.stdout.contains("learned       HRmax"), "\(text.stdout)")

        // One week per person.
        for (who, count) in [("anna", 1), ("ben", 1), ("guest", 0)] {
            let week = try Executable.run("ingestctl", ["week", "--athlete", who, "--json", "--state-directory", state, "--config", dir + "/c.toml"])
            let w = Self.json(week.stdout) as? [String: Any]
            #expect(w?["sessions"] as? Int == count && w?["athlete"] as? String == who, "\(who): \(week.stdout)\(week.stderr)")
        }
        let nobody = try Executable.run("ingestctl", ["week", "--athlete", "zed", "--state-directory", state, "--config", dir + "/c.toml"])
        #expect(nobody.status == 1 && nobody.stderr.contains("no athlete \"zed\""), "\(nobody.stderr)")
        let bens = try Executable.run("ingestctl", ["sessions", "--athlete", "ben", "--state-directory", state])
        #expect(bens.stdout.split(separator: "\n").count == 1 && bens.stdout.contains(ben["id"] as? String ?? "?"), "\(bens.stdout)")
        let status = try Executable.run("ingestctl", ["status", "--state-directory", state, "--socket", dir + "/none"])
        #expect(status.stdout.contains("anna: 1 session") && status.stdout.contains("ben: 1 session"), "one line per athlete: \(status.stdout)")
    }

    @Test func aStrapIsAssignedThroughTheSocketKeptAcrossARestartAndReloadBringsNewAthletes() throws {
        let dir = try FileBytes.temporaryDirectory("assign")
        let config = dir + "/c.toml"
        try Data(Self.config.utf8).write(to: URL(fileURLWithPath: config))
        let capture = try ReplayIdentityTests.capture([(try PolarNotifications.first(400), ReplayIdentityTests.first)], in: dir, name: "one")
        let state = dir + "/state", socket = dir + "/control", logPath = dir + "/ingestd.log"
        let daemon = try Executable.start("ingestd", ["--replay", capture, "--speed", "max", "--state-directory", state,
                                                      "--control-socket", socket, "--keep-running", "--config", config], stderrTo: logPath)
        defer { if daemon.isRunning { daemon.terminate() } }
        func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
        try ControlSocketTests.waitFor("the replay to finish") {
            let s = try? JSONSerialization.jsonObject(with: ControlClient.request(["request": "status"], socketPath: socket)) as? [String: Any]
            return s?["state"] as? String == "finished"
        }
        let assign = try Executable.run("ingestctl", ["assign", ReplayIdentityTests.first.lowercased(), "ben", "--socket", socket])
        #expect(assign.status == 0 && assign.stdout.contains("→ athlete ben (was anna)"), "\(assign.stdout)\(assign.stderr)")
        let live = Self.json(try Executable.run("ingestctl", ["athletes", "--json", "--socket", socket]).stdout) as? [[String: Any]] ?? []
        let benNow = live.first { $0["id"] as? String == "ben" }
        #expect(benNow?["assigned_straps"] as? [String] == [ReplayIdentityTests.first], "\(live)")
        #expect(benNow?["wearing"] as? [String] == [ReplayIdentityTests.first], "the strap's next session is ben's")
        #expect(log().contains("assigned to athlete ben (was anna)"))

        // Refusals say why; nothing changes.
        let unknown = try Executable.run("ingestctl", ["assign", ReplayIdentityTests.first, "cara", "--socket", socket])
        #expect(unknown.status == 1 && unknown.stderr.contains("no athlete \"cara\""), "\(unknown.stderr)")
        #expect(try Executable.run("ingestctl", ["assign", "not-a-strap", "ben", "--socket", socket]).status == 2)
        do {
            _ = try ControlClient.request(["request": "assign", "strap": ReplayIdentityTests.first], socketPath: socket)
            Issue.record("an assign without an athlete was answered")
        } catch {
            #expect("\(error)".contains("needs a \"strap\""))
        }

        // SIGHUP: a new athlete can be assigned at once.
        try Data((Self.config + "[[athlete]]\nid = \"cara\"\nstraps = [\"Polar H10 CARA\"]\n").utf8).write(to: URL(fileURLWithPath: config))
        kill(daemon.processIdentifier, SIGHUP)
        try ControlSocketTests.waitFor("the reload") { log().contains("athletes reloaded") }
        let cara = try Executable.run("ingestctl", ["assign", ReplayIdentityTests.first, "cara", "--socket", socket])
        #expect(cara.status == 0, "\(cara.stderr)")
        daemon.terminate()
        daemon.waitUntilExit()

        // Kept across a restart: the files say so without a daemon.
        let offline = Self.json(try Executable.run("ingestctl", ["athletes", "--json", "--state-directory", state, "--config", config,
                                                                 "--socket", dir + "/none"]).stdout) as? [[String: Any]] ?? []
        #expect(offline.first { $0["id"] as? String == "cara" }?["assigned_straps"] as? [String] == [ReplayIdentityTests.first], "\(offline)")
    }
}
