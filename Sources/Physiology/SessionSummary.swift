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
    /// RMSSD (ms) over accepted successive beats of the session, nil without RR.
    public var rmssd: Double?

    /// Seconds from start to end.
    public var duration: Double { end - start }
}
