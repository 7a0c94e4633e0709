import Foundation
import HeartRateWire
import Testing
import TestSupport

/// The live board in a real browser: `ingestctl board` against the real ingestd reading three
/// simulated straps (three people's real beats through BlueZoo), loaded by headless Chromium;
/// the DOM has a tile per strap with its heart rate, screenshots at 1920×1080 show the tiles'
/// zone colours and a session chart's curve. The screenshots stay in `.build/browser-artifacts`.
@Suite(.serialized) struct BoardBrowserTests {
    static let chromium = "/usr/bin/chromium"
    static let artifacts = TestPaths.packageRoot + "/.build/browser-artifacts"

    /// A running `ingestctl board` and the address it serves.
    final class Board {
        let process: Process
        let log: String
        let address: String

        init(_ arguments: [String], dir: String) throws {
            log = dir + "/board-\(arguments.count)-\(UInt32.random(in: 0...UInt32.max)).log"
            process = try Executable.start("ingestctl", ["board"] + arguments, stderrTo: log)
            var found: String?
            for _ in 0..<100 where found == nil {
                Thread.sleep(forTimeInterval: 0.1)
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                found = text.split(separator: "\n").first { $0.contains("serving http://") }
                    .flatMap { $0.split(separator: " ").first { $0.hasPrefix("http://") } }.map(String.init)
            }
            guard let found else {
                process.terminate()
                throw FixtureError("ingestctl board did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            address = found
        }

        var said: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        func stop() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// `curl` of `path` on `board`: status code and body.
    static func get(_ board: Board, _ path: String, header: String? = nil) throws -> (code: Int, body: String) {
        let r = try Executable.runTool("/usr/bin/curl", ["-s", "-m", "5", "-w", "\n%{http_code}"] + (header.map { ["-H", $0] } ?? [])
                                       + [board.address + path.dropFirst()], timeout: 10)
        let code = Int(r.stdout.split(separator: "\n").last ?? "") ?? 0
        return (code, String(r.stdout.dropLast(String(code).count + 1)))
    }

    /// The page's tiles as (address, heart rate) from a DOM dump.
    static func tiles(_ dom: String) -> [(address: String, hr: String)] {
        dom.components(separatedBy: "<article class=\"tile\"").dropFirst().map { tile in
            (attribute("data-address", in: tile) ?? "", attribute("data-hr", in: tile) ?? "")
        }
    }

    static func attribute(_ name: String, in text: String) -> String? {
        guard let r = text.range(of: " \(name)=\"") else { return nil }
        return String(text[r.upperBound...].prefix { $0 != "\"" })
    }

    static func chromium(_ arguments: [String]) throws -> Executable.Result {
        try #require(FileManager.default.isExecutableFile(atPath: chromium), "chromium is not installed (scripts/install-deps installs it)")
        let profile = try FileBytes.temporaryDirectory("chromium")
        return try Executable.runTool(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                                                 "--user-data-dir=\(profile)", "--window-size=1920,1080"] + arguments, timeout: 90)
    }

    /// `png_colours.py` on a screenshot: the most common colour's share and each colour's.
    static func colours(_ png: String, _ wanted: [String]) throws -> (mostCommon: Double, near: [String: Double]) {
        let r = try Executable.runTool("/usr/bin/python3", [TestPaths.packageRoot + "/Tests/Browser/png_colours.py", png] + wanted)
        try #require(r.status == 0, "png_colours.py: \(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["width"] as? Int == 1920 && object["height"] as? Int == 1080)
        return (object["most_common_share"] as? Double ?? 1, object["near"] as? [String: Double] ?? [:])
    }

    static let count = 1_000
    static let names = ["Anna", "Ben", "Chidi"]
    static let config = (0..<3).map { k in
        "[[athlete]]\nid = \"\(names[k].lowercased())\"\nname = \"\(names[k])\"\nage = \(30 + 5 * k)\nresting_heart_rate = 50\n"
            + "straps = [\"\(LiveRig.strapAddress(k + 1))\"]\n"
    }.joined(separator: "\n") + "[session]\nstart_active_seconds = 30\n"

    @Test func chromiumShowsATilePerStrapWithItsHeartRateAndTheBoardSurvivesTheDaemon() throws {
        let values = try ThreeStrapsLiveTests.recordings.map { try PolarNotifications.of($0.0, $0.1, Self.count) }
        let lastHR = try values.map { try HeartRateMeasurement(decoding: $0.last ?? []).heartRate }
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        try LiveRig.with(straps: 3) { rig in
            // Before the daemon: the board says so, and is still up when the daemon comes.
            let board = try Board(["--listen", "127.0.0.1:0", "--socket", rig.dir + "/state/control"], dir: rig.dir)
            defer { _ = board.stop() }
            Thread.sleep(forTimeInterval: 0.7)
            let before = try Self.get(board, "/")
            #expect(before.code == 200 && before.body.contains("ingestd not running"), "\(before.body.prefix(300))")
            #expect(try Self.get(board, "/healthz").code == 503)

            for k in 0..<3 { _ = try rig.startStraps([k + 1], values: values[k], options: ["--interval", "0.035"]) }
            try rig.startDaemon(config: Self.config)
            let done = rig.wait(timeout: 90) { d in d.count == 3 && d.allSatisfy { $0.int("samples") == Self.count } }
            try #require(done, "\(rig.devices()) \(rig.log.suffix(1500))")
            Thread.sleep(forTimeInterval: 1.2)  // two polls of the board's feed
            #expect(try Self.get(board, "/healthz").code == 200)
            #expect(board.said.contains("ingestd answers"), "\(board.said)")

            // A client that never reads its event stream does not hold up the board or ingestd.
            let stuck = Process()
            stuck.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            let port = board.address.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) } ?? "0"
            stuck.arguments = ["-c", """
                import socket, time
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.connect(("127.0.0.1", \(port))); s.sendall(b"GET /events HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"); time.sleep(60)
                """]
            try stuck.run()
            defer { stuck.terminate() }

            // Headless Chromium: a tile per strap, each with that strap's last heart rate.
            let dom = try Self.chromium(["--dump-dom", board.address])
            let tiles = Self.tiles(dom.stdout)
            let straps = (1...3).map { LiveRig.strapAddress($0) }
            #expect(tiles.map(\.address).sorted() == straps.sorted(), "\(dom.stdout.prefix(500)) \(dom.stderr.suffix(300))")
            for (k, strap) in straps.enumerated() {
                #expect(tiles.first { $0.address == strap }?.hr == String(lastHR[k]), "strap \(k): \(tiles)")
                let tile = dom.stdout.components(separatedBy: "<article").first { $0.contains("data-address=\"\(strap)\"") } ?? ""
                #expect(tile.contains("<h2>\(Self.names[k])</h2>"), "strap \(k) shows its wearer: \(tile.prefix(400))")
            }
            #expect(dom.stdout.contains("<noscript>") && dom.stdout.contains("EventSource"))

            // The event stream (what the page's script reads) carries the same tiles, twice a second.
            let stream = try Executable.runTool("/usr/bin/curl", ["-sN", "-m", "2.2", board.address + "events"], timeout: 10)
            let events = stream.stdout.components(separatedBy: "\n\n").filter { $0.contains("data: ") }
            #expect(events.count >= 3, "at least one event a second: \(events.count) in 2.2 s")
            let data = try #require(events.last?.components(separatedBy: "data: ").last)
            let frame = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
            #expect(frame["running"] as? Bool == true)
            let html = frame["html"] as? String ?? ""
            #expect(Self.tiles(html).map(\.hr).sorted() == lastHR.map(String.init).sorted(), "\(html.prefix(300))")
            #expect(stuck.isRunning, "the client that does not read is still connected")
            #expect(rig.devices().count == 3, "ingestd answers while a board client is stuck")

            // The screenshot: not blank, the tiles' zone colours present.
            let shot = Self.artifacts + "/board.png"
            try? FileManager.default.removeItem(atPath: shot)
            _ = try Self.chromium(["--screenshot=\(shot)", board.address])
            let zones = tiles.compactMap { t in Self.zoneColour(in: dom.stdout, address: t.address) }
            try #require(zones.count == 3, "every tile coloured: \(zones)")
            let seen = try Self.colours(shot, zones)
            #expect(seen.mostCommon < 0.9, "the screenshot is not one colour: \(seen.mostCommon)")
            for z in zones { #expect((seen.near[z] ?? 0) > 0.02, "tile colour \(z) covers part of the screen: \(seen.near)") }

            // The daemon stops: the board says so again, and keeps serving.
            #expect(rig.stopDaemon() == 0)
            Thread.sleep(forTimeInterval: 1.2)
            let after = try Self.get(board, "/")
            #expect(after.code == 200 && after.body.contains("ingestd not running"))
        }
    }

    /// The `background:` colour of the tile of `address` in `dom`.
    static func zoneColour(in dom: String, address: String) -> String? {
        guard let r = dom.range(of: "data-address=\"\(address)\"") else { return nil }
        let rest = dom[r.upperBound...]
        guard let b = rest.range(of: "background:") else { return nil }
        return String(rest[b.upperBound...].prefix(7))
    }

    @Test func beyondLoopbackEveryRequestNeedsTheToken() throws {
        let dir = try FileBytes.temporaryDirectory("board-token")
        let refused = try Executable.run("ingestctl", ["board", "--listen", "0.0.0.0:0", "--socket", dir + "/control"])
        #expect(refused.status == 2 && refused.stderr.contains("--token-file"), "\(refused.stderr)")
        let token = "f3a9c2e17b4d4e0a9c6b"
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/board.token"))
        let board = try Board(["--listen", "0.0.0.0:0", "--token-file", dir + "/board.token", "--socket", dir + "/control"], dir: dir)
        defer { _ = board.stop() }
        #expect(board.said.contains("beyond loopback") && board.said.contains(dir + "/board.token"), "\(board.said)")
        #expect(try Self.get(board, "/").code == 401)
        #expect(try Self.get(board, "/events").code == 401)
        #expect(try Self.get(board, "/?token=wrong-token-wrong-token").code == 401)
        let page = try Self.get(board, "/?token=" + token)
        #expect(page.code == 200 && page.body.contains("ingestd not running"))
        #expect(try Self.get(board, "/healthz", header: "Authorization: Bearer " + token).code == 503)
    }

    @Test func aSessionChartRendersInChromiumWithItsCurveAndSegments() throws {
        try FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
        let html = Self.artifacts + "/session-chart.html"
        let r = try Executable.run("ingestctl", ["plot", ReplayDaemonTests.strength, "-o", html, "--width", "1900"])
        try #require(r.status == 0, "\(r.stderr)")
        let shot = Self.artifacts + "/session-chart.png"
        try? FileManager.default.removeItem(atPath: shot)
        _ = try Self.chromium(["--screenshot=\(shot)", "file://" + html])
        // The heart-rate curve's red and the resistance segment's purple are on screen.
        let seen = try Self.colours(shot, ["#c1121f", "#6a4c93"])
        #expect(seen.mostCommon < 0.95, "not blank: \(seen.mostCommon)")
        #expect((seen.near["#c1121f"] ?? 0) > 0.001, "the heart-rate curve shows: \(seen.near)")
        #expect((seen.near["#6a4c93"] ?? 0) > 0.001, "the resistance segment shows: \(seen.near)")
    }
}
