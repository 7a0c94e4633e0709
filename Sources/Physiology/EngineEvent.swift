/// What the engine tells the sinks. Events are rare (a few per session); samples are not events.
public enum EngineEvent: Sendable, Equatable {
    /// A session was confirmed; `start` is when activity began (before confirmation).
    case sessionStarted(number: Int, start: Double, confirmedAt: Double)
    /// The stable provisional class changed.
    case classChanged(number: Int, at: Double, from: SessionClass, to: SessionClass, confidence: Double)
    /// A session ended (long rest, gap, or the end of input).
    case sessionEnded(SessionSummary)
}
