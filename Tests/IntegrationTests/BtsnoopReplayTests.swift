import Foundation
import HeartRateWire
import Ingest
import Storage
import Testing
import TestSupport
import Traces

/// A btsnoop capture made by `scripts/make_btsnoop.py` from real Polar H10 notification bytes
/// replays end to end through `ingestctl analyze` and `ingestd --replay`, and gives the same
/// session as the native raw log of the same notifications at the same times.
@Suite(.serialized) struct BtsnoopReplayTests {
    static let start = 1_700_000_000.0

    /// The values as hex, the capture made with `options`, and the raw log of the same stream.
    static func make(_ values: [[UInt8]], _ options: [String]) throws -> (capture: String, raw: String) {
        let dir = try FileBytes.temporaryDirectory("btsnoop")
        try PolarNotifications.writeHex(values, to: dir + "/values.hex")
        let made = try Executable.runTool("/usr/bin/python3", [TestPaths.packageRoot + "/scripts/make_btsnoop.py",
                                                               dir + "/values.hex", dir + "/c.btsnoop", "--start", "\(Int(start))"] + options)
        try #require(made.status == 0, "\(made.stderr)")
        let raw = try RawLogWriter(path: dir + "/same.wiraw")
        for (i, v) in values.enumerated() {
            try raw.append(RawNotification(receiveTimeMicros: Int64(start) * 1_000_000 + Int64(i + 1) * 1_000_000,
                                           device: DeviceAddress("A0:9E:1A:12:34:56")!, characteristic: .heartRateMeasurement, value: v))
        }
        return (dir + "/c.btsnoop", dir + "/same.wiraw")
    }

    static func sessions(_ arguments: [String]) throws -> [[String: Any]] {
        let r = try Executable.run("ingestctl", ["analyze", "--json"] + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test(arguments: [[String](), ["--fragment", "8"], ["--datalink", "1002"]])
    func aCaptureAnalyzesLikeTheRawLogOfTheSameNotifications(options: [String]) throws {
        let (capture, raw) = try Self.make(try PolarNotifications.first(1500), options)
        let fromCapture = try Self.sessions([capture])
        let fromRaw = try Self.sessions([raw])
        try #require(fromCapture.count == 1 && fromRaw.count == 1, "\(fromCapture)")
        let a = fromCapture[0].filter { $0.key != "source" }, b = fromRaw[0].filter { $0.key != "source" }
        #expect(NSDictionary(dictionary: a).isEqual(to: b), "\(a) vs \(b)")
    }

    @Test func aCaptureWithoutDiscoveryNeedsTheHandleAndThenReplaysThroughTheDaemon() throws {
        let values = try PolarNotifications.first(1500)
        let (capture, _) = try Self.make(values, ["--no-discovery"])
        let refused = try Executable.run("ingestctl", ["analyze", capture])
        #expect(refused.status == 1 && refused.stderr.contains("give its value handle (--att-handle)"), "\(refused.stderr)")
        #expect(try Executable.run("ingestctl", ["analyze", capture, "--att-handle", "nope"]).status == 2, "a usage error")
        let (withDiscovery, _) = try Self.make(values, [])
        let given = try Self.sessions([capture, "--att-handle", "0x000c"])
        let discovered = try Self.sessions([withDiscovery])
        try #require(given.count == 1 && discovered.count == 1)
        #expect(given[0]["duration_seconds"] as? Double == discovered[0]["duration_seconds"] as? Double)
        #expect(given[0]["trimp"] as? Double == discovered[0]["trimp"] as? Double)

        let state = try FileBytes.temporaryDirectory("btsnoop-state")
        let run = try Executable.run("ingestd", ["--replay", withDiscovery, "--state-directory", state])
        #expect(run.status == 0 && run.stderr.contains("(btsnoop)"), "\(run.stderr)")
        #expect(run.stderr.contains("replay finished: 1500 samples"), "\(run.stderr)")
    }
}
