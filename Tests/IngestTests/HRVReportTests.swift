@testable import Ingest
import Testing
import TestSupport

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
                                    dfaAlpha1Overlapping: value(), artifactPercent: value() ?? 0)
            #expect(row.jsonLine == JSONLines.line(row))
        }
    }
}
