/// Turns the structure of a stretch of heart rate into a class: resistance, endurance, HIIT, or
/// unclassified (PHYSIOLOGY.md, Classifier).
///
/// What heart rate shows is structure: endurance settles (or ramps) and stays, with small swings
/// around its trend; HIIT makes a few large oscillations whose peaks reach high and whose
/// recoveries drop far; resistance makes many moderate oscillations (sets) separated by rests,
/// with peaks usually below ~85 % HRmax. Each class gets a score in [0, 1] from soft ramps over
/// the features (every ramp is a named `ClassifierThresholds` value, a heuristic (H)); the best score is the confidence, and below
/// `minimumConfidence` the answer is `unclassified`. A stretch that never reached a sustained
/// training intensity scores low for every class.
public enum SessionClassifier {
    /// Classifies from structure stats.
    public static func classify(_ stats: StructureStats, constants: EngineConstants) -> ClassDecision {
        let f = stats.features
        let scores = score(f)
        let (bestClass, bestScore) = scores.best
        let cls = bestScore >= constants.minimumConfidence ? bestClass : .unclassified
        return ClassDecision(sessionClass: cls, confidence: bestScore, scores: scores, features: f)
    }

    /// The class scores of a feature set (H); every threshold is one of `thresholds`.
    public static func score(_ f: ClassFeatures, thresholds t: ClassifierThresholds = .shipped) -> ClassScores {
        let hasBouts = f.bouts > 0
        // Evidence of training at all: a sustained 2-min intensity well above rest.
        let training = t.training(f.sustainedPeak)
        // HIIT: large swings (around the 2-min trend, or bout amplitudes) whose recoveries drop
        // low and whose peaks reach high.
        let swing = max(t.hiitOscillation(f.oscillation), t.hiitBoutAmplitude(f.meanBoutAmplitude) * t.hiitSwingBouts(f.bouts))
        let deep = hasBouts ? 1 - t.hiitTrough(f.meanBoutTrough) : 1
        let reach = hasBouts ? t.hiitReach(f.meanBoutPeak) : t.hiitReach(f.meanReserveFraction)
        let hiit = training * swing * deep * reach * t.hiitBouts(f.bouts)
        // Resistance: many moderate oscillations (sets) with peaks below ~65–75 % HRR.
        let sets = t.resistanceBouts(f.bouts) * t.resistanceBoutRate(f.boutsPerTenMinutes)
        let moderate = 1 - t.resistanceAmplitude(f.meanBoutAmplitude)
        let lowPeaks = 1 - t.resistancePeak(f.meanBoutPeak)
        // Lifting rarely holds a high 2-min intensity: many bouts reaching ~45 % HRR count as
        // training evidence too.
        let lifting = max(training, t.liftingPeak(f.meanBoutPeak) * t.liftingBouts(f.bouts))
        let resistance = lifting * sets * moderate * lowPeaks * (1 - t.resistanceOscillation(f.oscillation))
        // Endurance: intensity held, and either little swing around the trend or swings that
        // never leave the working zone (hills, surges: troughs stay high).
        let calm = 1 - t.enduranceCalm(f.oscillation)
        let heldHigh = hasBouts ? t.enduranceTrough(f.meanBoutTrough) : 0
        let held = t.enduranceHeld(f.meanReserveFraction)
        let endurance = training * held * max(calm, heldHigh) * (1 - hiit) * (1 - resistance)
        return ClassScores(resistance: resistance, endurance: endurance, hiit: hiit)
    }
}
