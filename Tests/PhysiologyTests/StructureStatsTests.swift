import Foundation
@testable import Physiology
import Testing

/// The structure accumulators behind the classifier: bout regularity and the rising share are
/// what tell a planned interval series from hills, whatever the person's HRmax.
@Suite struct StructureStatsTests {
    static func bouts(periods: [Double]) -> StructureStats {
        var s = StructureStats()
        s.add(x: 0.5, trend: 0.5, level: 0.5, y: 0.7, rising: false, dt: 600, highFraction: 0.85)
        s.add(amplitude: 0.3, peak: 0.8, trough: 0.5, peakIsHigh: false, work: 100, rest: nil)
        for p in periods {
            s.add(amplitude: 0.3, peak: 0.8, trough: 0.5, peakIsHigh: false, work: 100, rest: p - 100, period: p)
        }
        return s
    }

    @Test func aSeriesThatRepeatsLikeAClockHasSmallPeriodVariation() {
        let clock = Self.bouts(periods: [240, 242, 238, 240, 241]).features
        #expect(clock.periodVariation < 0.01)
        #expect(abs(clock.meanPeriodSeconds - 240.2) < 1e-9)
        let hills = Self.bouts(periods: [300, 900, 480, 1200]).features
        #expect(hills.periodVariation > 0.4)
        #expect(hills.meanPeriodSeconds == 720)
    }

    @Test func fewerThanTwoPeriodsAreIrregularAndOneBoutHasNoPeriod() {
        #expect(Self.bouts(periods: [240]).features.periodVariation == 1)
        let one = Self.bouts(periods: []).features
        #expect(one.periodVariation == 1 && one.meanPeriodSeconds == 0)
    }

    @Test func smallBoutsAreCountedApartFromBoutsAndCarryTheirOwnRhythm() {
        var s = StructureStats()
        s.add(x: 0.3, trend: 0.3, level: 0.3, y: 0.6, rising: false, dt: 1200, highFraction: 0.85)
        s.addSmallBout(peak: 0.35, period: nil)
        for p in [150.0, 152, 148, 150] { s.addSmallBout(peak: 0.37, period: p) }
        let f = s.features
        #expect(f.bouts == 0 && f.smallBouts == 5)
        #expect(abs(f.smallBoutsPerTenMinutes - 2.5) < 1e-12)
        #expect(abs(f.meanSmallBoutPeak - 0.366) < 1e-12)
        #expect(f.smallPeriodVariation < 0.02)
        // A stretch since a snapshot holds only its own small bouts.
        var later = s
        later.addSmallBout(peak: 0.5, period: 600)
        later.addSmallBout(peak: 0.5, period: 60)
        let stretch = later.since(s, peak: 0.5).features
        #expect(stretch.smallBouts == 2 && stretch.meanSmallBoutPeak == 0.5)
        #expect(stretch.smallPeriodVariation > 0.8)
    }

    @Test func risingFractionIsTheShareOfTimeTheMinuteHRRose() {
        var s = StructureStats()
        s.add(x: 0.5, trend: 0.5, level: 0.5, y: 0.7, rising: true, dt: 30, highFraction: 0.85)
        s.add(x: 0.5, trend: 0.5, level: 0.5, y: 0.7, rising: false, dt: 90, highFraction: 0.85)
        #expect(abs(s.features.risingFraction - 0.25) < 1e-12)
    }

    @Test func aStretchSinceASnapshotCarriesOnlyItsOwnBouts() {
        let start = Self.bouts(periods: [240, 240])
        var later = start
        later.add(amplitude: 0.3, peak: 0.8, trough: 0.5, peakIsHigh: false, work: 100, rest: 500, period: 600)
        later.add(amplitude: 0.3, peak: 0.8, trough: 0.5, peakIsHigh: false, work: 100, rest: 500, period: 600)
        let stretch = later.since(start, peak: 0.8).features
        #expect(stretch.bouts == 2 && stretch.meanPeriodSeconds == 600 && stretch.periodVariation < 1e-6)
    }

    /// Feeds `minutes` one-second steps whose trend is `trend(second)`.
    static func stretch(seconds: Int, trend: (Double) -> Double) -> StructureStats {
        var s = StructureStats()
        for i in 0..<seconds {
            let x = trend(Double(i))
            s.add(x: x, trend: x, level: x, y: 0.6, rising: false, dt: 1, highFraction: 0.85)
        }
        return s
    }

    @Test func aGradedClimbCorrelatesWithTimeAndASettlingStretchDoesNot() {
        // A graded test: 0.2 → 0.6 HRR over 30 minutes in 3-minute steps.
        let graded = Self.stretch(seconds: 1800) { 0.2 + 0.04 * ($0 / 180).rounded(.down) }.features
        #expect(graded.climb > 0.95)
        #expect(abs(graded.climbRise - 0.4) < 0.03)
        // A seated stress protocol: high at the start, settling.
        let settling = Self.stretch(seconds: 1800) { 0.35 - 0.1 * $0 / 1800 }.features
        #expect(settling.climb < -0.95)
        #expect(abs(settling.climbRise + 0.1) < 0.01)
        // Steady work with swings around a flat level has no direction.
        let steady = Self.stretch(seconds: 1800) { 0.5 + 0.05 * sin($0 / 60) }.features
        #expect(abs(steady.climb) < 0.2)
    }

    @Test func aClimbNeedsTenMinutesAndATrendThatMoved() {
        #expect(Self.stretch(seconds: 540) { 0.2 + 0.3 * $0 / 540 }.features.climb == 0)
        #expect(Self.stretch(seconds: 1200) { 0.4 + 0.000_001 * $0 }.features.climb == 0)
    }

    @Test func theClimbOfAStretchSinceASnapshotIsItsOwn() {
        // Settles for 20 min, then climbs for 20: the second half alone climbs.
        var s = StructureStats()
        for i in 0..<1200 { let x = 0.5 - 0.2 * Double(i) / 1200; s.add(x: x, trend: x, level: x, y: 0.6, rising: false, dt: 1, highFraction: 0.85) }
        let start = s
        for i in 0..<1200 { let x = 0.3 + 0.3 * Double(i) / 1200; s.add(x: x, trend: x, level: x, y: 0.6, rising: false, dt: 1, highFraction: 0.85) }
        #expect(s.since(start, peak: 0.6).features.climb > 0.99)
    }
}
