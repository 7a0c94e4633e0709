@testable import Physiology
import Testing

/// Every class score is the product of its named factors, so the JSON's `score_factors` explain
/// the label; and the interval factors read the shape of a series, not the person's HRmax.
@Suite struct ClassFactorsTests {
    /// Six bouts of 2 min fast / 2 min jogged (troughs stay near 55 % HRR, peaks ~78 % HRR).
    static func jogRecoveries(periodVariation: Double, meanPeriod: Double) -> ClassFeatures {
        ClassFeatures(activeSeconds: 2400, meanReserveFraction: 0.6, oscillation: 0.07, vigorousFraction: 0.5, highFraction: 0.2,
                      sustainedPeak: 0.72, bouts: 6, boutsPerTenMinutes: 1.5, meanBoutAmplitude: 0.22, meanBoutPeak: 0.78,
                      meanBoutTrough: 0.56, highPeakBoutFraction: 0.5, meanWorkSeconds: 110, meanRestSeconds: 100,
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

    /// Twelve moderate rises (sets, or stairs and errands) with the given period variation.
    static func moderateRises(periodVariation: Double) -> ClassFeatures {
        ClassFeatures(activeSeconds: 2400, meanReserveFraction: 0.35, oscillation: 0.05, vigorousFraction: 0, highFraction: 0,
                      sustainedPeak: 0.45, bouts: 12, boutsPerTenMinutes: 3, meanBoutAmplitude: 0.25, meanBoutPeak: 0.5,
                      meanBoutTrough: 0.25, highPeakBoutFraction: 0, meanWorkSeconds: 60, meanRestSeconds: 120,
                      risingFraction: 0.45, periodVariation: periodVariation, meanPeriodSeconds: 200)
    }

    @Test func setsKeepARhythmTheBurstsOfADayDoNot() {
        let sets = SessionClassifier.factors(Self.moderateRises(periodVariation: 0.4))
        #expect(sets.paced == 1 && sets.scores.resistance > 0.9)
        // The same rises at random times (stairs, errands: periods varying like a Poisson process).
        let day = SessionClassifier.factors(Self.moderateRises(periodVariation: 1.0))
        #expect(day.paced == 0 && day.scores.resistance == 0)
    }
}
