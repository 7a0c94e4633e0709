import HeartRateWire
import Physiology
import Traces

/// One strap's path from bytes to events: decode, engine, sinks. Live straps and replayed
/// traces use the same instance type, so they give the same answer for the same bytes.
public final class StrapPipeline {
    /// The strap.
    public let device: DeviceAddress
    /// The engine (public for status reads).
    public private(set) var engine: PhysiologyEngine
    private var sinks: [any PipelineSink]
    private var sampleSinks: [any SampleSink] = []
    private var currentSessionID: String? = nil
    private var profileFixed: AthleteProfile
    /// Who wears the strap (nil in `ingestctl analyze`: nobody in particular), and what was
    /// learned of them when their session began.
    public private(set) var athlete: Athlete? = nil
    private var startedFrom: LearnedHeartRate? = nil
    /// Asked who wears the strap now and what was learned of them: at `wearer` time and after
    /// every session (an assignment takes effect from the next session).
    public var wearer: ((DeviceAddress) -> (Athlete, LearnedHeartRate?))? = nil
    private var wearerPending = false
    /// Events the engine emitted during the current call; forwarded once the engine is done, so
    /// sinks may read the engine (status) without overlapping its mutation. Capacity is reused.
    private var pendingEvents: [EngineEvent] = []
    /// The running session's labels so far (events only, never per sample).
    private var labels: [SessionRecord.ProvisionalLabel] = []
    /// The strap's Energy Expended readings, for each session's total.
    private var energy = EnergyExpendedLog()

    /// Samples folded in and notifications that failed to decode.
    public private(set) var samples = 0
    public private(set) var badNotifications = 0
    /// Trace time of the latest sample (Unix seconds).
    public private(set) var lastSampleTime: Double? = nil
    /// The latest HR reported (bpm).
    public private(set) var lastHeartRate: UInt16? = nil
    /// The latest skin-contact state the strap reported.
    public private(set) var lastContact: SensorContact = .notSupported
    /// The ID of the running session, if any.
    public var sessionID: String? { currentSessionID }
    private var currentSessionStart = 0.0
    /// While false, events reach no sink (samples still reach the sample sinks): a daemon that
    /// restarts feeds its raw log back this way, rebuilding the engine without saying or saving
    /// again what was already said and saved.
    public var broadcasting = true

    /// A pipeline for `device` with `profile` (values given by the user win over any a trace carries).
    public init(device: DeviceAddress, profile: AthleteProfile, constants: EngineConstants = EngineConstants(),
                sinks: [any PipelineSink]) {
        self.device = device
        self.engine = PhysiologyEngine(profile: profile, constants: constants)
        self.profileFixed = profile
        self.sinks = sinks
    }

    /// Adds a per-sample sink (session files); it sees each sample before the engine does.
    public func add(sampleSink: any SampleSink) { sampleSinks.append(sampleSink) }

    /// Handles one trace event.
    public func handle(_ event: TraceEvent) {
        switch event {
        case .sample(let s):
            ingest(time: s.time, heartRate: s.heartRate, contact: .notSupported, rr: s.rrIntervals)
        case .notification(let n):
            // Vendor characteristics (Polar PMD ECG) are recorded, not fed to the engine.
            guard case .short(let id) = n.characteristic else { return }
            handle(notification: n.value, characteristic: GATTIdentifier(id), time: n.time)
        case .metadata(let m):
            apply(m)
        }
    }

    /// Handles one notification value as received from a strap.
    public func handle(notification value: some Collection<UInt8>, characteristic: GATTIdentifier, time: Double) {
        guard characteristic == .heartRateMeasurement else { return }
        do {
            let m = try HeartRateMeasurement(decoding: value)
            if let kilojoules = m.energyExpended { energy.add(kilojoules, at: time) }
            ingest(time: time, heartRate: m.heartRate, contact: m.sensorContact, rr: m.rrIntervals)
        } catch {
            badNotifications += 1
            broadcast(.badNotification(device: device, time: time, error: error))
        }
    }

    /// Ends any open session (end of input or shutdown).
    public func finish() {
        engine.finish { pendingEvents.append($0) }
        drain()
    }

    private func ingest(time: Double, heartRate: UInt16?, contact: SensorContact, rr: RRIntervals) {
        samples += 1
        lastSampleTime = time
        // A strap that reports no skin contact sends meaningless HR; RR still comes from real beats.
        let hr: Double? = contact == .notDetected ? nil : heartRate.flatMap { $0 > 0 ? Double($0) : nil }
        if let heartRate, contact != .notDetected { lastHeartRate = heartRate }
        lastContact = contact
        for sink in sampleSinks {
            sink.sample(time: time, heartRate: hr.map { UInt16($0) }, rrIntervals: rr)
        }
        engine.ingest(time: time, heartRate: hr, rrIntervals: rr) { pendingEvents.append($0) }
        if !pendingEvents.isEmpty { drain() }
    }

    private func apply(_ metadata: TraceMetadata) {
        guard case .userProfile(let age, let sex, let resting, let maximum) = metadata else { return }
        var profile = engine.profile
        if profileFixed.age == nil, let age, (5...110).contains(age) { profile.age = age }
        if profileFixed.sex == nil, let sex { profile.sex = sex == .female ? .female : .male }
        if profileFixed.restingHeartRate == nil, let resting, (25...120).contains(resting) {
            profile.restingHeartRate = Double(resting)
        }
        if profileFixed.maximumHeartRate == nil, let maximum, (100...240).contains(maximum) {
            profile.maximumHeartRate = Double(maximum)
        }
        engine.profile = profile
    }

    private func drain() {
        for event in pendingEvents { forward(event) }
        pendingEvents.removeAll(keepingCapacity: true)
        if wearerPending { updateWearer() }
    }

    /// Asks `wearer` who wears the strap and starts the engine from what is known of them, now
    /// when no session is running, else when the running one ends.
    public func updateWearer() {
        guard let wearer else { return }
        guard !engine.inSession else {
            wearerPending = true
            return
        }
        wearerPending = false
        let (next, learned) = wearer(device)
        athlete = next
        startedFrom = learned
        profileFixed = next.profile
        engine.profile = next.profile
        engine.startFrom(observedMaximum: learned?.maximum?.bpm, observedResting: learned?.resting?.bpm)
    }

    private func forward(_ event: EngineEvent) {
        switch event {
        case .sessionStarted(_, let start, _):
            let id = SessionRecord.identifier(start: start, device: device)
            currentSessionID = id
            currentSessionStart = start
            labels.removeAll(keepingCapacity: true)
            broadcast(.sessionStarted(id: id, device: device, start: start, athlete: athlete?.id))
        case .classChanged(_, let at, let from, let to, let confidence):
            labels.append(.init(at: ISO8601.format(at), afterSeconds: ((at - currentSessionStart) * 10).rounded() / 10, class: to,
                                confidence: (confidence * 1000).rounded() / 1000))
            broadcast(.classChanged(id: currentSessionID ?? "", device: device, at: at, from: from, to: to,
                                    confidence: confidence))
        case .sessionEnded(let summary):
            currentSessionID = nil
            var record = SessionRecord(summary, device: device, athlete: athlete?.id)
            record.energyExpendedKJ = energy.expended(from: summary.start, to: summary.end)
            record.provisionalLabels = labels
            energy.forget(before: summary.end)
            if let athlete, let learned = startedFrom, learned.maximum != nil || learned.resting != nil {
                let parts = [learned.maximum.map { "HRmax \(Int($0.bpm)) (\($0.session))" },
                             learned.resting.map { "HRrest \(Int($0.bpm)) (\($0.session))" }].compactMap { $0 }
                record.assumptions.append("started from what earlier sessions of athlete \(athlete.id) showed: "
                    + parts.joined(separator: ", ") + "; a user-given value still wins")
            }
            broadcast(.sessionEnded(record))
            // Who wears the strap next, with what was just learned.
            wearerPending = true
        }
    }

    /// Zeroes the sample and bad-notification counts (they count what arrived since the daemon
    /// started, not what a muted feed replayed).
    public func resetCounts() {
        samples = 0
        badNotifications = 0
    }

    /// Says `sessionStarted` again for the session open now, if any (after a muted feed), so
    /// every sink knows of it; returns its ID.
    @discardableResult
    public func announceOpenSession() -> String? {
        guard let id = currentSessionID else { return nil }
        broadcast(.sessionStarted(id: id, device: device, start: currentSessionStart, athlete: athlete?.id))
        return id
    }

    private func broadcast(_ event: PipelineEvent) {
        guard broadcasting else { return }
        for sink in sinks { sink.receive(event) }
    }
}
