import Foundation
import HeartRateWire
import Ingest
import Storage
import Physiology
import Testing
import TestSupport
import Traces

@Suite struct SessionFilesTests {
    /// A strap that sends HR 0 with an RR of 0 (`10 00 00 00`) in the middle of a session: the
    /// session is still written, RR file and FIT, and the nonsense beat is in neither.
    @Test func zeroHeartRateWithZeroRRMidSessionIsWrittenNotATrap() throws {
        let state = try FileBytes.temporaryDirectory("zero-rr")
        let files = SessionFiles(stateDirectory: state)
        let store = try SessionStore(stateDirectory: state, database: try StateDatabaseTests.open(state))
        let pipeline = StrapPipeline(device: DeviceAddress("C0:FF:EE:00:00:07")!, profile: AthleteProfile(age: 30),
                                     sinks: [store, files])
        pipeline.add(sampleSink: files)
        let t0 = 1_700_000_000.0
        for i in 0..<2400 {
            let bytes: [UInt8] = i % 300 == 150
                ? [0x10, 0x00, 0x00, 0x00]  // HR 0, one RR of 0
                : HeartRateMeasurement(heartRate: UInt16(150 + i % 9), rrIntervals: RRIntervals([400])).encoded()
            pipeline.handle(notification: bytes, characteristic: .heartRateMeasurement, time: t0 + Double(i))
        }
        pipeline.finish()
        #expect(files.errors.isEmpty, "\(files.errors)")
        let record = try #require(store.written.first, "the session was recorded")
        let rr = String(decoding: try FileBytes.read(files.rrPath(record.id)), as: UTF8.self)
        #expect(!rr.split(separator: "\n").contains("0"), "RR 0 is not a beat")
        var reader = FITTraceReader(try FileByteSource(path: files.fitPath(record.id)), name: "fit")
        var heartRates = 0
        while let e = try reader.next() { if case .sample(let s) = e, s.heartRate != nil { heartRates += 1 } }
        #expect(heartRates > 2000)
    }
}
