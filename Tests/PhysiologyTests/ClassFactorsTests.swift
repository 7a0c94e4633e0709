@testable import Physiology
import Testing

/// Every class score is the product of its named factors, so the JSON's `score_factors` explain
/// the label; and the interval factors read the shape of a series, not the person's HRmax.
@Suite struct ClassFactorsTests {
    /// Six bouts of 2 min fast / 2 min jogged (troughs stay near 55 % HRR, peaks ~78 % HRR).
    static func jogRecoveries(periodVariation: Double, meanPeriod: Double) -> ClassFeatures {
        ClassFeatures(activeSeconds: 2400, meanReserveFraction: 0.6, oscillation: 0.07, vigorousFraction: 0.5, highFraction: 0.2,
                      sustainedPeak: 0.72, bouts: 6, boutsPerTenMinutes: 1.5, meanBoutAmplitude: 0.22, meanBoutPeak: 0.78,
                      meanBoutTrough: 0.56, highPeakBoutFraction: 0.5, meanWorkSeconds: 110, meanClimbSeconds: 110, meanRestSeconds: 100,
                      risingFraction: 0.5, periodVariation: periodVariation, meanPeriodSeconds: meanPeriod)
    }

    @Test func scoresAreTheProductsOfTheNamedFactors() {
        for f in [Self.jogRecoveries(periodVariation: 0.05, meanPeriod: 240), Self.jogRecoveries(periodVariation: 0.8, meanPeriod: 700)] {
            let factors = SessionClassifier.factors(f)
            let named = Dictionary(uniqueKeysWithValues: factors.named.map { ($0.0, Dictionary(uniqueKeysWithValues: $0.1)) })
            let hiit = named["hiit"]!.values.reduce(1, *)
            let resistance = named["resistance"]!.values.reduce(1, *)
            let endurance = named["endurance"]!.values.reduce(1, *) * (1 - hiit) * (1 - resistance)
            let s = SessionClassifier.score(f)
            #expect(abs(s.hiit - hiit) < 1e-12 && abs(s.resistance - resistance) < 1e-12 && abs(s.endurance - endurance) < 1e-12)
            #expect(named.values.flatMap(\.values).allSatisfy { (0...1).contains($0) })
        }
    }

    @Test func aClockRegularShortSeriesIsIntervalsTheSameBoutsAtRandomAreNot() {
        let series = SessionClassifier.score(Self.jogRecoveries(periodVariation: 0.05, meanPeriod: 240))
        #expect(series.hiit > 0.9 && series.hiit > series.endurance)
        // The same rises, irregular and ten minutes apart: surges or hills on a run.
        let hills = SessionClassifier.score(Self.jogRecoveries(periodVariation: 0.8, meanPeriod: 700))
        #expect(hills.hiit < 0.5 && hills.endurance > hills.hiit)
    }

    /// Four intervals of 5 min, each after a 10-min jog that holds HR near its trough: timed from
    /// the trough each rise lasts ~13 min, from the onset of its climb ~4.
    static func longJogIntervals(periodVariation: Double, highPeaks: Double) -> ClassFeatures {
        var f = jogRecoveries(periodVariation: periodVariation, meanPeriod: 900)
        f.bouts = 4
        f.meanBoutPeak = 0.9
        f.meanBoutAmplitude = 0.33
        f.meanBoutTrough = 0.57
        f.highPeakBoutFraction = highPeaks
        f.meanWorkSeconds = 780
        f.meanClimbSeconds = 240
        f.meanRestSeconds = 150
        return f
    }

    @Test func aClockRegularSeriesReachingHighIsTimedByItsClimbs() {
        let intervals = SessionClassifier.factors(Self.longJogIntervals(periodVariation: 0.1, highPeaks: 1))
        #expect(intervals.hiitQuick == 1 && intervals.scores.hiit > intervals.scores.endurance)
        // Below 85 % HRmax the same clock is tempo work; at irregular times, hills: each rise is
        // then a climb of many minutes, as its trough says.
        #expect(SessionClassifier.factors(Self.longJogIntervals(periodVariation: 0.1, highPeaks: 0)).hiitQuick == 0)
        #expect(SessionClassifier.factors(Self.longJogIntervals(periodVariation: 0.8, highPeaks: 1)).hiitQuick == 0)
    }

    /// Rises at irregular times with troughs just under half of HRR and moderate amplitude: a
    /// few sprints on a wrist that reads low, or, many of them, the hills and stops of a ride.
    static func irregularRises(bouts: Double) -> ClassFeatures {
        var f = jogRecoveries(periodVariation: 0.6, meanPeriod: 420)
        f.bouts = bouts
        f.meanBoutTrough = 0.40
        f.meanBoutAmplitude = 0.28
        f.meanBoutPeak = 0.68
        return f
    }

    @Test func aLowTroughIsADeepRecoveryForAFewRepeatsNotForALongSeries() {
        #expect(SessionClassifier.factors(Self.irregularRises(bouts: 4)).hiitDeep == 1)
        // Eight bpm of error in HRmax or the rest cap moves a trough by ~0.06 HRR: over a long
        // series that alone must not make recoveries deep.
        #expect(SessionClassifier.factors(Self.irregularRises(bouts: 12)).hiitDeep == 0)
    }

    /// Twelve moderate rises (sets, or stairs and errands) with the given period variation.
    static func moderateRises(periodVariation: Double) -> ClassFeatures {
        ClassFeatures(activeSeconds: 2400, meanReserveFraction: 0.35, oscillation: 0.05, vigorousFraction: 0, highFraction: 0,
                      sustainedPeak: 0.45, bouts: 12, boutsPerTenMinutes: 3, meanBoutAmplitude: 0.25, meanBoutPeak: 0.5,
                      meanBoutTrough: 0.25, highPeakBoutFraction: 0, meanWorkSeconds: 60, meanClimbSeconds: 60, meanRestSeconds: 120,
                      risingFraction: 0.45, periodVariation: periodVariation, meanPeriodSeconds: 200)
    }

    @Test func setsKeepARhythmTheBurstsOfADayDoNot() {
        let sets = SessionClassifier.factors(Self.moderateRises(periodVariation: 0.4))
        #expect(sets.paced == 1 && sets.scores.resistance > 0.9)
        // The same rises at random times (stairs, errands: periods varying like a Poisson process).
        let day = SessionClassifier.factors(Self.moderateRises(periodVariation: 1.0))
        #expect(day.paced == 0 && day.scores.resistance == 0)
    }
    /// Sixteen moderate rises, one every ~6 minutes (heavy sets with long rests and exercise
    /// changes, or the restarts of a ride with stops), each climbing for `climb` seconds.
    static func longRests(climb: Double) -> ClassFeatures {
        var f = moderateRises(periodVariation: 0.3)
        f.bouts = 16
        f.boutsPerTenMinutes = 1.7
        f.meanPeriodSeconds = 350
        f.meanRestSeconds = 220
        f.meanClimbSeconds = climb
        f.meanWorkSeconds = climb + 20
        return f
    }

    @Test func aLongSeriesOfShortClimbsIsSetsHoweverSeldom() {
        let sets = SessionClassifier.factors(Self.longRests(climb: 35))
        #expect(sets.sets == 1 && sets.scores.resistance > 0.9)
        // The same series climbing for a minute and a half each time: hills and restarts, not
        // sets, at this rate or any.
        let rides = SessionClassifier.factors(Self.longRests(climb: 90))
        #expect(rides.sets < 0.2 && rides.scores.resistance < 0.5)
    }

    /// A race-pace run held at ~80 % HRR for 27 min: no bout at all, but the warm-up and the
    /// finish swing HR around its 2-min trend (oscillation 0.085 HRR).
    static func hardSteady(bouts: Double) -> ClassFeatures {
        ClassFeatures(activeSeconds: 1600, meanReserveFraction: 0.8, oscillation: 0.085, vigorousFraction: 0.9, highFraction: 0.6,
                      sustainedPeak: 0.96, bouts: bouts, boutsPerTenMinutes: bouts * 600 / 1600, meanBoutAmplitude: bouts > 0 ? 0.3 : 0,
                      meanBoutPeak: bouts > 0 ? 0.9 : 0, meanBoutTrough: bouts > 0 ? 0.3 : 0, highPeakBoutFraction: 0,
                      meanWorkSeconds: bouts > 0 ? 90 : 0, meanClimbSeconds: bouts > 0 ? 90 : 0, meanRestSeconds: 0,
                      risingFraction: 0.5, periodVariation: 1, meanPeriodSeconds: 0)
    }

    @Test func withoutABoutTheSwingsAreTransitionsAndAHardSteadyRunIsEndurance() {
        let steady = SessionClassifier.factors(Self.hardSteady(bouts: 0))
        #expect(steady.calm == 1 && steady.scores.endurance > 0.9)
        // The same swings with a deep bout in them are not calm.
        #expect(SessionClassifier.factors(Self.hardSteady(bouts: 1)).calm < 0.1)
    }

    /// Heavy compound lifts: 29 sets whose rises are as large as intervals' (0.38 HRR) with
    /// peaks near half of HRR, a set every four minutes, each climbing for 40 s (the set and
    /// the lag after it) of its 64 s from trough to peak.
    static func heavySets(bouts: Double) -> ClassFeatures {
        ClassFeatures(activeSeconds: 7600, meanReserveFraction: 0.28, oscillation: 0.1, vigorousFraction: 0, highFraction: 0,
                      sustainedPeak: 0.36, bouts: bouts, boutsPerTenMinutes: bouts * 600 / 7600, meanBoutAmplitude: 0.38,
                      meanBoutPeak: 0.54, meanBoutTrough: 0.15, highPeakBoutFraction: 0, meanWorkSeconds: 64, meanClimbSeconds: 40, meanRestSeconds: 180,
                      risingFraction: 0.45, periodVariation: 0.07, meanPeriodSeconds: 246)
    }

    @Test func aLongSeriesOfLargeRisesWithModeratePeaksIsLifting() {
        let heavy = SessionClassifier.factors(Self.heavySets(bouts: 29))
        #expect(heavy.moderate == 1 && heavy.steady == 1)
        #expect(heavy.scores.resistance > 0.9 && heavy.scores.hiit < 0.1)
        // Five such rises are not a set series: their size speaks against lifting.
        let few = SessionClassifier.factors(Self.heavySets(bouts: 5))
        #expect(few.moderate < 0.5 && few.scores.resistance < 0.5)
    }

    /// A 4 × 4 with active recoveries: two bouts seen, peaks near max, troughs near half of HRR.
    static func activeRecoveries(amplitude: Double) -> ClassFeatures {
        ClassFeatures(activeSeconds: 2200, meanReserveFraction: 0.65, oscillation: 0.1, vigorousFraction: 0.7, highFraction: 0.3,
                      sustainedPeak: 0.92, bouts: 2, boutsPerTenMinutes: 0.55, meanBoutAmplitude: amplitude, meanBoutPeak: 0.5 + amplitude,
                      meanBoutTrough: 0.5, highPeakBoutFraction: 1, meanWorkSeconds: 200, meanClimbSeconds: 200, meanRestSeconds: 150,
                      risingFraction: 0.5, periodVariation: 1, meanPeriodSeconds: 450)
    }

    @Test func aLargeDropIsAnIntervalRecoveryWhateverItsTrough() {
        let fourByFour = SessionClassifier.factors(Self.activeRecoveries(amplitude: 0.47))
        #expect(fourByFour.hiitDeep == 1 && fourByFour.scores.hiit > 0.9)
        // The same trough after a small drop (a surge on a run) is not deep.
        #expect(SessionClassifier.factors(Self.activeRecoveries(amplitude: 0.25)).hiitDeep < 0.5)
    }

    /// 45/15 blocks: 19 bouts back to near the top, short breaks inside blocks and long spins
    /// between them, so the peak-to-peak periods vary (CV 0.73).
    static func blocks(peak: Double) -> ClassFeatures {
        ClassFeatures(activeSeconds: 3100, meanReserveFraction: 0.67, oscillation: 0.127, vigorousFraction: 0.8, highFraction: 0.5,
                      sustainedPeak: 0.92, bouts: 19, boutsPerTenMinutes: 3.7, meanBoutAmplitude: 0.23, meanBoutPeak: peak,
                      meanBoutTrough: peak - 0.23, highPeakBoutFraction: 1, meanWorkSeconds: 47, meanClimbSeconds: 47, meanRestSeconds: 60,
                      risingFraction: 0.5, periodVariation: 0.73, meanPeriodSeconds: 116)
    }

    @Test func blocksThatReturnToTheTopArePlannedThoughTheirPeriodsVary() {
        let blocks = SessionClassifier.factors(Self.blocks(peak: 0.98))
        #expect(blocks.hiitPlanned == 1 && blocks.scores.hiit > 0.9)
        // The same irregular series peaking at 75 % HRR (terrain on a ride) is not planned.
        #expect(SessionClassifier.factors(Self.blocks(peak: 0.75)).hiitPlanned == 0)
    }
}
