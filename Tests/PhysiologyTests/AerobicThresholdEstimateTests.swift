import Foundation
import Testing
import TestSupport
@testable import Physiology

/// The HR where a session's α1 crossed 0.75: the mean HR of the windows near 0.75, once a
/// minute of them lies on each side.
@Suite struct AerobicThresholdEstimateTests {
    @Test func aLinearFallThroughThresholdGivesTheCrossing() {
        // α1 falls from 1.25 at 100 bpm to 0.25 at 180 bpm: 0.75 at 140 bpm.
        var e = AerobicThresholdEstimate()
        for i in 0...800 {
            let hr = 100 + Double(i) / 10
            e.add(alpha1: 1.25 - (hr - 100) / 80, heartRate: hr)
        }
        let hr = try! #require(e.heartRate)
        #expect(abs(hr - 140) < 0.5)
        #expect(e.windows == 161)  // 132–148 bpm, one window per 0.1 bpm
    }

    @Test func easyWorkOrABrushWithTheThresholdGivesNone() {
        var easy = AerobicThresholdEstimate()
        for i in 0..<1000 { easy.add(alpha1: 1.0 + Double(i % 50) / 100, heartRate: 120) }
        #expect(easy.heartRate == nil && easy.windows == 0)
        // Below 0.75 for long, above it only briefly: not a minute each side.
        var brush = AerobicThresholdEstimate()
        for _ in 0..<100 { brush.add(alpha1: 0.7, heartRate: 160) }
        for _ in 0..<(AerobicThresholdEstimate.minimumWindowsPerSide - 1) { brush.add(alpha1: 0.8, heartRate: 150) }
        #expect(brush.heartRate == nil)
        brush.add(alpha1: 0.8, heartRate: 150)
        #expect(brush.heartRate != nil)
        // Nothing that is not a number counts.
        var odd = AerobicThresholdEstimate()
        odd.add(alpha1: .nan, heartRate: 150)
        odd.add(alpha1: 0.75, heartRate: .infinity)
        #expect(odd.windows == 0)
    }

    /// Through the engine: beats whose short-term correlation fades as the pace rises (AR(1)
    /// noise from φ 0.95 to 0), so α1 falls from above 1 towards 0.5 on the way from 100 to
    /// 170 bpm; the same ramp with correlated beats throughout never crosses.
    @Test func theEngineReportsTheCrossingOfARampAndNoneWithoutOne() throws {
        func session(fading: Bool) throws -> SessionSummary {
            var engine = PhysiologyEngine(profile: AthleteProfile(age: 30))
            var events: [EngineEvent] = []
            var rng = SplitMix64(seed: 11)
            func gaussian() -> Double {
                let u = Double.random(in: Double.ulpOfOne..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
                return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * .pi * v)
            }
            var t = 1_700_000_000.0
            var noise = 0.0
            let minutes = 40.0
            while t < 1_700_000_000 + minutes * 60 {
                let progress = (t - 1_700_000_000) / (minutes * 60)
                let hr = 100 + 70 * progress
                let phi = fading ? 0.95 * (1 - progress) : 0.95
                noise = phi * noise + (1 - phi * phi).squareRoot() * 4 * gaussian()
                let rr = 60_000 / hr + noise
                engine.ingest(time: t, heartRate: nil, rrIntervals: [rr]) { events.append($0) }
                t += rr / 1000
            }
            engine.finish { events.append($0) }
            return try #require(PhysiologyEngineTests.summaries(events).first)
        }
        let fading = try session(fading: true)
        let steady = try session(fading: false)
        let crossing = try #require(fading.alpha1ThresholdHeartRate, "α1 mean \(fading.alpha1Mean ?? -1), min \(fading.alpha1Minimum ?? -1)")
        #expect(crossing > 110 && crossing < 165)
        #expect(steady.alpha1ThresholdHeartRate == nil, "α1 min \(steady.alpha1Minimum ?? -1)")
    }
}
