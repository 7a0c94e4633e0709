/// A stretch of a session with one class.
public struct SessionSegment: Sendable, Equatable {
    /// Unix seconds.
    public var start: Double
    /// Unix seconds.
    public var end: Double
    /// The segment's class.
    public var sessionClass: SessionClass
}

/// Everything the engine knows about a finished (or, for status, running) session.
public struct SessionSummary: Sendable, Equatable {
    /// The session's sequence number within this engine (1, 2, …).
    public var number: Int
    /// Unix seconds when activity began.
    public var start: Double
    /// Unix seconds of the last active sample.
    public var end: Double
    /// The class decision over the whole session.
    public var decision: ClassDecision
    /// Segments with their classes (one when the session kept its character).
    public var segments: [SessionSegment]
    /// Mean and maximum HR (bpm) over the session.
    public var meanHeartRate: Double
    public var maximumHeartRate: Double
    /// Banister and Edwards TRIMP.
    public var banisterTRIMP: Double
    public var edwardsTRIMP: Double
    /// HRmax and HRrest used, and whether they came from defaults.
    public var reference: HeartRateReference
    /// Notes on what was assumed (defaults used), for the output.
    public var assumptions: [String]
    /// RR beats accepted and rejected during the session.
    public var beatsAccepted: Int
    public var beatsRejected: Int
    /// Percent of successive accepted beats equal to the one before (`ArtifactWindow.repeats`;
    /// 0 without RR): a source that re-sends its intervals. Above
    /// `EngineConstants.hrvMaximumRepeatedPercent`, `rmssd` and `sdnn` are nil.
    public var repeatedPercent: Double
    /// RMSSD (ms) over accepted successive beats of the session, nil without RR.
    public var rmssd: Double?
    /// SDNN (ms) over the session's accepted beats, nil without RR.
    public var sdnn: Double?
    /// Mean and minimum of DFA α1 sampled every 5 s on clean 2-min windows; nil without.
    public var alpha1Mean: Double?
    public var alpha1Minimum: Double?
    /// HR (bpm) where the session's α1 crossed 0.75, ≈ the first ventilatory threshold
    /// (`AerobicThresholdEstimate`); nil without a clear crossing.
    public var alpha1ThresholdHeartRate: Double?
    /// Which inputs the session had.
    public var inputs: SessionInputs
    /// Load and recovery.
    public var load: SessionLoad
    /// Stimulus indices of the whole session (PHYSIOLOGY.md), exposure scores with sources.
    public var stimulus: [StimulusIndex]
    /// Stimulus indices per segment, in the order of `segments`.
    public var segmentStimulus: [[StimulusIndex]]
    /// The highest clean 5-s HR and the lowest clean 1-min mean HR the engine had seen when the
    /// session ended (what it learns of the person; nil before a minute of continuous data).
    public var observedMaximumHeartRate: Double? = nil
    public var observedRestingHeartRate: Double? = nil
    /// The work bouts the classifier counted (the latest `PhysiologyEngine.boutsKept`).
    public var bouts: [BoutDetector.Bout] = []

    /// Seconds from start to end.
    public var duration: Double { end - start }
}

/// Which signals a session was computed from: every metric that needs RR is absent without it.
public struct SessionInputs: Sendable, Equatable {
    /// The strap reported heart rate (otherwise HR was derived from RR).
    public var heartRate: Bool
    /// RR intervals were present.
    public var rrIntervals: Bool
}

/// Training load and recovery of a session (PHYSIOLOGY.md, Load).
public struct SessionLoad: Sendable, Equatable {
    /// Lucia TRIMP (VT1/VT2 from the profile, else 65 %/85 % HRR (H)).
    public var luciaTRIMP: Double
    /// Peak of the EPOC-like acute load (H, not Firstbeat's EPOC).
    public var acuteLoadPeak: Double
    /// Seconds below 40 %, 40–60 %, at or above 60 % of HRR (WHO moderate/vigorous bands).
    public var reserveZoneSeconds: (light: Double, moderate: Double, vigorous: Double)
    /// Seconds in Edwards zones 50–60 … 90–100 % HRmax.
    public var edwardsZoneSeconds: (Double, Double, Double, Double, Double)
    /// Mean HR drop 30 s and 60 s after bout peaks (bpm).
    public var boutDrop30: Double?
    public var boutDrop60: Double?
    /// HR drop 60 s after the end of work (bpm; Cole 1999: ≤ 12 is abnormal after a test).
    public var recoveryAfterWork: Double?

    init(_ f: SessionFeatures, recoveryAfterWork: Double?) {
        luciaTRIMP = f.luciaTRIMP
        acuteLoadPeak = f.acuteLoadPeak
        reserveZoneSeconds = f.reserveZoneSeconds
        edwardsZoneSeconds = f.edwardsZoneSeconds
        boutDrop30 = f.meanDrop30
        boutDrop60 = f.meanDrop60
        self.recoveryAfterWork = recoveryAfterWork
    }

    public static func == (a: SessionLoad, b: SessionLoad) -> Bool {
        a.luciaTRIMP == b.luciaTRIMP && a.acuteLoadPeak == b.acuteLoadPeak && a.boutDrop30 == b.boutDrop30
            && a.boutDrop60 == b.boutDrop60 && a.recoveryAfterWork == b.recoveryAfterWork
            && a.reserveZoneSeconds == b.reserveZoneSeconds && a.edwardsZoneSeconds == b.edwardsZoneSeconds
    }
}

/// HRV over the latest window.
public struct HRVReading: Sendable, Equatable {
    public var rmssd: Double?
    public var sdnn: Double?
    /// DFA α1, nil when the window is short or the artifact percentage gates it.
    public var alpha1: Double?
    public var artifactPercent: Double
    /// Beats repeating the previous interval exactly, percent of the window (RMSSD, SDNN and
    /// α1 are nil above `EngineConstants.hrvMaximumRepeatedPercent`).
    public var repeatedPercent: Double
    public var beats: Int
}
