import Traces

/// Feeds a recording into pipelines a few events at a time, so a daemon's event loop can pace
/// it and keep serving other sources between steps. `TraceReplay.run` drives it to the end.
///
/// Each strap in the recording gets its own pipeline: a notification goes to the pipeline of
/// its device (a raw log's strap, a btsnoop capture's LE peer, one per connection), decoded
/// samples and metadata (CSV, FIT: no address of their own) to the pipeline of `device` —
/// the address the user gave (`--device`), else the FIT file's device (its heart-rate strap's
/// serial when the file names one, else the recorder's: `DeviceAddress(fitSerial:)`, taken
/// while no sample has been routed yet), else `DeviceAddress.replay`.
public final class TraceStepper {
    private var reader: any TraceReader
    private var device: DeviceAddress
    /// Whether the file may still name `device` (no `--device` given, no sample routed yet).
    private var deviceOpen: Bool
    private let pipelineFor: (DeviceAddress) -> StrapPipeline
    private var byDevice: [DeviceAddress: StrapPipeline] = [:]
    /// The last device routed and its pipeline: consecutive events of one strap skip the lookup.
    private var last: (device: DeviceAddress, pipeline: StrapPipeline)? = nil
    /// Every pipeline made so far, in the order their straps first appeared.
    public private(set) var pipelines: [StrapPipeline] = []
    private var pending: TraceEvent? = nil
    private var namedByStrap = false
    /// Metadata read before the first sample, while the file may still name its device.
    private var early: [TraceEvent] = []
    /// How the replay ended, once it has.
    public private(set) var outcome: TraceReplay.Outcome? = nil

    /// A stepper over `reader`; `pipelineFor` makes the pipeline of each strap as it first
    /// appears (samples and metadata belong to `device`).
    public init(_ reader: any TraceReader, device: DeviceAddress = .replay,
                pipelineFor: @escaping (DeviceAddress) -> StrapPipeline) {
        self.reader = reader
        self.device = device
        deviceOpen = device == .replay
        self.pipelineFor = pipelineFor
    }

    /// A stepper over `reader` into one `pipeline`, whatever strap an event names.
    public convenience init(_ reader: any TraceReader, into pipeline: StrapPipeline) {
        self.init(reader, device: pipeline.device) { _ in pipeline }
        deviceOpen = false
        pipelines = [pipeline]
        byDevice[pipeline.device] = pipeline
    }

    /// Samples folded in by every pipeline.
    public var samples: Int { pipelines.reduce(0) { $0 + $1.samples } }

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
            route(e)
            fed += 1
        }
        return fed
    }

    /// Stops early (shutdown): ends open sessions.
    public func interrupt() {
        guard outcome == nil else { return }
        outcome = .interrupted
        finishAll()
    }

    /// Hands `event` to its pipeline. While the file may still name its device, metadata waits
    /// (a FIT file's `file_id` and `device_info` come before its records), then goes first to
    /// the pipeline of the device it named.
    private func route(_ event: TraceEvent) {
        guard deviceOpen else { return pipeline(of: event).handle(event) }
        if case .metadata(let m) = event {
            if case .device(let serial, _, _, let heartRateSensor) = m, heartRateSensor || !namedByStrap {
                // The strap's own serial wins over the recorder's, whichever comes first.
                device = DeviceAddress(fitSerial: serial)
                namedByStrap = heartRateSensor
            }
            early.append(event)
            return
        }
        deviceOpen = false
        let target = pipeline(of: event)
        for e in early { target.handle(e) }
        early = []
        target.handle(event)
    }

    /// The pipeline an event goes to (made when its strap first appears).
    private func pipeline(of event: TraceEvent) -> StrapPipeline {
        var owner = device
        if case .notification(let n) = event, n.device != .replay { owner = n.device }
        if let last, last.device == owner { return last.pipeline }
        let p: StrapPipeline
        if let known = byDevice[owner] {
            p = known
        } else {
            p = pipelineFor(owner)
            byDevice[owner] = p
            if !pipelines.contains(where: { $0 === p }) { pipelines.append(p) }
        }
        last = (owner, p)
        return p
    }

    private func finishAll() {
        for p in pipelines { p.finish() }
    }

    private func read() -> TraceEvent? {
        do {
            if let e = try reader.next() { return e }
            outcome = .completed
        } catch {
            outcome = .failed(error)
        }
        finishAll()
        return nil
    }
}
