import Foundation
import HeartRateWire
import Testing
import TestSupport

/// A replay knows whose data it is (issue 18): every strap in a recording is its own pipeline
/// and session, session IDs come from the strap and the start time, and the product reads its
/// own RR exports back.
@Suite(.serialized) struct ReplayIdentityTests {
    static let (first, second) = ("A0:9E:1A:00:00:01", "A0:9E:1A:00:00:02")

    /// The 0x2A37 values of a second, different real recording (E4 AEROBIC S16, another person), two beats each.
    static func otherValues(_ count: Int) throws -> [[UInt8]] {
        try RealRecordings.e4("AEROBIC", "S16").notifications.prefix(count).map { n in
            HeartRateMeasurement(heartRate: UInt16(n.heartRate), sensorContact: .detected, rrIntervals: RRIntervals(n.rr)).encoded()
        }
    }

    /// A btsnoop capture of `straps` (values and address each), one LE connection per strap.
    static func capture(_ straps: [([[UInt8]], String)], in dir: String, name: String) throws -> String {
        var arguments = [TestPaths.packageRoot + "/scripts/make_btsnoop.py"]
        for (k, (values, address)) in straps.enumerated() {
            let hex = dir + "/\(name)-\(k).hex"
            try PolarNotifications.writeHex(values, to: hex)
            arguments += k == 0 ? [hex, dir + "/" + name + ".btsnoop", "--address", address] : ["--also", hex, address]
        }
        let made = try Executable.runTool("/usr/bin/python3", arguments)
        try #require(made.status == 0, "\(made.stderr)")
        return dir + "/" + name + ".btsnoop"
    }

    static func sessions(_ state: String) throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for path in FileBytes.files(under: state + "/sessions", suffix: ".json") where !path.hasSuffix("weekly.json") {
            let s = try JSONSerialization.jsonObject(with: Data(FileBytes.read(path))) as? [String: Any] ?? [:]
            out[s["device"] as? String ?? "?"] = s
        }
        return out
    }

    /// Two straps on two connections in one capture: two sessions, each exactly what the
    /// capture of that strap alone gives — JSON, RR file and FIT beats — with IDs naming the strap.
    @Test func twoStrapsInOneCaptureAreTwoPeopleWithTheirOwnFiles() throws {
        let dir = try FileBytes.temporaryDirectory("identity")
        let a = try PolarNotifications.first(1300), b = try Self.otherValues(1300)
        let both = try Self.capture([(a, Self.first), (b, Self.second)], in: dir, name: "both")
        var alone: [String: [String: Any]] = [:]
        var aloneRR: [String: [UInt8]] = [:]
        for (values, address) in [(a, Self.first), (b, Self.second)] {
            let state = dir + "/alone-" + address.filter { $0 != ":" }
            let run = try Executable.run("ingestd", ["--replay", try Self.capture([(values, address)], in: dir, name: address.filter { $0 != ":" }),
                                                     "--state-directory", state])
            #expect(run.status == 0, "\(run.stderr)")
            let s = try Self.sessions(state)
            try #require(s.count == 1, "one session from \(address) alone: \(run.stderr)")
            alone[address] = s[address]
            aloneRR[address] = try FileBytes.read(state + "/sessions/" + (s[address]?["id"] as? String ?? "") + ".rr.txt")
        }
        let state = dir + "/both"
        let run = try Executable.run("ingestd", ["--replay", both, "--state-directory", state])
        #expect(run.status == 0 && run.stderr.contains("from 2 straps"), "\(run.stderr)")
        let together = try Self.sessions(state)
        #expect(Set(together.keys) == [Self.first, Self.second], "\(together.keys)")
        for address in [Self.first, Self.second] {
            let mine = try #require(together[address]), single = try #require(alone[address])
            let id = try #require(mine["id"] as? String)
            #expect(id.hasSuffix("-" + address.filter { $0 != ":" }), "the ID names the strap: \(id)")
            let (x, y) = (mine.filter { $0.key != "source" }, single.filter { $0.key != "source" })
            #expect(NSDictionary(dictionary: x).isEqual(to: y), "\(address): together \(x) vs alone \(y)")
            let rr = try FileBytes.read(state + "/sessions/" + id + ".rr.txt")
            #expect(rr == aloneRR[address] && !rr.isEmpty, "\(address)'s RR file holds its own beats only")

            // The product reads its own RR export back: hrv windows, and a session of the same beats.
            let hrv = try Executable.run("ingestctl", ["hrv", state + "/sessions/" + id + ".rr.txt", "--json"])
            #expect(hrv.status == 0 && hrv.stdout.split(separator: "\n").count > 3, "\(hrv.stderr)")
            let analyzed = try Executable.run("ingestctl", ["analyze", state + "/sessions/" + id + ".rr.txt", "--json"])
            let lines = analyzed.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(analyzed.status == 0 && lines.count == 1, "\(analyzed.stdout)\(analyzed.stderr)")
            let beats = String(decoding: rr, as: UTF8.self).split(separator: "\n").count
            let read = (lines.first?["rr"] as? [String: Any]).map { ($0["beats_accepted"] as? Int ?? 0) + ($0["beats_rejected"] as? Int ?? 0) }
            #expect(read != nil && read! > beats * 9 / 10 && read! <= beats, "the RR file's \(beats) beats read back: \(lines.first?["rr"] ?? "none")")
        }
    }

    /// A CSV names no strap: `--device` gives it one (in the ID and the JSON); a bad one is a
    /// usage error.
    @Test func aCSVTakesTheStrapFromDevice() throws {
        let trace = try RealRecordings.e4("AEROBIC", "S02").writeTrace()
        let state = try FileBytes.temporaryDirectory("device")
        let run = try Executable.run("ingestd", ["--replay", trace, "--device", "a0:9e:1a:00:00:07", "--state-directory", state])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try Self.sessions(state)
        #expect(s.keys.sorted() == ["A0:9E:1A:00:00:07"], "\(s.keys)")
        #expect((s["A0:9E:1A:00:00:07"]?["id"] as? String)?.hasSuffix("-A09E1A000007") == true)
        #expect(try Executable.run("ingestd", ["--replay", trace, "--device", "nope", "--state-directory", state]).status == 2)
        #expect(try Executable.run("ingestctl", ["analyze", trace, "--device", "nope"]).status == 2)
        let analyzed = try Executable.run("ingestctl", ["analyze", trace, "--json", "--device", "A0:9E:1A:00:00:07"])
        #expect(analyzed.stdout.contains("\"id\":\"") && analyzed.stdout.contains("-A09E1A000007\""), "\(analyzed.stdout)")
    }
}
