/// Every threshold of `SessionClassifier.score`, in one place. Each is a soft ramp: 0 at or below
/// `lo`, 1 at or above `hi`, linear between. Values are fractions of heart-rate reserve (HRR)
/// unless named otherwise (counts, seconds, fractions of time). All are heuristics of this product (H): set by hand from the
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
    /// HIIT's own training evidence when the 2-min peak is low (30-s sprints, a wrist that under-reads): bouts of this mean amplitude (H) …
    public var hiitEvidenceAmplitude: Ramp
    /// … and this many (count) (H) …
    public var hiitEvidenceBouts: Ramp
    /// … but not more than this (1 − ramp; count): sprint protocols repeat 3–10 times, a
    /// strength session has a dozen sets or more (H).
    public var hiitEvidenceMaxBouts: Ramp
    /// HIIT swing: oscillation around the lag-free 2-min trend (H).
    public var hiitOscillation: Ramp
    /// HIIT swing: mean bout amplitude (H), with at least `hiitSwingBouts` bouts (count).
    public var hiitBoutAmplitude: Ramp
    public var hiitSwingBouts: Ramp
    /// HIIT swing, relative: recoveries give back this share of each bout's rise above rest (amplitude / peak) (H) …
    public var hiitRelativeDepth: Ramp
    /// … for bouts of at least this amplitude (H).
    public var hiitDepthFloor: Ramp
    /// HIIT as a planned series: this many bouts (count) (H) …
    public var hiitRegularBouts: Ramp
    /// … repeating like a clock: 1 − ramp of the peak-to-peak period's coefficient of variation (H) …
    public var hiitRegularity: Ramp
    /// … whose recoveries give back this share of each rise (H) …
    public var hiitRegularGiveBack: Ramp
    /// … and whose troughs may stay up to this high (jogged or spun recoveries): 1 − ramp (H).
    public var hiitRegularTrough: Ramp
    /// HIIT as a short series (track repeats, 45/15 blocks): a regular series whose peaks come
    /// within minutes — 1 − ramp of the mean peak-to-peak seconds (hills and surges come every
    /// 8–15 min) (H) …
    public var hiitShortPeriod: Ramp
    /// … gives back at least this share of each rise (H) …
    public var hiitShortGiveBack: Ramp
    /// … and its troughs may stay up to this high (jogs between fast 400s): 1 − ramp (H).
    public var hiitShortTrough: Ramp
    /// HIIT recoveries drop low: 1 − ramp of the mean bout trough (H) …
    public var hiitTrough: Ramp
    /// … as evidence for a few repeats only: 1 − ramp of the bout count. A trough in HRR moves
    /// with every error in the predicted HRmax or the rest cap, and a long series of rises with
    /// middling troughs is the hills and stops of a ride; a long interval series shows its
    /// recoveries by amplitude, rhythm or returns to the top instead (PHYSIOLOGY.md: HIIT is a few
    /// to a dozen large oscillations) (H).
    public var hiitTroughBouts: Ramp
    /// HIIT recoveries give back much: a mean bout amplitude this large is an interval's drop,
    /// whatever the trough (Helgerud's 4 × 4 recovers actively at 60–70 % HRmax, a trough near
    /// half of HRR; a hill or a surge on a run drops far less) (H).
    public var hiitDeepAmplitude: Ramp
    /// HIIT near the top: bouts whose peaks come back to near the highest HR (mean bout peak) (H) …
    public var hiitNearMaxPeak: Ramp
    /// … with large swings around the trend (oscillation): blocks of 45/15 or 30/30 whose short
    /// breaks keep the troughs high still swing, and still reach the top every block (H).
    public var hiitNearMaxSwing: Ramp
    /// HIIT is planned: a long series (this many bouts, count) …
    public var hiitIrregularBouts: Ramp
    /// … whose peaks come at irregular times (coefficient of variation of the peak-to-peak
    /// periods) is terrain or traffic, not intervals: 1 − the product of the two ramps (H).
    public var hiitIrregularity: Ramp
    /// HIIT peaks reach high: mean bout peak (or mean intensity without bouts) (H).
    public var hiitReach: Ramp
    /// HIIT needs a bout (count) (H).
    public var hiitBouts: Ramp
    /// HIIT rises are interval-long: 1 − ramp of the mean trough-to-peak seconds; intervals last up to ~6 min (H).
    public var hiitWorkSeconds: Ramp
    /// … unless the series repeats like a clock (`hiitRegularBouts`, `hiitRegularity`) and most
    /// of its bouts reach ≥ 85 % HRmax (PHYSIOLOGY.md: HIIT peaks reach high): this ramp of the
    /// fraction of such bouts; its rises are then timed from their onset, not from the trough,
    /// as a jogged recovery holds HR near the trough for minutes before the next interval (H).
    public var hiitJoggedPeaks: Ramp
    /// HIIT repeats within minutes: 1 − ramp of the mean seconds between bouts (H).
    public var hiitRestSeconds: Ramp
    /// HIIT is a few hard repeats: this many bouts (count) with peaks below `resistancePeak` are
    /// a series of sets instead (H).
    public var hiitManyBouts: Ramp
    /// Resistance sets: bouts (count) and bouts per 10 minutes (H). Sets come every 3–5
    /// minutes (rests of 45–240 s, PHYSIOLOGY.md; the real strength sessions here make 2.1–3.3
    /// per 10 min), rides with stops rise every 5–7 minutes (1.7–1.8): 1.6–2.2.
    public var resistanceBouts: Ramp
    public var resistanceBoutRate: Ramp
    /// … and each of them climbs no longer than a set and the lag after it: 1 − ramp of the
    /// mean climb from onset to peak (seconds). A set lasts 20–70 s; the real strength sessions
    /// here climb 38–55 s on average, rides and mountain-bike rides whose rises come as often
    /// 64–100 s and more (hills and restarts are held for minutes) (H).
    public var resistanceClimbSeconds: Ramp
    /// Resistance bouts are moderate: 1 − ramp of the mean bout amplitude (H).
    public var resistanceAmplitude: Ramp
    /// Resistance peaks stay low: 1 − ramp of the mean bout peak (H).
    public var resistancePeak: Ramp
    /// Lifting's own training evidence: bouts reaching this peak (H), this many (count) (H). A
    /// light session's sets peak near 0.3 HRR (HR 90–110 for most adults), and a short one holds
    /// five sets in 20 minutes.
    public var liftingPeak: Ramp
    public var liftingBouts: Ramp
    /// Light sets, when the bouts miss them (their rises are below the bout threshold): this
    /// many small bouts (count) (H) …
    public var lightSetBouts: Ramp
    /// … this often (per 10 minutes; the real strength sessions here make 3.0–5.0 small bouts per
    /// 10 min, rides 1–4) (H) …
    public var lightSetRate: Ramp
    /// … at a rest timer's rhythm: 1 − ramp of their periods' coefficient of variation (strength
    /// sessions here 0.3–0.65, rides with many small surges 0.65–1.2) (H) …
    public var lightSetIrregularity: Ramp
    /// … and peaking low: 1 − ramp of their mean peak (HRR). Their lifting evidence is
    /// `liftingPeak` of the same mean peak (H).
    public var lightSetPeak: Ramp
    /// Sets with long rests, when they come too seldom for `resistanceBoutRate` (rests of up to
    /// 240 s, PHYSIOLOGY.md, plus the minutes of moving to the next exercise: a set every 4–7
    /// minutes): a long series of bouts (count) (H) …
    public var longRestSetBouts: Ramp
    /// … at least this often (per 10 minutes) (H) …
    public var longRestSetRate: Ramp
    /// … each climbing only as long as a set and the lag after it: 1 − ramp of the mean climb
    /// from onset to peak (seconds). The real strength sessions here climb 38–55 s; the real
    /// rides and runs with as many rises, hills and restarts, 64 s and more (H).
    public var setClimbSeconds: Ramp
    /// Lifting follows a rest timer: a long series (`hiitIrregularBouts`) whose peak-to-peak
    /// periods vary this much (coefficient of variation) is the random bursts of a day — stairs,
    /// errands — not sets: 1 − the product of the two ramps. Strength sessions here vary 0.3–0.7 (H).
    public var resistanceIrregularity: Ramp
    /// Resistance swings little around the trend: 1 − ramp of the oscillation (H).
    public var resistanceOscillation: Ramp
    /// Lifting never holds HR above its sets: 1 − ramp of how far the highest 2-min mean rises
    /// above the mean bout peak. A stop-and-go ride or a run with climbs has bouts like sets but
    /// holds its climbs for minutes above them (H).
    public var resistanceHeldAbove: Ramp
    /// Endurance is calm around its trend: 1 − ramp of the oscillation (H).
    public var enduranceCalm: Ramp
    /// Endurance surges keep their troughs in the working zone: mean bout trough (H).
    public var enduranceTrough: Ramp
    /// Endurance holds intensity: mean intensity over the session (H).
    public var enduranceHeld: Ramp
    /// Endurance is continuous: the fraction of time the 1-min HR rises (intermittent work spends most of it recovering) (H).
    public var enduranceRising: Ramp
    /// A whole session is a workout only when it reached moderate intensity or lasted: the
    /// highest 2-min mean against the start of moderate intensity, 40 % HRR (Garber 2011, ACSM
    /// position stand) … (H for the ramp's width). A 10-min walk at 35 % HRR is light activity.
    public var enduranceModerate: Ramp
    /// … or active time: light work held this long is still endurance (H).
    public var enduranceLasting: Ramp
    /// Endurance intensity without HRmax: a 2-min trend that climbs steadily through the stretch
    /// (correlation with time) counts as training and as held intensity, so a graded test on a
    /// wrist that under-reads, or under an HRmax predicted too high, is still endurance. Seated
    /// stress protocols settle from an anticipatory start (correlation below 0) (H).
    public var enduranceClimb: Ramp
    /// … and only a climb that is large: the trend's straight-line rise over the stretch, in
    /// HRR (the drift of a walk is steady too, but small) (H); used by the lean as well.
    public var climbRise: Ramp
    /// Leaning: below `minimumConfidence` the best class is still reported when the product of
    /// three ramps reaches one half: the stretch's trend builds like exercise (climb; seated
    /// stress settles instead) (H) …
    public var leanClimb: Ramp
    /// … or, when lifting leads, the stretch is a series of sets: its `sets` factor (H) …
    public var leanSets: Ramp
    /// … over a series long enough not to be a few sprints on a wrist that reads low (count of
    /// bouts or small bouts, whichever is more; sprint protocols repeat 3–6 times) (H) …
    public var leanSetSeries: Ramp
    /// … its best score is not negligible (H) …
    public var leanScore: Ramp
    /// … and leads the runner-up's by this ratio (H); otherwise `unclassified`.
    public var leanMargin: Ramp

    /// The values the engine ships with (H).
    public static let shipped = ClassifierThresholds(
        training: Ramp(0.27, 0.39),
        hiitEvidenceAmplitude: Ramp(0.18, 0.25),
        hiitEvidenceBouts: Ramp(1.5, 2.5),
        hiitEvidenceMaxBouts: Ramp(8, 12),
        hiitOscillation: Ramp(0.065, 0.09),
        hiitBoutAmplitude: Ramp(0.26, 0.36),
        hiitSwingBouts: Ramp(1, 2),
        hiitRelativeDepth: Ramp(0.4, 0.55),
        hiitDepthFloor: Ramp(0.15, 0.2),
        hiitRegularBouts: Ramp(2, 3),
        hiitRegularity: Ramp(0.25, 0.35),
        hiitRegularGiveBack: Ramp(0.25, 0.35),
        hiitRegularTrough: Ramp(0.55, 0.65),
        hiitShortPeriod: Ramp(300, 420),
        hiitShortGiveBack: Ramp(0.18, 0.25),
        hiitShortTrough: Ramp(0.65, 0.75),
        hiitTrough: Ramp(0.42, 0.55),
        hiitTroughBouts: Ramp(6, 9),
        hiitDeepAmplitude: Ramp(0.35, 0.45),
        hiitNearMaxPeak: Ramp(0.88, 0.93),
        hiitNearMaxSwing: Ramp(0.085, 0.1),
        hiitIrregularBouts: Ramp(3.5, 5),
        hiitIrregularity: Ramp(0.45, 0.65),
        hiitReach: Ramp(0.35, 0.5),
        hiitBouts: Ramp(0.5, 1.5),
        hiitWorkSeconds: Ramp(420, 600),
        hiitJoggedPeaks: Ramp(0.5, 0.75),
        hiitRestSeconds: Ramp(600, 900),
        hiitManyBouts: Ramp(10, 16),
        resistanceBouts: Ramp(2.5, 4),
        resistanceBoutRate: Ramp(1.6, 2.2),
        resistanceClimbSeconds: Ramp(60, 90),
        resistanceAmplitude: Ramp(0.32, 0.42),
        resistancePeak: Ramp(0.62, 0.75),
        liftingPeak: Ramp(0.25, 0.35),
        liftingBouts: Ramp(3, 6),
        lightSetBouts: Ramp(6, 10),
        lightSetRate: Ramp(2.0, 2.6),
        lightSetIrregularity: Ramp(0.6, 0.8),
        lightSetPeak: Ramp(0.5, 0.6),
        longRestSetBouts: Ramp(6, 10),
        longRestSetRate: Ramp(1.0, 1.4),
        setClimbSeconds: Ramp(45, 60),
        resistanceIrregularity: Ramp(0.8, 1.0),
        resistanceOscillation: Ramp(0.075, 0.105),
        resistanceHeldAbove: Ramp(0.07, 0.12),
        enduranceCalm: Ramp(0.065, 0.085),
        enduranceTrough: Ramp(0.42, 0.55),
        enduranceHeld: Ramp(0.22, 0.35),
        enduranceRising: Ramp(0.4, 0.5),
        enduranceModerate: Ramp(0.37, 0.43),
        enduranceLasting: Ramp(900, 1500),
        enduranceClimb: Ramp(0.3, 0.5),
        climbRise: Ramp(0.08, 0.12),
        leanClimb: Ramp(0.1, 0.3),
        leanSets: Ramp(0.2, 0.4),
        leanSetSeries: Ramp(5, 7),
        leanScore: Ramp(0.05, 0.15),
        leanMargin: Ramp(1.5, 2.5))

    public init(training: Ramp, hiitEvidenceAmplitude: Ramp, hiitEvidenceBouts: Ramp, hiitEvidenceMaxBouts: Ramp, hiitOscillation: Ramp, hiitBoutAmplitude: Ramp, hiitSwingBouts: Ramp, hiitRelativeDepth: Ramp, hiitDepthFloor: Ramp, hiitRegularBouts: Ramp, hiitRegularity: Ramp, hiitRegularGiveBack: Ramp, hiitRegularTrough: Ramp, hiitShortPeriod: Ramp, hiitShortGiveBack: Ramp, hiitShortTrough: Ramp, hiitTrough: Ramp, hiitTroughBouts: Ramp, hiitDeepAmplitude: Ramp, hiitNearMaxPeak: Ramp, hiitNearMaxSwing: Ramp, hiitIrregularBouts: Ramp, hiitIrregularity: Ramp, hiitReach: Ramp, hiitBouts: Ramp, hiitWorkSeconds: Ramp, hiitJoggedPeaks: Ramp, hiitRestSeconds: Ramp, hiitManyBouts: Ramp, resistanceBouts: Ramp, resistanceBoutRate: Ramp, resistanceClimbSeconds: Ramp, resistanceAmplitude: Ramp, resistancePeak: Ramp, liftingPeak: Ramp, liftingBouts: Ramp, lightSetBouts: Ramp, lightSetRate: Ramp, lightSetIrregularity: Ramp, lightSetPeak: Ramp, longRestSetBouts: Ramp, longRestSetRate: Ramp, setClimbSeconds: Ramp, resistanceIrregularity: Ramp, resistanceOscillation: Ramp, resistanceHeldAbove: Ramp, enduranceCalm: Ramp, enduranceTrough: Ramp, enduranceHeld: Ramp, enduranceRising: Ramp, enduranceModerate: Ramp, enduranceLasting: Ramp, enduranceClimb: Ramp, climbRise: Ramp, leanClimb: Ramp, leanSets: Ramp, leanSetSeries: Ramp, leanScore: Ramp, leanMargin: Ramp) {
        self.training = training
        self.hiitEvidenceAmplitude = hiitEvidenceAmplitude
        self.hiitEvidenceBouts = hiitEvidenceBouts
        self.hiitEvidenceMaxBouts = hiitEvidenceMaxBouts
        self.hiitOscillation = hiitOscillation
        self.hiitBoutAmplitude = hiitBoutAmplitude
        self.hiitSwingBouts = hiitSwingBouts
        self.hiitRelativeDepth = hiitRelativeDepth
        self.hiitDepthFloor = hiitDepthFloor
        self.hiitRegularBouts = hiitRegularBouts
        self.hiitRegularity = hiitRegularity
        self.hiitRegularGiveBack = hiitRegularGiveBack
        self.hiitRegularTrough = hiitRegularTrough
        self.hiitShortPeriod = hiitShortPeriod
        self.hiitShortGiveBack = hiitShortGiveBack
        self.hiitShortTrough = hiitShortTrough
        self.hiitTrough = hiitTrough
        self.hiitTroughBouts = hiitTroughBouts
        self.hiitDeepAmplitude = hiitDeepAmplitude
        self.hiitNearMaxPeak = hiitNearMaxPeak
        self.hiitNearMaxSwing = hiitNearMaxSwing
        self.hiitIrregularBouts = hiitIrregularBouts
        self.hiitIrregularity = hiitIrregularity
        self.hiitReach = hiitReach
        self.hiitBouts = hiitBouts
        self.hiitWorkSeconds = hiitWorkSeconds
        self.hiitJoggedPeaks = hiitJoggedPeaks
        self.hiitRestSeconds = hiitRestSeconds
        self.hiitManyBouts = hiitManyBouts
        self.resistanceBouts = resistanceBouts
        self.resistanceBoutRate = resistanceBoutRate
        self.resistanceClimbSeconds = resistanceClimbSeconds
        self.resistanceAmplitude = resistanceAmplitude
        self.resistancePeak = resistancePeak
        self.liftingPeak = liftingPeak
        self.liftingBouts = liftingBouts
        self.lightSetBouts = lightSetBouts
        self.lightSetRate = lightSetRate
        self.lightSetIrregularity = lightSetIrregularity
        self.lightSetPeak = lightSetPeak
        self.longRestSetBouts = longRestSetBouts
        self.longRestSetRate = longRestSetRate
        self.setClimbSeconds = setClimbSeconds
        self.resistanceIrregularity = resistanceIrregularity
        self.resistanceOscillation = resistanceOscillation
        self.resistanceHeldAbove = resistanceHeldAbove
        self.enduranceCalm = enduranceCalm
        self.enduranceTrough = enduranceTrough
        self.enduranceHeld = enduranceHeld
        self.enduranceRising = enduranceRising
        self.enduranceModerate = enduranceModerate
        self.enduranceLasting = enduranceLasting
        self.enduranceClimb = enduranceClimb
        self.climbRise = climbRise
        self.leanClimb = leanClimb
        self.leanSets = leanSets
        self.leanSetSeries = leanSetSeries
        self.leanScore = leanScore
        self.leanMargin = leanMargin
    }
}
