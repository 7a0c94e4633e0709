@testable import Physiology
import Testing

/// Where HRmax is wrong (predicted, or a wrist that under-reads) the classifier still judges by
/// shape: a trend that climbs is training, and a session that builds like exercise is given its
/// leading class rather than `unclassified`; one that settles like a seated stress protocol is not.
@Suite struct SessionClassifierTests {
    /// A graded bike test as an under-reading wrist sees it: HR never passes 30 % HRR, no bouts.
    static func lowReadingGradedTest(climb: Double, rise: Double = 0.2) -> ClassFeatures {
        ClassFeatures(activeSeconds: 1500, meanReserveFraction: 0.26, oscillation: 0.02, vigorousFraction: 0, highFraction: 0,
                      sustainedPeak: 0.3, bouts: 0, boutsPerTenMinutes: 0, meanBoutAmplitude: 0, meanBoutPeak: 0, meanBoutTrough: 0,
                      highPeakBoutFraction: 0, meanWorkSeconds: 0, meanClimbSeconds: 0, meanRestSeconds: 0,
                      risingFraction: 0.6, periodVariation: 1, meanPeriodSeconds: 0, climb: climb, climbRise: rise)
    }

    @Test func aClimbingTrendIsEnduranceTrainingWhateverHRmaxSays() {
        let climbing = SessionClassifier.score(Self.lowReadingGradedTest(climb: 0.85))
        #expect(climbing.endurance > 0.9)
        let flat = SessionClassifier.score(Self.lowReadingGradedTest(climb: 0))
        #expect(flat.endurance < 0.3)
        // As steady but small (the drift of a walk): no training shown.
        let drift = SessionClassifier.score(Self.lowReadingGradedTest(climb: 0.85, rise: 0.05))
        #expect(drift.endurance < 0.3)
        let factors = SessionClassifier.factors(Self.lowReadingGradedTest(climb: 0.85))
        #expect(factors.training == 1 && factors.held == 1)
    }

    /// A brisk 10-min walk: held, calm and continuous like a run, but light (35 % HRR).
    static func walk(seconds: Double, peak: Double = 0.36) -> ClassFeatures {
        ClassFeatures(activeSeconds: seconds, meanReserveFraction: 0.34, oscillation: 0.03, vigorousFraction: 0, highFraction: 0,
                      sustainedPeak: peak, bouts: 0, boutsPerTenMinutes: 0, meanBoutAmplitude: 0, meanBoutPeak: 0, meanBoutTrough: 0,
                      highPeakBoutFraction: 0, meanWorkSeconds: 0, meanClimbSeconds: 0, meanRestSeconds: 0,
                      risingFraction: 0.65, periodVariation: 1, meanPeriodSeconds: 0)
    }

    @Test func aShortLightSessionIsNoWorkoutButALongOrModerateOneIs() {
        // As a whole session the walk is light activity, not endurance training …
        #expect(SessionClassifier.score(Self.walk(seconds: 600), wholeSession: true).best.1 < EngineConstants().minimumConfidence)
        #expect(SessionClassifier.factors(Self.walk(seconds: 600), wholeSession: true).substantial == 0)
        // … as a window of a longer session it is judged like any other stretch …
        #expect(SessionClassifier.score(Self.walk(seconds: 600)).endurance > 0.5)
        // … and held for half an hour, or at moderate intensity (40 % HRR and more), it is training.
        #expect(SessionClassifier.score(Self.walk(seconds: 1800), wholeSession: true).endurance > 0.5)
        #expect(SessionClassifier.score(Self.walk(seconds: 600, peak: 0.45), wholeSession: true).endurance > 0.5)
    }

    /// A light strength session of 22 minutes as a watch recording "smart" sees it (the shape of
    /// fit-parser's real `user_metrics.fit`): four bouts and eight small ones at a rest timer's rhythm, peaking
    /// near a third of HRR, which leaves every class score below the threshold; with `sets`
    /// repeats (bouts and small bouts alike) it is a few sprints on a wrist that reads low.
    static func shortLightSession(sets: Double) -> ClassFeatures {
        var f = ClassFeatures(activeSeconds: 1350, meanReserveFraction: 0.24, oscillation: 0.04, vigorousFraction: 0, highFraction: 0,
                              sustainedPeak: 0.31, bouts: min(sets, 4), boutsPerTenMinutes: min(sets, 4) * 600 / 1350,
                              meanBoutAmplitude: 0.18, meanBoutPeak: 0.35, meanBoutTrough: 0.17, highPeakBoutFraction: 0,
                              meanWorkSeconds: 75, meanClimbSeconds: 45, meanRestSeconds: 110, risingFraction: 0.5,
                              periodVariation: 0.3, meanPeriodSeconds: 300, climb: -0.1, climbRise: -0.02)
        f.smallBouts = sets
        f.smallBoutsPerTenMinutes = sets * 600 / 1350
        f.smallPeriodVariation = 0.28
        f.meanSmallBoutPeak = 0.33
        return f
    }

    @Test func belowTheThresholdALongSetSeriesLeansToLifting() {
        let light = Self.shortLightSession(sets: 8)
        let scores = SessionClassifier.score(light, wholeSession: true)
        #expect(scores.best.0 == .resistance && scores.best.1 < 0.5)
        // It does not climb like exercise, but its sets are what a seated stress protocol lacks.
        #expect(SessionClassifier.basis(of: scores, features: light, minimumConfidence: 0.5) == .lean)
        // Four rises, however rhythmic, are a few sprints as much as sets: abstained.
        let few = Self.shortLightSession(sets: 4)
        let fewScores = SessionClassifier.score(few, wholeSession: true)
        #expect(fewScores.best.0 == .resistance)
        #expect(SessionClassifier.basis(of: fewScores, features: few, minimumConfidence: 0.5) == .abstained)
        // The set series gives a lean only to lifting: an endurance lead still needs a climb.
        let enduranceLead = ClassScores(resistance: 0.02, endurance: 0.2, hiit: 0)
        #expect(SessionClassifier.basis(of: enduranceLead, features: light, minimumConfidence: 0.5) == .abstained)
    }

    @Test func belowTheThresholdASessionThatBuildsLeansToItsClearLeader() {
        let f = Self.lowReadingGradedTest(climb: 0.6)
        let weak = ClassScores(resistance: 0, endurance: 0.3, hiit: 0.05)
        #expect(SessionClassifier.basis(of: weak, features: f, minimumConfidence: 0.5) == .lean)
        // A stretch that settles (a seated stress protocol) abstains with the same scores …
        #expect(SessionClassifier.basis(of: weak, features: Self.lowReadingGradedTest(climb: -0.3, rise: -0.1), minimumConfidence: 0.5) == .abstained)
        // … as does a walk whose steady drift is small.
        #expect(SessionClassifier.basis(of: weak, features: Self.lowReadingGradedTest(climb: 0.8, rise: 0.05), minimumConfidence: 0.5) == .abstained)
        // … and so does one whose two best classes are close, or whose best is negligible.
        let close = ClassScores(resistance: 0, endurance: 0.3, hiit: 0.25)
        #expect(SessionClassifier.basis(of: close, features: f, minimumConfidence: 0.5) == .abstained)
        let negligible = ClassScores(resistance: 0, endurance: 0.02, hiit: 0)
        #expect(SessionClassifier.basis(of: negligible, features: f, minimumConfidence: 0.5) == .abstained)
        #expect(SessionClassifier.basis(of: ClassScores(resistance: 0, endurance: 0.7, hiit: 0.6), features: f,
                                        minimumConfidence: 0.5) == .confident)
    }
    static func decision(_ c: SessionClass, _ confidence: Double) -> ClassDecision {
        ClassDecision(sessionClass: c, confidence: confidence, scores: ClassScores(resistance: 0, endurance: 0, hiit: 0),
                      features: lowReadingGradedTest(climb: 0), basis: c == .unclassified ? .abstained : .confident)
    }

    @Test func theLiveLabelIsTheMoreCertainOfTheSessionAndItsLastHalfHour() {
        // A long ride (endurance 0.95 so far) whose last half hour held a few surges (HIIT 0.7).
        #expect(SessionClassifier.live(session: Self.decision(.endurance, 0.95), window: Self.decision(.hiit, 0.7)).sessionClass == .endurance)
        // Sets after a run: the window is surer than the mixed whole.
        #expect(SessionClassifier.live(session: Self.decision(.endurance, 0.6), window: Self.decision(.resistance, 1)).sessionClass == .resistance)
        // An unsure view never labels over a sure one.
        #expect(SessionClassifier.live(session: Self.decision(.unclassified, 0.3), window: Self.decision(.hiit, 0.6)).sessionClass == .hiit)
        #expect(SessionClassifier.live(session: Self.decision(.endurance, 0.6), window: Self.decision(.unclassified, 0.45)).sessionClass == .endurance)
    }
}
