/// Every threshold of `SessionClassifier.score`, in one place. Each is a soft ramp: 0 at or below
/// `lo`, 1 at or above `hi`, linear between. Values are fractions of heart-rate reserve (HRR)
/// unless named otherwise. All are heuristics of this product (H): set by hand from the
/// structure of labelled sessions (PHYSIOLOGY.md, Classifier), checked leave-one-source-out by
/// `scripts/classifier_loso.py`, which reads them from `Config/classifier_thresholds.json`
/// (written from these values by `ingestctl classifier-thresholds`, and tested to be equal).
public struct ClassifierThresholds: Sendable, Equatable, Codable {
    /// A soft threshold: 0 at `lo`, 1 at `hi`.
    public struct Ramp: Sendable, Equatable, Codable {
        public var lo: Double
        public var hi: Double
        public init(_ lo: Double, _ hi: Double) {
            self.lo = lo
            self.hi = hi
        }

        /// 0 below `lo`, 1 above `hi`, linear between (a step at `hi` when `hi <= lo`).
        public func callAsFunction(_ v: Double) -> Double {
            if hi <= lo { return v >= hi ? 1 : 0 }
            return min(max((v - lo) / (hi - lo), 0), 1)
        }
    }

    /// Training at all: the highest 2-min mean intensity (H).
    public var training: Ramp
    /// HIIT swing: oscillation around the 2-min trend (H).
    public var hiitOscillation: Ramp
    /// HIIT swing: mean bout amplitude (H), with at least `hiitSwingBouts` bouts (count).
    public var hiitBoutAmplitude: Ramp
    public var hiitSwingBouts: Ramp
    /// HIIT recoveries drop low: 1 − ramp of the mean bout trough (H).
    public var hiitTrough: Ramp
    /// HIIT peaks reach high: mean bout peak (or mean intensity without bouts) (H).
    public var hiitReach: Ramp
    /// HIIT needs a bout (count) (H).
    public var hiitBouts: Ramp
    /// Resistance sets: bouts (count) and bouts per 10 minutes (H).
    public var resistanceBouts: Ramp
    public var resistanceBoutRate: Ramp
    /// Resistance bouts are moderate: 1 − ramp of the mean bout amplitude (H).
    public var resistanceAmplitude: Ramp
    /// Resistance peaks stay low: 1 − ramp of the mean bout peak (H).
    public var resistancePeak: Ramp
    /// Lifting's own training evidence: bouts reaching this peak (H), this many (count) (H).
    public var liftingPeak: Ramp
    public var liftingBouts: Ramp
    /// Resistance swings little around the trend: 1 − ramp of the oscillation (H).
    public var resistanceOscillation: Ramp
    /// Endurance is calm around its trend: 1 − ramp of the oscillation (H).
    public var enduranceCalm: Ramp
    /// Endurance surges keep their troughs in the working zone: mean bout trough (H).
    public var enduranceTrough: Ramp
    /// Endurance holds intensity: mean intensity over the session (H).
    public var enduranceHeld: Ramp

    /// The values the engine ships with (H).
    public static let shipped = ClassifierThresholds(
        training: Ramp(0.30, 0.42),
        hiitOscillation: Ramp(0.09, 0.13), hiitBoutAmplitude: Ramp(0.26, 0.36), hiitSwingBouts: Ramp(1, 2),
        hiitTrough: Ramp(0.42, 0.55), hiitReach: Ramp(0.45, 0.6), hiitBouts: Ramp(0.5, 1.5),
        resistanceBouts: Ramp(2.5, 4), resistanceBoutRate: Ramp(1.2, 2.0), resistanceAmplitude: Ramp(0.28, 0.36),
        resistancePeak: Ramp(0.62, 0.75), liftingPeak: Ramp(0.4, 0.5), liftingBouts: Ramp(4, 8),
        resistanceOscillation: Ramp(0.11, 0.15),
        enduranceCalm: Ramp(0.09, 0.12), enduranceTrough: Ramp(0.42, 0.55), enduranceHeld: Ramp(0.22, 0.35))

    public init(training: Ramp, hiitOscillation: Ramp, hiitBoutAmplitude: Ramp, hiitSwingBouts: Ramp, hiitTrough: Ramp,
                hiitReach: Ramp, hiitBouts: Ramp, resistanceBouts: Ramp, resistanceBoutRate: Ramp, resistanceAmplitude: Ramp,
                resistancePeak: Ramp, liftingPeak: Ramp, liftingBouts: Ramp, resistanceOscillation: Ramp,
                enduranceCalm: Ramp, enduranceTrough: Ramp, enduranceHeld: Ramp) {
        self.training = training
        self.hiitOscillation = hiitOscillation
        self.hiitBoutAmplitude = hiitBoutAmplitude
        self.hiitSwingBouts = hiitSwingBouts
        self.hiitTrough = hiitTrough
        self.hiitReach = hiitReach
        self.hiitBouts = hiitBouts
        self.resistanceBouts = resistanceBouts
        self.resistanceBoutRate = resistanceBoutRate
        self.resistanceAmplitude = resistanceAmplitude
        self.resistancePeak = resistancePeak
        self.liftingPeak = liftingPeak
        self.liftingBouts = liftingBouts
        self.resistanceOscillation = resistanceOscillation
        self.enduranceCalm = enduranceCalm
        self.enduranceTrough = enduranceTrough
        self.enduranceHeld = enduranceHeld
    }
}
