@testable import Physiology
import Testing

/// The small bouts behind light sets: their rhythm is what tells a rest timer from a day's errands.
@Suite struct SmallBoutSeriesTests {
    @Test func aRestTimerIsRegularAndErrandsAreNot() {
        var timer = SmallBoutSeries()
        timer.add(peak: 0.3, period: nil)
        for p in [150.0, 160, 140, 150] { timer.add(peak: 0.34, period: p) }
        #expect(timer.count == 5)
        #expect(abs(timer.meanPeak - 0.332) < 1e-12)
        #expect(timer.periodVariation < 0.06)
        var errands = SmallBoutSeries()
        errands.add(peak: 0.3, period: nil)
        for p in [60.0, 540, 90, 480] { errands.add(peak: 0.3, period: p) }
        #expect(errands.periodVariation > 0.7)
    }

    @Test func decayKeepsTheMeansAndSinceKeepsOnlyTheNewBouts() {
        var s = SmallBoutSeries()
        for _ in 0..<4 { s.add(peak: 0.4, period: 120) }
        let before = s
        s.decay(0.5)
        #expect(s.count == 2 && abs(s.meanPeak - 0.4) < 1e-12)
        var later = before
        later.add(peak: 0.2, period: 300)
        let d = later.since(before)
        #expect(d.count == 1 && abs(d.meanPeak - 0.2) < 1e-12)
        // Fewer than two periods have no rhythm to speak of.
        #expect(d.periodVariation == 1 && SmallBoutSeries().meanPeak == 0)
    }
}
