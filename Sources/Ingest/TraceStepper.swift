import Traces

/// Feeds a recording into a pipeline a few events at a time, so a daemon's event loop can pace
/// it and keep serving other sources between steps. `TraceReplay.run` drives it to the end.
public final class TraceStepper {
    private var reader: any TraceReader
    private let pipeline: StrapPipeline
    private var pending: TraceEvent? = nil
    /// How the replay ended, once it has.
    public private(set) var outcome: TraceReplay.Outcome? = nil

    /// A stepper over `reader` into `pipeline`.
    public init(_ reader: any TraceReader, into pipeline: StrapPipeline) {
        self.reader = reader
        self.pipeline = pipeline
    }

    /// What the reader skipped or cut so far (bad records of a raw log, a torn tail), one line
    /// each naming the file and offset; complete once `outcome` is set.
    public var damage: [String] { reader.damage }

    /// The trace time of the next event (nil for metadata or at the end); reads ahead one event.
    public func nextTime() -> Double? {
        guard outcome == nil else { return nil }
        if pending == nil { pending = read() }
        guard let e = pending else { return nil }
        return switch e {
        case .sample(let s): s.time
        case .notification(let n): n.time
        case .metadata: nil
        }
    }

    /// Feeds up to `limit` events whose trace time is at most `until` (metadata always goes);
    /// returns how many were fed. At the end of input it ends open sessions and sets `outcome`.
    @discardableResult
    public func step(limit: Int, until: Double = .infinity) -> Int {
        var fed = 0
        while fed < limit, outcome == nil {
            if pending == nil { pending = read() }
            guard let e = pending else { break }
            if let t = nextTime(), t > until { break }
            pending = nil
            pipeline.handle(e)
            fed += 1
        }
        return fed
    }

    /// Stops early (shutdown): ends open sessions.
    public func interrupt() {
        guard outcome == nil else { return }
        outcome = .interrupted
        pipeline.finish()
    }

    private func read() -> TraceEvent? {
        do {
            if let e = try reader.next() { return e }
            outcome = .completed
        } catch {
            outcome = .failed(error)
        }
        pipeline.finish()
        return nil
    }
}
