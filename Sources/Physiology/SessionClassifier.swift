/// Turns a session's structure into a class: resistance, endurance, HIIT or unclassified.
///
/// What heart rate shows is structure (PHYSIOLOGY.md, Classifier): endurance settles and
/// stays; HIIT makes a few large oscillations with high peaks; resistance makes many moderate
/// oscillations with rests and peaks usually below ~85 % HRmax. Each class gets a score in
/// [0, 1] from soft ramps over the features; the best score is the confidence, and below
/// `minimumConfidence` the answer is `unclassified`. All ramps are heuristics (H).
public enum SessionClassifier {
    /// Classifies from running features.
    public static func classify(_ f: SessionFeatures, constants: EngineConstants) -> ClassDecision {
        let steady = f.steadyFraction
        let rate = f.boutsPerTenMinutes
        let amplitude = f.meanBoutAmplitude
        let highPeaks = f.highPeakBoutFraction
        let intensity = f.meanReserveFraction
        let bouts = Double(f.boutCount)

        // Oscillation evidence: enough bouts for the session's length.
        let oscillating = ramp(bouts, 1, 3) * ramp(rate, 0.4, 1.2)
        // Large swings with high peaks look like intervals; moderate ones like sets.
        let large = ramp(amplitude, 0.22, 0.35)
        let highReach = ramp(highPeaks, 0.2, 0.6)

        let hiit = oscillating * large * (0.5 + 0.5 * highReach)
        let resistance = oscillating * (1 - large) * (1 - 0.6 * highReach) * ramp(rate, 0.8, 2.0)
        let endurance = (1 - oscillating * max(large, ramp(rate, 0.8, 2.0))) * ramp(steady, 0.45, 0.75)
            * ramp(intensity, 0.15, 0.3)

        let scores = ClassScores(resistance: resistance, endurance: endurance, hiit: hiit)
        let features = ClassFeatures(
            activeSeconds: f.seconds, steadyFraction: steady, bouts: bouts, boutsPerTenMinutes: rate,
            meanBoutAmplitude: amplitude, highPeakBoutFraction: highPeaks, meanWorkSeconds: f.meanWorkSeconds,
            meanRestSeconds: f.meanRestSeconds, meanReserveFraction: intensity, timeAboveHighFraction: f.highFraction)
        let (bestClass, bestScore) = scores.best
        let cls = bestScore >= constants.minimumConfidence ? bestClass : .unclassified
        return ClassDecision(sessionClass: cls, confidence: bestScore, scores: scores, features: features)
    }

    /// 0 below `lo`, 1 above `hi`, linear between.
    static func ramp(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        if hi <= lo { return v >= hi ? 1 : 0 }
        return min(max((v - lo) / (hi - lo), 0), 1)
    }
}
