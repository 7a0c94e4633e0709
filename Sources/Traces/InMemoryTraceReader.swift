/// Replays events already in memory (tests, timing runs).
public struct InMemoryTraceReader: TraceReader {
    private var events: [TraceEvent]
    private var index = 0

    /// A reader over `events`.
    public init(_ events: [TraceEvent]) { self.events = events }

    public mutating func next() throws(TraceError) -> TraceEvent? {
        guard index < events.count else { return nil }
        defer { index += 1 }
        return events[index]
    }
}
