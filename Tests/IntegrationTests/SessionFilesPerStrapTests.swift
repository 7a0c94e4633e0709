import Foundation
import HeartRateWire
import Ingest
@testable import Storage
import Testing
import TestSupport
import Traces
@testable import IngestDaemon

/// Three straps stream different workouts at the same time through one daemon shell (the live
/// receive path: raw log, pipeline, every sink): each session's RR file, FIT activity and JSON
/// hold that strap's beats only. Strap k's RR values are multiples of 1/1024 s whose count is
/// k modulo 3, and its heart rates lie in its own band, so a beat of another strap shows.
@Suite struct SessionFilesPerStrapTests {
    static func units(ofMilliseconds ms: Double) -> Int { Int((ms * 1.024).rounded()) }

    @Test func eachStrapsSessionHoldsOnlyItsOwnBeats() throws {
        let state = try FileBytes.temporaryDirectory("per-strap")
        var configuration = IngestConfiguration()
        configuration.stateDirectory = state
        let shell = DaemonShell(configuration: configuration, configurationPath: nil, controlSocket: nil, logger: EventLogger(silent: ()))
        try #require(shell.prepare(source: "per-strap test"))
        var clock = 1_767_225_600.0
        shell.receiveClock = { clock }
        let straps = (0..<3).map { DeviceAddress(0xC0, 0xFF, 0xEE, 0, 1, UInt8($0)) }
        let channels = straps.map { shell.channel(for: $0) }
        var sent = [[Int]](repeating: [], count: 3)
        for second in 0..<3600 {
            for k in 0..<3 {
                // 5 min rest, 40 min of work in strap k's band (intervals for strap 2), rest.
                let working = (300..<2700).contains(second)
                let band = 125 + 15 * k
                let hr = working ? band + (k == 2 ? 10 * ((second / 60) % 2) : second % 7) : 62 + k
                var n = Int((60_000 / Double(hr) * 1.024).rounded())
                while n % 3 != k { n += 1 }
                sent[k].append(n)
                let m = HeartRateMeasurement(heartRate: UInt16(hr), sensorContact: .detected, rrIntervals: RRIntervals([Double(n) / 1.024]))
                shell.receive(m.encoded(), on: channels[k], fields: { [] })
            }
            clock += 1
        }
        for c in channels { c.pipeline.finish() }
        let records = try FileManager.default.contentsOfDirectory(atPath: state + "/sessions").filter { $0.hasSuffix(".json") }
            .map { try JSONLines.decode(SessionRecord.self, from: FileBytes.read(state + "/sessions/" + $0)) }
        #expect(Set(records.map(\.device)) == Set(straps.map(\.description)), "one session per strap: \(records.map(\.device))")
        for record in records {
            let k = try #require(straps.firstIndex { $0.description == record.device })
            let rr = String(decoding: try FileBytes.read(state + "/sessions/" + record.id + ".rr.txt"), as: UTF8.self)
                .split(separator: "\n").compactMap { Double($0) }
            #expect(!rr.isEmpty)
            #expect(rr.allSatisfy { Self.units(ofMilliseconds: $0) % 3 == k }, "strap \(k)'s RR file holds another strap's beats")
            #expect(rr.count <= sent[k].count)
            var reader = FITTraceReader(try FileByteSource(path: state + "/sessions/" + record.id + ".fit"), name: "fit")
            var fitRR = 0, fitHR: [UInt16] = []
            while let e = try reader.next() {
                guard case .sample(let s) = e else { continue }
                if let h = s.heartRate { fitHR.append(h) }
                for v in s.rrIntervals {
                    fitRR += 1
                    #expect(Self.units(ofMilliseconds: v) % 3 == k, "strap \(k)'s FIT holds another strap's beat \(v)")
                }
            }
            #expect(fitRR == rr.count, "the FIT and the RR file hold the same beats")
            // The FIT session's max_heart_rate (field 17) is the highest record, and the device
            // serial (file_id field 3) is the strap's, the same in every run.
            var decoder = FITDecoder(try FileByteSource(path: state + "/sessions/" + record.id + ".fit"), name: "fit",
                                     interesting: [FITGlobalMessage.session, FITGlobalMessage.fileID])
            var sessionMax: UInt64?, serial: UInt64?
            while let m = try decoder.next() {
                if m.globalNumber == FITGlobalMessage.session { sessionMax = m[17] }
                if m.globalNumber == FITGlobalMessage.fileID { serial = m[3] }
            }
            #expect(sessionMax == fitHR.max().map(UInt64.init), "session max \(sessionMax ?? 0), records up to \(fitHR.max() ?? 0)")
            #expect(serial == UInt64(SessionFiles.serialNumber(of: record.device)))
            let band = (125 + 15 * k)...(125 + 15 * k + 10)
            #expect(fitHR.filter { $0 > 100 }.allSatisfy { band.contains(Int($0)) }, "strap \(k)'s FIT heart rates are its own")
            #expect(band.contains(Int(record.maxHr.rounded())), "strap \(k)'s session JSON: max HR \(record.maxHr) is its own")
        }
    }
}
