/// The engine's tunable constants. Every value marked (H) is our heuristic, not a published
/// figure; the summary JSON lists them under `heuristics` so a reader knows what was assumed.
public struct EngineConstants: Sendable, Equatable {
    // MARK: Session detection (H)

    /// Fraction of heart-rate reserve above which the person counts as active (H).
    public var activeReserveFraction = 0.25
    /// Active time needed (within one candidate, pauses allowed) before a session is confirmed (H).
    public var startActiveSeconds = 300.0
    /// Continuous rest that cancels a candidate before it is confirmed (H).
    public var candidatePauseSeconds = 180.0
    /// Interval sessions confirm by their bouts: a candidate holding this many work bouts
    /// (count) … (H)
    public var intervalConfirmBouts = 2.0
    /// … with at least this much active time is a session (H) …
    public var intervalConfirmActiveSeconds = 120.0
    /// … and a candidate that holds a bout waits this long through a rest before it is
    /// cancelled: a full interval recovery (sprint protocols rest 4 minutes) (H).
    public var intervalPauseSeconds = 300.0
    /// Continuous rest that ends a session (H).
    public var endRestSeconds = 600.0
    /// A gap in the data that ends a session (H). Shorter disconnects do not split a session.
    public var endGapSeconds = 600.0
    /// Longest interval between two samples that is integrated as it is (s) (H). Watches that
    /// record "smart" (on change) leave 2–10 s between samples of a steady effort; counting those
    /// intervals short would weight the changes over the steady parts.
    public var maximumSampleIntervalSeconds = 10.0
    /// A longer gap (a drop-out, an auto-pause) counts only this much (s): what the heart did in it
    /// is unknown (H).
    public var gapStepSeconds = 5.0

    // MARK: Smoothing

    /// Fast HR average for bouts and activity (s).
    public var fastTimeConstant = 6.0
    /// One-minute HR average (resting HR search) (s).
    public var minuteTimeConstant = 60.0
    /// Trend HR average: oscillation is measured around it (s).
    public var slowTimeConstant = 120.0
    /// Memory of the windowed structure behind segments (s) (H).
    public var segmentMemorySeconds = 1800.0

    // MARK: Bouts (PHYSIOLOGY.md, Classifier)

    /// Rise from the trough, in HRR, that starts a bout.
    public var boutRiseFraction = 0.15
    /// Fall from the peak, in HRR, that ends a bout.
    public var boutFallFraction = 0.07
    /// A first rise longer than this is the warm-up ramp, not a bout (H).
    public var warmUpRampSeconds = 300.0
    /// Small bouts (`SmallBoutSeries`, the sets of a light strength session): rise from the
    /// trough and fall from the peak, in HRR, about half the bout thresholds (H) …
    public var smallBoutRiseFraction = 0.08
    public var smallBoutFallFraction = 0.04
    /// … and a rise longer than this (s) is a climb, not a set (H).
    public var smallBoutMaximumWorkSeconds = 150.0

    // MARK: Classifier (H)

    /// Peak HR fraction of HRmax that counts as a high (HIIT-like) peak.
    public var highPeakFraction = 0.85
    /// Confidence below which the class is reported as unclassified (H).
    public var minimumConfidence = 0.5

    // MARK: HRV

    /// HRV window (s of beat time): RMSSD, SDNN, DFA α1 (PHYSIOLOGY.md: 2-min window).
    public var hrvWindowSeconds = 120.0
    /// α1 is reported only when the 2-min artifact percentage is at most this (H; 1 %
    /// uncorrected artifacts can move α1 from 0.8 to 0.6, rejected beats are removed first).
    public var alpha1MaximumArtifactPercent = 5.0
    /// HRV (RMSSD, SDNN, α1) is withheld when more than this percentage of beats repeat the
    /// previous interval exactly (`ArtifactWindow.repeats`): the source re-sends intervals and
    /// the series is not beat to beat (H; the real straps here repeat 3–9 % of intervals, at
    /// most 14 % in 95 % of 2-min windows of a Polar H10; two Garmin Edge recordings 72–85 %).
    public var hrvMaximumRepeatedPercent = 50.0
    /// A pause in samples longer than this breaks the beat series (HRV windows restart) (s).
    public var beatSeriesBreakSeconds = 10.0
    /// Heart rates outside this range are rejected and counted (bpm).
    public var plausibleHeartRate: ClosedRange<Double> = 25...240

    /// Time constant of the EPOC-like acute load (s): 20 min (H).
    public static let acuteLoadTimeConstant = 20 * 60.0

    /// The defaults.
    public init() {}
}
