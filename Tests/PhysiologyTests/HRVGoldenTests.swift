import Foundation
import Testing
import TestSupport
@testable import Physiology

/// Compares the streaming HRV window with reference values from neurokit2 0.2.13, generated
/// once by `scripts/hrv_golden.py` into `Tests/Fixtures/golden/hrv.json`.
///
/// Tolerances: RMSSD and SDNN within 0.5 ms of neurokit2's `hrv_time`; the neurokit2-compatible
/// α1 (`alpha1Overlapping`) within 0.02 of neurokit2's `fractal_dfa`; the streaming α1 within
/// 1e-6 of the same DFA with boxes aligned to the absolute beat index (its exact definition).
@Suite struct HRVGoldenTests {
    struct Golden: Decodable {
        struct Window: Decodable {
            var end: Int
            var start: Int
            var beats: Int
            var rmssd: Double
            var sdnn: Double
            var alpha1_nk2: Double
            var alpha1_aligned: Double?
        }
        struct Series: Decodable {
            var name: String
            var rr: [Double]?
            var windows: [Window]
        }
        var series: [Series]
    }

    static let golden: Golden = {
        let bytes = try! FileBytes.read(TestPaths.fixture("golden/hrv.json"))
        return try! JSONDecoder().decode(Golden.self, from: Data(bytes))
    }()

    /// The RR series a golden entry was computed on (same filters as the script): the Polar H10
    /// recording's beats in order, or an E4 session's (`e4-aerobic-S02`), in 250-2000 ms.
    static func series(_ s: Golden.Series) throws -> [Double] {
        if let rr = s.rr { return rr }
        if s.name.hasPrefix("polar-h10") {
            return try RealRecordings.polarH10().flatMap(\.rr).filter { $0 >= 250 && $0 <= 2000 }
        }
        let parts = s.name.split(separator: "-")  // e4-aerobic-S02
        return try RealRecordings.e4(parts[1].uppercased(), String(parts[2])).intervals
    }

    @Test("streaming HRV matches neurokit2", arguments: golden.series.map(\.name))
    func matchesReference(name: String) throws {
        let entry = Self.golden.series.first { $0.name == name }!
        let rr = try Self.series(entry)
        try #require(!entry.windows.isEmpty)
        var window = HRVWindow()
        var next = 0
        var worst = (rmssd: 0.0, sdnn: 0.0, nk2: 0.0, aligned: 0.0)
        for (i, beat) in rr.enumerated() {
            window.add(beat)
            guard next < entry.windows.count, entry.windows[next].end == i else { continue }
            let g = entry.windows[next]
            next += 1
            #expect(window.count == g.beats, "window rule differs at beat \(i)")
            worst.rmssd = max(worst.rmssd, abs(window.rmssd! - g.rmssd))
            worst.sdnn = max(worst.sdnn, abs(window.sdnn! - g.sdnn))
            worst.nk2 = max(worst.nk2, abs(window.alpha1Overlapping()! - g.alpha1_nk2))
            if let aligned = g.alpha1_aligned {
                worst.aligned = max(worst.aligned, abs(window.alpha1! - aligned))
            }
        }
        #expect(next == entry.windows.count, "every golden window was reached")
        #expect(worst.rmssd < 0.5)
        #expect(worst.sdnn < 0.5)
        #expect(worst.nk2 < 0.02)
        #expect(worst.aligned < 1e-6)
    }

    @Test func whiteNoiseReadsAboutHalfAndBrownianAboutOneAndAHalf() {
        var rng = SplitMix64(seed: 9)
        func gaussian() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
            return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
        }
        var white = HRVWindow(seconds: 600, maximumBeats: 2048)
        var brown = HRVWindow(seconds: 600, maximumBeats: 2048)
        var walk = 0.0
        for _ in 0..<2000 {
            white.add(800 + 30 * gaussian())
            walk += 5 * gaussian()
            brown.add(800 + walk)
        }
        #expect(abs(white.alpha1! - 0.5) < 0.12)
        #expect(abs(brown.alpha1! - 1.5) < 0.15)
    }
}
