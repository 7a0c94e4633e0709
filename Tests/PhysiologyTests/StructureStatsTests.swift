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
}
