import Foundation
import Testing
import TestSupport
@testable import Physiology

/// Lipponen–Tarvainen correction against neurokit2's `signal_fixpeaks(method="Kubios")`, on the
/// synthetic series with injected artifacts and on the real Polar H10 recording with premature beats.
@Suite struct KubiosArtifactCorrectionTests {
    struct Golden: Decodable {
        struct Correction: Decodable {
            var name: String
            var peaks: [Int]
            var ectopic: [Int]
            var missed: [Int]
            var extra: [Int]
            var longshort: [Int]
        }
        var kubios: [Correction]
    }

    static let golden: Golden = {
        try! JSONDecoder().decode(Golden.self, from: Data(try! FileBytes.read(TestPaths.fixture("golden/hrv.json"))))
    }()

    static func input(_ name: String) throws -> [Double] {
        if name.hasPrefix("polar-h10") {
            return try HRVGoldenTests.series(.init(name: "polar-h10-detectpvc", rr: nil, windows: []))
        }
        return HRVGoldenTests.golden.series.first { $0.name == name }!.rr!
    }

    @Test("corrected beats equal neurokit2's", arguments: golden.kubios.map(\.name))
    func matchesNeurokit2(name: String) throws {
        let g = Self.golden.kubios.first { $0.name == name }!
        let result = KubiosArtifactCorrection.correct(rrIntervals: try Self.input(name))
        #expect(result.ectopic == g.ectopic)
        #expect(result.missed == g.missed)
        #expect(result.extra == g.extra)
        #expect(result.longShort == g.longshort)
        #expect(result.peaks.count == g.peaks.count)
        let worst = zip(result.peaks, g.peaks).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1, "beat times within 1 ms (integer truncation)")
    }

    @Test func helpersMatchNumpyAndPandas() {
        #expect(KubiosArtifactCorrection.reflectPad([1, 2, 3, 4], 2) == [3, 2, 1, 2, 3, 4, 3, 2])
        let q = KubiosArtifactCorrection.rollingQuantile([1, 2, 3, 4, 5], window: 3, q: 0.5)
        #expect(q == [1.5, 2, 3, 4, 4.5])
    }

    @Test func aCleanSeriesIsLeftAlone() {
        let rr = (0..<500).map { 800 + 20 * Foundation.sin(Double($0) / 3) }
        let result = KubiosArtifactCorrection.correct(rrIntervals: rr)
        #expect(result.ectopic.isEmpty && result.missed.isEmpty && result.extra.isEmpty && result.longShort.isEmpty)
        #expect(zip(result.rrIntervals, rr).allSatisfy { abs($0 - $1) <= 1 })
    }
}
