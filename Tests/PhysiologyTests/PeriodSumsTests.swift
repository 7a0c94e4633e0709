@testable import Physiology
import Testing

/// The period sums behind both bout series' rhythm.
@Suite struct PeriodSumsTests {
    @Test func meanAndVariationOfAClockAndOfErrands() {
        var clock = PeriodSums()
        for p in [240.0, 242, 238, 240] { clock.add(p) }
        #expect(clock.mean == 240 && clock.variation < 0.01)
        var errands = PeriodSums()
        for p in [60.0, 540, 90, 480] { errands.add(p) }
        #expect(errands.variation > 0.7)
    }

    @Test func fewerThanTwoPeriodsHaveNoRhythmAndNoneHasNoMean() {
        var one = PeriodSums()
        #expect(one.mean == 0 && one.variation == 1)
        one.add(120)
        #expect(one.mean == 120 && one.variation == 1)
    }

    @Test func decayKeepsTheMeanAndSinceKeepsOnlyTheNewPeriods() {
        var s = PeriodSums()
        for _ in 0..<4 { s.add(120) }
        let before = s
        s.decay(0.5)
        #expect(abs(s.mean - 120) < 1e-12)
        var later = before
        later.add(300)
        later.add(300)
        let d = later.since(before)
        #expect(d.mean == 300 && d.variation < 1e-6)
    }
}
