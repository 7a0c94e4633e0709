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

    /// `activity.local_timestamp` is local time: the end shifted by the zone's offset the
    /// caller gives (before, it equalled the UTC timestamp whatever the zone).
    @Test func theActivitysLocalTimestampIsLocalTime() throws {
        for offset: Int32 in [0, 3600, -5 * 3600, 19_800] {
            let start = 1_700_000_000.0
            let bytes = FITActivityEncoder.encode(.init(
                start: start, end: start + 60, records: [(time: start, heartRate: UInt8(100))], rrIntervals: [], sport: 0, subSport: 0,
                averageHeartRate: nil, maximumHeartRate: nil, serialNumber: 7, utcOffsetSeconds: offset))
            var decoder = FITDecoder(InMemoryByteSource(bytes, chunkSize: 64), name: "a.fit", interesting: [FITGlobalMessage.activity])
            var found = false
            while let m = try decoder.next() {
                guard m.globalNumber == FITGlobalMessage.activity else { continue }
                found = true
                let utc = try #require(m.timestamp), local = try #require(m[5])
                #expect(Int64(local) - Int64(utc) == Int64(offset))
            }
            #expect(found)
        }
    }
}

/// The strap's energy reaches the FIT session and lap as `total_calories` (field 11, kcal).
@Suite struct FITTotalCaloriesTests {
    @Test func totalCaloriesAreWrittenWhenGivenAndInvalidOtherwise() throws {
        for calories: UInt16? in [312, nil] {
            let start = 1_700_000_000.0
            var activity = FITActivityEncoder.Activity(
                start: start, end: start + 600, records: [(time: start, heartRate: UInt8(120))], rrIntervals: [], sport: 1, subSport: 0,
                averageHeartRate: 120, maximumHeartRate: 120, serialNumber: 7)
            activity.totalCalories = calories
            let bytes = FITActivityEncoder.encode(activity)
            var decoder = FITDecoder(InMemoryByteSource(bytes, chunkSize: 64), name: "a.fit",
                                     interesting: [FITGlobalMessage.session, FITGlobalMessage.lap])
            var seen = 0
            while let m = try decoder.next() {
                guard m.globalNumber == FITGlobalMessage.session || m.globalNumber == FITGlobalMessage.lap else { continue }
                seen += 1
                #expect(m[11] == calories.map(UInt64.init), "message \(m.globalNumber): \(String(describing: m[11]))")
            }
            #expect(seen == 2)
        }
    }
}
