import Foundation
import HeartRateWire
import Ingest
import Testing
import TestSupport
import Traces
@testable import IngestDaemon

/// Random and mutated notification bytes through the daemon's own receive path, as a live strap
/// delivers them: `DaemonShell.receive` → the strap's raw log → its pipeline → every sink (session
/// store, RR/FIT files, weekly state, status, metrics, journal logger), three straps interleaved,
/// with the receive clock stepping like a day of training (and jumping now and then). 10⁴ inputs
/// here; `INGEST_FUZZ_INPUTS=1000000 scripts/fuzz_receive_path` for the long run.
@Suite(.serialized) struct ReceivePathFuzzTests {
    static var inputs: Int {
        ProcessInfo.processInfo.environment["INGEST_FUZZ_INPUTS"].flatMap(Int.init) ?? 10_000
    }

    @Test func hostileNotificationsThroughTheWholeReceivePath() throws {
        let state = try FileBytes.temporaryDirectory("fuzz")
        var configuration = IngestConfiguration()
        configuration.stateDirectory = state
        configuration.metrics.textfileDirectory = state + "/metrics"
        try FileManager.default.createDirectory(atPath: state + "/metrics", withIntermediateDirectories: true)
        let logger = EventLogger(silent: ())
        let shell = DaemonShell(configuration: configuration, configurationPath: nil, controlSocket: nil, logger: logger)
        try #require(shell.prepare(source: "fuzz"))
        var clock = 1_700_000_000.0
        shell.receiveClock = { clock }
        let straps = (1...3).map { DeviceAddress(0xC0, 0xFF, 0xEE, 0, 0, UInt8($0)) }
        let channels = straps.map { shell.channel(for: $0) }
        let pipelines = channels.map(\.pipeline)
        let logs = channels.map(\.rawLog)
        for p in pipelines { shell.status.watch(p) }
        let real = try PolarNotifications.first(2000)
        let crafted: [[UInt8]] = [
            [0x10, 0x00, 0x00, 0x00], [0x10, 0x00, 0xFF, 0xFF], [0x11, 0x00, 0x00], [0x1F, 0xFF, 0xFF, 0xFF, 0xFF],
            [0x01], [], [0x08, 60], [0x16, 0xFF] + [UInt8](repeating: 0, count: 20), [UInt8](repeating: 0xFF, count: 600),
        ]
        var rng = SplitMix64(seed: 0xF022_0016)
        var appended = [Int](repeating: 0, count: 3)
        for i in 0..<Self.inputs {
            let strap = i % 3
            var value: [UInt8]
            switch rng.next() % 10 {
            case 0: value = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1: value = crafted[Int(rng.next() % UInt64(crafted.count))]
            case 2, 3:
                value = real[i % real.count]
                for _ in 0...(rng.next() % 3) where !value.isEmpty {
                    value[Int(rng.next() % UInt64(value.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                if rng.next() % 4 == 0 { value += (0..<Int(rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
            case 4: value = real[i % real.count]
            default:  // 40-min workouts with rests, so sessions open, end and are written
                let t = i / 3
                let working = (300..<2700).contains(t % 3600)
                let hr = working ? 140 + t % 17 + 6 * strap : 68 + t % 5
                value = HeartRateMeasurement(heartRate: UInt16(hr), sensorContact: .detected,
                                             rrIntervals: RRIntervals([60_000 / Double(hr)])).encoded()
            }
            switch rng.next() % 20_000 {  // now and then, not so often that no session lasts
            case 0: clock += 3 * 3600          // the strap gone for hours
            case 1: clock -= 120               // the wall clock stepped back
            case 2: clock += 86_400            // across midnight: a new day's log
            default: clock += i % 3 == 2 ? 1 : 0  // three straps at 1 Hz
            }
            shell.receive(value, on: channels[strap], fields: { [] })
            if value.count <= RawLogFormat.maximumValueLength { appended[strap] += 1 }
            if i % 5000 == 0 { shell.status.write(force: true) }
        }
        for p in pipelines { p.finish() }
        for l in logs { l.sync() }
        shell.metrics?.write(shell.status.current, now: 1, logger: logger)

        // Every raw log reads back whole, and holds exactly the values it was given.
        var read = [Int](repeating: 0, count: 3)
        for file in FileBytes.files(under: state + "/raw", suffix: ".wiraw") {
            var reader = RawLogReader(InMemoryByteSource(try FileBytes.read(file)), name: file)
            while let n = try reader.nextNotification() {
                if let k = straps.firstIndex(of: n.device) { read[k] += 1 }
            }
            #expect(reader.tailDamage == nil && reader.skipped.isEmpty, "\(file): \(reader.damage)")
        }
        #expect(read == appended)
        #expect(shell.storage.total == 0, "values too long are refused by the raw log, not storage failures")
        // Every file a sink wrote parses.
        for file in FileBytes.files(under: state + "/sessions", suffix: ".json") + [state + "/status.json", state + "/weekly.json"]
            where FileManager.default.fileExists(atPath: file) {
            #expect((try? JSONSerialization.jsonObject(with: Data(try FileBytes.read(file)))) != nil, "\(file) is JSON")
        }
        for file in FileBytes.files(under: state + "/sessions", suffix: ".fit") {
            var reader = FITTraceReader(InMemoryByteSource(try FileBytes.read(file)), name: file)
            while try reader.next() != nil {}
        }
        #expect(pipelines.reduce(0) { $0 + $1.samples + $1.badNotifications } == read.reduce(0, +) + (Self.inputs - appended.reduce(0, +)))
        if Self.inputs >= 10_000 {
            #expect(FileBytes.files(under: state + "/sessions", suffix: ".json").count >= 3, "sessions were found and written")
        }
        print("receive-path fuzz: \(Self.inputs) inputs, 0 crashes, \(read.reduce(0, +)) raw records, "
              + "\(FileBytes.files(under: state + "/sessions", suffix: ".json").count) sessions, \(logger.emitted) journal entries")
    }
}
