/// Turns the structure of a stretch of heart rate into a class: resistance, endurance, HIIT, or
/// unclassified (PHYSIOLOGY.md, Classifier).
///
/// What heart rate shows is structure: endurance settles (or ramps) and stays, with small swings
/// around its trend; HIIT makes a few large oscillations whose peaks reach high and whose
/// recoveries drop far; resistance makes many moderate oscillations (sets) separated by rests,
/// with peaks usually below ~85 % HRmax. Each class gets a score in [0, 1] from soft ramps over
/// the features (all ramps are heuristics, (H)); the best score is the confidence, and below
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

    /// The class scores of a feature set (H). Every threshold is a fraction of heart-rate
    /// reserve (x) unless named otherwise.
    public static func score(_ f: ClassFeatures) -> ClassScores {
        let hasBouts = f.bouts > 0
        // Evidence of training at all: a sustained 2-min intensity well above rest.
        let training = ramp(f.sustainedPeak, 0.30, 0.42)
        // HIIT: large swings (around the 2-min trend, or bout amplitudes) whose recoveries drop
        // low and whose peaks reach high.
        let swing = max(ramp(f.oscillation, 0.09, 0.13), ramp(f.meanBoutAmplitude, 0.26, 0.36) * ramp(f.bouts, 1, 2))
        let deep = hasBouts ? 1 - ramp(f.meanBoutTrough, 0.42, 0.55) : 1
        let reach = hasBouts ? ramp(f.meanBoutPeak, 0.45, 0.6) : ramp(f.meanReserveFraction, 0.45, 0.6)
        let hiit = training * swing * deep * reach * ramp(f.bouts, 0.5, 1.5)
        // Resistance: many moderate oscillations (sets) with peaks below ~65–75 % HRR.
        let sets = ramp(f.bouts, 2.5, 4) * ramp(f.boutsPerTenMinutes, 1.2, 2.0)
        let moderate = 1 - ramp(f.meanBoutAmplitude, 0.28, 0.36)
        let lowPeaks = 1 - ramp(f.meanBoutPeak, 0.62, 0.75)
        // Lifting rarely holds a high 2-min intensity: many bouts reaching ~45 % HRR count as
        // training evidence too.
        let lifting = max(training, ramp(f.meanBoutPeak, 0.4, 0.5) * ramp(f.bouts, 4, 8))
        let resistance = lifting * sets * moderate * lowPeaks * (1 - ramp(f.oscillation, 0.11, 0.15))
        // Endurance: intensity held, and either little swing around the trend or swings that
        // never leave the working zone (hills, surges: troughs stay high).
        let calm = 1 - ramp(f.oscillation, 0.09, 0.12)
        let heldHigh = hasBouts ? ramp(f.meanBoutTrough, 0.42, 0.55) : 0
        let held = ramp(f.meanReserveFraction, 0.22, 0.35)
        let endurance = training * held * max(calm, heldHigh) * (1 - hiit) * (1 - resistance)
        return ClassScores(resistance: resistance, endurance: endurance, hiit: hiit)
    }

    /// 0 below `lo`, 1 above `hi`, linear between.
    static func ramp(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        if hi <= lo { return v >= hi ? 1 : 0 }
        return min(max((v - lo) / (hi - lo), 0), 1)
    }
}
