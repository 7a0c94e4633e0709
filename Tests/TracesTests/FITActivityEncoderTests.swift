import Testing
import TestSupport
@testable import Traces

@Suite struct FITActivityEncoderTests {
    @Test func ourOwnDecoderReadsBackEveryRecordAndBeat() throws {
        let start = 1_700_000_000.0
        let records = (0..<600).map { (time: start + Double($0), heartRate: UInt8(100 + $0 % 60)) }
        var rng = SplitMix64(seed: 4)
        let rr = (0..<1000).map { _ in Double(Int.random(in: 400...900, using: &rng)) }
        let bytes = FITActivityEncoder.encode(.init(
            start: start, end: start + 599, records: records, rrIntervals: rr, sport: 10, subSport: 20,
            averageHeartRate: 130, maximumHeartRate: 159, serialNumber: 7))
        var reader = FITTraceReader(InMemoryByteSource(bytes, chunkSize: 33), name: "export.fit")
        var hr: [UInt8] = [], beats: [Double] = [], sessions = 0
        while let e = try reader.next() {
            switch e {
            case .sample(let s):
                if let h = s.heartRate { hr.append(UInt8(h)) }
                beats += s.rrIntervals
            case .metadata(.session(let a, let b, let sport, let sub)):
                sessions += 1
                #expect(a == start && b == start + 599 && sport == 10 && sub == 20)
            default:
                break
            }
        }
        #expect(hr == records.map(\.heartRate))
        #expect(beats == rr)
        #expect(sessions == 1)
        #expect(reader.messageCounts[FITGlobalMessage.activity] == 1)
    }
}
