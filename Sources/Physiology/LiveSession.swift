/// A running session as a live display (the board, `ingestctl devices`) shows it.
public struct LiveSession: Sendable, Equatable {
    /// Trace time (Unix seconds) the session began.
    public var start: Double
    /// Seconds from the start to the latest sample.
    public var seconds: Double
    /// Banister TRIMP so far.
    public var banisterTRIMP: Double
    /// The stable provisional label (`unclassified` until the first one).
    public var sessionClass: SessionClass
    /// The confidence of the latest windowed check that agreed with the label, nil before one.
    public var confidence: Double?

    /// A live session.
    public init(start: Double, seconds: Double, banisterTRIMP: Double, sessionClass: SessionClass, confidence: Double?) {
        self.start = start
        self.seconds = seconds
        self.banisterTRIMP = banisterTRIMP
        self.sessionClass = sessionClass
        self.confidence = confidence
    }
}
