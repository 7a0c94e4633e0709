/// Turns the structure of a stretch of heart rate into a class: resistance, endurance, HIIT, or
/// unclassified (PHYSIOLOGY.md, Classifier).
///
/// What heart rate shows is structure: endurance settles (or ramps) and stays, with small swings
/// around its trend; HIIT makes a few large oscillations of interval length that repeat within
/// minutes, whose recoveries give back much of each rise; resistance makes many moderate
/// oscillations (sets) separated by rests, with peaks usually below ~75 % HRR. Each class score
/// is a product of factors in [0, 1] (`ClassFactors`), each a soft ramp over the features whose
/// ends are named `ClassifierThresholds` values, heuristics (H). The best score is the
/// confidence, and below `minimumConfidence` the answer is `unclassified`. A stretch that never
/// reached a training intensity, nor repeated large bouts, scores low for every class.
///
/// Where a person's HRmax is only predicted (or a wrist sensor under-reads), absolute
/// intensities mislead, so HIIT and lifting can also show training by their bouts, and HIIT's
/// swing can be relative: recoveries that give back a large share of each rise.
public enum SessionClassifier {
    /// Classifies from structure stats: of a whole session when `wholeSession` (then a 2-min
    /// effort held above the bouts' peaks rules out lifting; a window that straddles a run and
    /// a lift holds the run above the sets and is still half lifting), else of a window.
    public static func classify(_ stats: StructureStats, constants: EngineConstants, wholeSession: Bool = false) -> ClassDecision {
        let f = stats.features
        let scores = score(f, wholeSession: wholeSession)
        let (bestClass, bestScore) = scores.best
        let basis = basis(of: scores, features: f, minimumConfidence: constants.minimumConfidence)
        return ClassDecision(sessionClass: basis == .abstained ? .unclassified : bestClass, confidence: bestScore,
                             scores: scores, features: f, basis: basis)
    }

    /// The live label from two views of a running session: all of it so far (what its final
    /// class will mostly be) and its decaying 30-min window (what it is doing now: the lift
    /// after the run). The more certain one labels it, so a few surges on a long ride do not
    /// flip the label to HIIT, while a run of sets after a run does turn it to resistance (H).
    public static func live(session: ClassDecision, window: ClassDecision) -> ClassDecision {
        guard window.sessionClass != .unclassified else { return session }
        return session.sessionClass == .unclassified || window.confidence > session.confidence ? window : session
    }

    /// How the best class of `scores` stands: confident at or above `minimumConfidence`; else a
    /// lean when the stretch shows it was exercise — it builds like exercise (a steady and large
    /// climb), or, when lifting leads, it is a series of sets (the `sets` factor, `leanSets`) long
    /// enough not to be a few sprints (`leanSetSeries`) —, the best score is not negligible and it
    /// clearly leads the runner-up (the product of those ramps, `leanScore` and `leanMargin`
    /// reaches one half); else abstained (H). O(1), no allocation.
    public static func basis(of scores: ClassScores, features f: ClassFeatures, minimumConfidence: Double,
                             thresholds t: ClassifierThresholds = .shipped) -> ClassDecision.Basis {
        let (bestClass, bestScore) = scores.best
        if bestScore >= minimumConfidence { return .confident }
        // The middle of the three scores (no array: this runs in the per-minute check).
        let r = scores.resistance, e = scores.endurance, h = scores.hiit
        let runnerUp = r + e + h - max(r, max(e, h)) - min(r, min(e, h))
        let lead = runnerUp > 0 ? t.leanMargin(bestScore / runnerUp) : 1
        // A seated stress protocol settles instead of climbing, and keeps no rest timer's rhythm.
        let builds = t.leanClimb(f.climb) * t.climbRise(f.climbRise)
        let sets = bestClass == .resistance
            ? t.leanSets(factors(f, thresholds: t).sets) * t.leanSetSeries(max(f.bouts, f.smallBouts)) : 0
        return max(builds, sets) * t.leanScore(bestScore) * lead >= 0.5 ? .lean : .abstained
    }

    /// The class scores of a feature set (H); every threshold is one of `thresholds`.
    public static func score(_ f: ClassFeatures, thresholds t: ClassifierThresholds = .shipped, wholeSession: Bool = false) -> ClassScores {
        factors(f, thresholds: t, wholeSession: wholeSession).scores
    }

    /// The factors behind the scores of a feature set (H). O(1), no allocation.
    public static func factors(_ f: ClassFeatures, thresholds t: ClassifierThresholds = .shipped,
                               wholeSession: Bool = false) -> ClassFactors {
        let hasBouts = f.bouts > 0
        // Evidence of training at all: a sustained 2-min intensity well above rest.
        let training = t.training(f.sustainedPeak)
        // A trend that climbs through the stretch is training too, whatever HRmax says.
        let climbs = t.enduranceClimb(f.climb) * t.climbRise(f.climbRise)
        // How much of each rise the recoveries give back (amplitude over peak, both in HRR).
        let giveBack = f.meanBoutPeak > 0 ? f.meanBoutAmplitude / f.meanBoutPeak : 0
        // A series of bouts that repeats like a clock is a planned interval session: its
        // recoveries may stay higher (jogged, spun) and still give back a fair share of each rise.
        let regular = t.hiitRegularBouts(f.bouts) * (1 - t.hiitRegularity(f.periodVariation))
        // A regular series whose peaks come within minutes (track repeats, 45/15 blocks) is
        // intervals even when each rise is small and the jogs between keep HR up.
        let short = f.meanPeriodSeconds > 0 ? regular * (1 - t.hiitShortPeriod(f.meanPeriodSeconds)) : 0
        // Nested two-argument `max`: the variadic one builds an array, an allocation per check.
        let swing = max(max(t.hiitOscillation(f.oscillation),
                            t.hiitBoutAmplitude(f.meanBoutAmplitude) * t.hiitSwingBouts(f.bouts)),
                        max(t.hiitRelativeDepth(giveBack) * t.hiitDepthFloor(f.meanBoutAmplitude) * t.hiitSwingBouts(f.bouts),
                            max(regular * t.hiitRegularGiveBack(giveBack) * t.hiitDepthFloor(f.meanBoutAmplitude),
                                short * t.hiitShortGiveBack(giveBack) * t.hiitDepthFloor(f.meanBoutAmplitude))))
        // Repeated bouts that come back to near the highest HR with large swings are intervals
        // even when short breaks keep the troughs high (45/15 blocks): a hill or a surge on a
        // run does not return to the top again and again.
        let nearMax = t.hiitNearMaxPeak(f.meanBoutPeak) * t.hiitNearMaxSwing(f.oscillation) * t.hiitRegularBouts(f.bouts)
        // A long series of bouts with moderate peaks is sets (what vetoes HIIT below), however
        // large each rise: heavy compound lifts swing HR as much as intervals do.
        let setSeries = t.hiitManyBouts(f.bouts) * (1 - t.resistancePeak(f.meanBoutPeak))
        // Lifting rarely holds a high 2-min intensity: many bouts reaching ~35 % HRR count as
        // training evidence too.
        // A light session's sets rise less than a bout: a long, rhythmic series of small bouts
        // with low peaks is sets too, and training when the sets reach ~30 % HRR.
        let lightSets = t.lightSetBouts(f.smallBouts) * t.lightSetRate(f.smallBoutsPerTenMinutes)
            * (1 - t.lightSetIrregularity(f.smallPeriodVariation)) * (1 - t.lightSetPeak(f.meanSmallBoutPeak))
        // Heavy sets rest for minutes, and moving to the next exercise adds more, so a long
        // series of them can come more seldom than sets usually do; but each rise climbs only
        // as long as a set lasts, where the hills and restarts of a ride climb for minutes.
        let longRestSets = t.longRestSetBouts(f.bouts) * t.longRestSetRate(f.boutsPerTenMinutes)
            * (1 - t.setClimbSeconds(f.meanClimbSeconds))
        // Sets as they usually come: several, often, and none climbing for longer than a set.
        let usualSets = t.resistanceBouts(f.bouts) * t.resistanceBoutRate(f.boutsPerTenMinutes)
            * (1 - t.resistanceClimbSeconds(f.meanClimbSeconds))
        let lifting = max(max(training, t.liftingPeak(f.meanBoutPeak) * t.liftingBouts(f.bouts)),
                          t.liftingPeak(f.meanSmallBoutPeak) * lightSets)
        return ClassFactors(
            hiitEvidence: max(training, t.hiitEvidenceAmplitude(f.meanBoutAmplitude) * t.hiitEvidenceBouts(f.bouts)
                                  * (1 - t.hiitEvidenceMaxBouts(f.bouts))),
            hiitSwing: swing,
            hiitDeep: hasBouts ? max(max(max((1 - t.hiitTrough(f.meanBoutTrough)) * (1 - t.hiitTroughBouts(f.bouts)),
                                             t.hiitDeepAmplitude(f.meanBoutAmplitude)), nearMax),
                                     max(regular * (1 - t.hiitRegularTrough(f.meanBoutTrough)),
                                         short * (1 - t.hiitShortTrough(f.meanBoutTrough)))) : 1,
            hiitReach: hasBouts ? t.hiitReach(f.meanBoutPeak) : t.hiitReach(f.meanReserveFraction),
            hiitBouts: t.hiitBouts(f.bouts),
            // A series that repeats like a clock and reaches ≥ 85 % HRmax is intervals even when
            // each rise begins minutes after its trough (a jogged recovery held near it): its
            // climbs are what is timed.
            hiitQuick: hasBouts ? max(1 - t.hiitWorkSeconds(f.meanWorkSeconds),
                                      regular * t.hiitJoggedPeaks(f.highPeakBoutFraction) * (1 - t.hiitWorkSeconds(f.meanClimbSeconds))) : 1,
            hiitRepeats: f.meanRestSeconds > 0 ? 1 - t.hiitRestSeconds(f.meanRestSeconds) : 1,
            hiitNotSets: 1 - setSeries,
            // Blocks of short intervals (45/15) space their peaks unevenly, short within a block and
            // long between blocks; a series that returns to near the top each time is planned anyway.
            hiitPlanned: max(1 - t.hiitIrregularBouts(f.bouts) * t.hiitIrregularity(f.periodVariation), nearMax),
            lifting: lifting,
            sets: max(max(usualSets, lightSets), longRestSets),
            moderate: max(1 - t.resistanceAmplitude(f.meanBoutAmplitude), setSeries),
            lowPeaks: 1 - t.resistancePeak(f.meanBoutPeak),
            steady: max(1 - t.resistanceOscillation(f.oscillation), setSeries),
            paced: 1 - t.hiitIrregularBouts(f.bouts) * t.resistanceIrregularity(f.periodVariation),
            notHeldAbove: wholeSession && hasBouts ? 1 - t.resistanceHeldAbove(f.sustainedPeak - f.meanBoutPeak) : 1,
            training: max(training, climbs),
            held: max(t.enduranceHeld(f.meanReserveFraction), climbs),
            // Without a single bout the swings around the trend are its transitions (warm-up, the
            // finish), not intervals: a steady race-pace run is calm however hard it is.
            calm: hasBouts ? max(1 - t.enduranceCalm(f.oscillation), t.enduranceTrough(f.meanBoutTrough)) : 1,
            continuous: t.enduranceRising(f.risingFraction),
            // A whole session that stayed light and short (a walk, a commute) is no workout; a
            // window is part of a longer session and is judged by its neighbours.
            substantial: wholeSession ? max(t.enduranceModerate(f.sustainedPeak), t.enduranceLasting(f.activeSeconds)) : 1)
    }
}
