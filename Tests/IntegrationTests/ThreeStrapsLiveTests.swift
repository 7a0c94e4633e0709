import Foundation
import HeartRateWire
import Ingest
import Storage
import Testing
import TestSupport
import Traces

/// Three straps stream three different people's real beats at once into the real ingestd, on
/// the BlueZ backend (BlueZoo) and on the direct backend, then the capture is replayed: each
/// strap's session — its JSON, RR file and FIT activity — holds exactly that strap's beats.
@Suite(.serialized) struct ThreeStrapsLiveTests {
    static let recordings = [("AEROBIC", "S02"), ("ANAEROBIC", "S03"), ("ANAEROBIC", "S13")]
    static let count = 1_400
    static let config = "[athlete]\nage = 35\nresting_heart_rate = 50\n[session]\nstart_active_seconds = 30\n"

    static func values() throws -> [[[UInt8]]] {
        try recordings.map { try PolarNotifications.of($0.0, $0.1, count) }
    }

    /// The RR intervals (ms) `values` carry, in order.
    static func beats(_ values: [[UInt8]]) throws -> [Double] {
        try values.flatMap { try HeartRateMeasurement(decoding: $0).rrIntervals.map { $0 } }
    }

    /// Each strap has one session whose RR file is a contiguous run of its own beats (and of no
    /// other strap's), whose FIT holds the same beats and only its heart rates.
    static func expectOwnBeats(stateDirectory state: String, straps: [String], values: [[[UInt8]]]) throws {
        let sent = try values.map(beats)
        let heartRates = try values.map { Set(try $0.map { try HeartRateMeasurement(decoding: $0).heartRate ?? 0 }) }
        let records = try FileBytes.files(under: state + "/sessions", suffix: ".json")
            .map { try JSONLines.decode(SessionRecord.self, from: FileBytes.read($0)) }
        #expect(records.map(\.device).sorted() == straps.sorted(), "one session per strap: \(records.map(\.id))")
        for record in records {
            let k = try #require(straps.firstIndex(of: record.device))
            let rr = String(decoding: try FileBytes.read(state + "/sessions/" + record.id + ".rr.txt"), as: UTF8.self)
                .split(separator: "\n").compactMap { Double($0) }
            try #require(rr.count > 100, "strap \(k): \(rr.count) beats")
            for (j, other) in sent.enumerated() {
                let found = contiguous(rr, in: other)
                #expect(found == (j == k), "strap \(k)'s RR file \(found ? "is" : "is not") a run of strap \(j)'s beats")
            }
            #expect(record.rr.beatsAccepted + record.rr.beatsRejected == rr.count, "the JSON counts the RR file's beats")
            var reader = FITTraceReader(try FileByteSource(path: state + "/sessions/" + record.id + ".fit"), name: "fit")
            var fitRR: [Double] = [], fitHR: [UInt16] = []
            while let e = try reader.next() {
                guard case .sample(let s) = e else { continue }
                if let h = s.heartRate { fitHR.append(h) }
                fitRR += s.rrIntervals.map { $0 }
            }
            #expect(fitRR.count == rr.count && zip(fitRR, rr).allSatisfy { abs($0 - $1) < 1.01 }, "strap \(k): FIT beats = RR file")
            #expect(!fitHR.isEmpty && fitHR.allSatisfy { heartRates[k].contains($0) }, "strap \(k)'s FIT heart rates are its own")
        }
    }

    /// Whether `run` appears in `series` as consecutive values (within the RR file's rounding).
    static func contiguous(_ run: [Double], in series: [Double]) -> Bool {
        guard let first = run.first, run.count <= series.count else { return false }
        for start in series.indices where abs(series[start] - first) < 0.51 && start + run.count <= series.count {
            if run.indices.allSatisfy({ abs(series[start + $0] - run[$0]) < 0.51 }) { return true }
        }
        return false
    }

    @Test func threeStrapsOverBlueZKeepTheirOwnBeatsLiveAndInReplay() throws {
        let values = try Self.values()
        try LiveRig.with(straps: 3) { rig in
            for k in 0..<3 { _ = try rig.startStraps([k + 1], values: values[k], options: ["--interval", "0.025"]) }
            try rig.startDaemon(config: Self.config)
            let done = rig.wait(timeout: 120) { d in d.count == 3 && d.allSatisfy { $0.int("samples") == Self.count } }
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.devices()) \(rig.log.suffix(2000))")
            let straps = (1...3).map { LiveRig.strapAddress($0) }
            try Self.expectOwnBeats(stateDirectory: rig.dir + "/state", straps: straps, values: values)
            try Self.expectReplayKeepsThem(rig.dir + "/state", config: rig.dir + "/ingestd.toml", straps: straps, values: values)
        }
    }

    @Test func threeStrapsOnTheDirectBackendKeepTheirOwnBeats() throws {
        let values = try Self.values()
        let rig = try DirectBackendTests.Rig()
        let straps = ["A0:9E:1A:00:00:11", "A0:9E:1A:00:00:12", "A0:9E:1A:00:00:13"]
        for k in 0..<3 { try rig.strap(straps[k], values: values[k], ["--interval", "0.025"]) }
        try rig.start(straps, config: Self.config)
        let done = rig.wait(120) { d in d.count == 3 && d.allSatisfy { $0.int("samples") == Self.count } }
        #expect(rig.stop() == 0)
        #expect(done, "\(rig.log.suffix(2000))")
        try Self.expectOwnBeats(stateDirectory: rig.dir + "/state", straps: straps, values: values)
    }

    /// The three raw logs replayed together into a new state directory give the same three sessions.
    static func expectReplayKeepsThem(_ state: String, config: String, straps: [String], values: [[[UInt8]]]) throws {
        let logs = FileBytes.files(under: state + "/raw", suffix: ".wiraw")
        try #require(logs.count == 3)
        let again = try FileBytes.temporaryDirectory("three-replay")
        for log in logs {
            let r = try Executable.run("ingestd", ["--replay", log, "--speed", "max", "--state-directory", again, "--config", config])
            #expect(r.status == 0, "\(r.stderr.suffix(500))")
        }
        let live = Set(FileBytes.files(under: state + "/sessions", suffix: ".json").map { ($0 as NSString).lastPathComponent })
        let replayed = Set(FileBytes.files(under: again + "/sessions", suffix: ".json").map { ($0 as NSString).lastPathComponent })
        #expect(replayed == live && live.count == 3, "the replay gives the very sessions: \(replayed) vs \(live)")
        try expectOwnBeats(stateDirectory: again, straps: straps, values: values)
    }
}
