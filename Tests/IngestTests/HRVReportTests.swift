@testable import Ingest
import Physiology
import Testing
import TestSupport
import Traces

/// The hand-written JSON line of an HRV row is what the encoder writes.
@Suite struct HRVReportTests {
    @Test func theRowsJSONLineIsTheEncodersLine() {
        var rng = SplitMix64(seed: 0x4A5)
        func value() -> Double? {
            switch rng.next() % 8 {
            case 0: nil
            case 1: Double(rng.next() % 200)
            case 2: .nan
            case 3: Double(rng.next() % 1_000_000) / 1e9
            default: Double(rng.next() % 10_000_000) / 1000
            }
        }
        for _ in 0..<5000 {
            let row = HRVReport.Row(time: 1_623_000_000 + Double(rng.next() % 100_000_000) / 1000, beat: Int(rng.next() % 200_000),
                                    beats: Int(rng.next() % 300), rmssdMs: value(), sdnnMs: value(), dfaAlpha1: value(),
                                    dfaAlpha1Overlapping: value(), artifactPercent: value() ?? 0,
                                    repeatedPercent: value() ?? 0)
            #expect(row.jsonLine == JSONLines.line(row))
        }
    }
}

/// A source that re-sends its last interval is not beat to beat: its windows carry no HRV.
@Suite struct HRVReportRepeatedBeatsTests {
    /// Every window of a FIT fixture.
    static func rows(_ fixture: String) throws -> [HRVReport.Row] {
        let bytes = try FileBytes.read(TestPaths.fixture(fixture))
        var reader = FITTraceReader(InMemoryByteSource(bytes), name: fixture)
        var rows: [HRVReport.Row] = []
        let failure = HRVReport.run(&reader) { rows.append($0) }
        #expect(failure == nil)
        return rows
    }

    @Test func aGarminEdgeRideThatRepeatsItsIntervalsHasNoHRV() throws {
        let rows = try Self.rows("fit-tormoder/bpg-garmin.fit")
        try #require(rows.count > 1000)
        let repeating = rows.filter { $0.repeatedPercent > EngineConstants().hrvMaximumRepeatedPercent }
        // Most of its windows repeat, and none of those reports HRV.
        #expect(Double(repeating.count) > 0.9 * Double(rows.count))
        #expect(repeating.allSatisfy { $0.rmssdMs == nil && $0.sdnnMs == nil && $0.dfaAlpha1 == nil })
    }

    @Test func aStrapsBeatToBeatRunKeepsItsHRV() throws {
        let rows = try Self.rows("fit-parser-jimmykane/running-with-developer-data.fit")
        try #require(rows.count > 100)
        #expect(rows.allSatisfy { $0.repeatedPercent <= EngineConstants().hrvMaximumRepeatedPercent })
        #expect(Double(rows.filter { $0.rmssdMs != nil && $0.dfaAlpha1 != nil }.count) > 0.8 * Double(rows.count))
    }
}
