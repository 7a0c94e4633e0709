import SystemCall
import Ingest
import Storage
import Physiology
import Prometheus
import SystemdKit

/// Gateway metrics for dashboards, in the Prometheus text format, written atomically to
/// `DIRECTORY/ingestd.prom` for node_exporter's textfile collector (the daemon opens no port).
///
/// Counters come from the status snapshot's per-strap totals (each write adds what changed since
/// the previous one), sessions by class from the pipeline's session-ended events, and engine
/// time from what the daemon measured around its pipeline calls. Rates over "the last interval"
/// are the time between two writes. Heart rates are not exported: metrics often travel further
/// than the journal, and a dashboard of who is training does not need them.
public final class GatewayMetrics: PipelineSink {
    /// The file node_exporter reads (it ignores the `*.tmp.PID` file written first).
    public static let fileName = "ingestd.prom"
    /// The link states a strap can be in (the `link` label).
    static let linkStates: [String] = {
        var labels: [String] = []
        for state in StrapLinkState.representatives where !labels.contains(state.label) { labels.append(state.label) }
        return labels + ["replaying", "replayed"]
    }()

    /// The file written.
    public let path: String
    private let registry = PrometheusCollectorRegistry()
    private var straps: [String: StrapSeries] = [:]
    private var lastWriteTime: Double? = nil
    private var notificationsAtLastWrite = 0
    private var engineNanoseconds: Int64 = 0
    private var engineSamples = 0
    private var engineNanosecondsAtLastWrite: Int64 = 0
    private var engineSamplesAtLastWrite = 0
    /// The latest write error, if any (cleared by a successful write).
    public private(set) var lastError: String?

    private let linkGauges: [String: Gauge]
    private let connected: Gauge
    private let sessions: [SessionClass: Counter]
    private let notificationsPerSecond: Gauge
    private let engineSecondsTotal: Counter
    private let storageErrorsTotal: Counter
    private var storageErrorsAtLastWrite = 0
    private let engineSamplesTotal: Counter
    private let engineSecondsPerSample: Gauge

    /// Metrics written to `directory`; `startedAt` is the daemon's start (Unix seconds).
    public init(directory: String, startedAt: Double) {
        path = directory + "/" + Self.fileName
        var links: [String: Gauge] = [:]
        for state in Self.linkStates {
            links[state] = registry.makeGauge(descriptor: metric("straps", "Straps known to the daemon, by link state"), labels: [("link", state)])
        }
        linkGauges = links
        connected = registry.makeGauge(descriptor: metric("straps_connected", "Straps delivering notifications now (streaming, or a trace being replayed)"))
        var bySession: [SessionClass: Counter] = [:]
        for c in SessionClass.allCases {
            bySession[c] = registry.makeCounter(descriptor: metric("sessions_total", "Sessions ended since the daemon started, by class"), labels: [("class", c.rawValue)])
        }
        sessions = bySession
        notificationsPerSecond = registry.makeGauge(descriptor: metric("notifications_per_second", "Heart-rate notifications per second over the last interval, all straps"))
        storageErrorsTotal = registry.makeCounter(descriptor: metric("storage_errors_total", "Storage failures (raw log, state database, session exports, status) since the daemon started"))
        engineSecondsTotal = registry.makeCounter(descriptor: metric("engine_seconds_total", "CPU-side time spent decoding and in the engine and its sinks"))
        engineSamplesTotal = registry.makeCounter(descriptor: metric("engine_samples_total", "Samples timed for ingestd_engine_seconds_total"))
        engineSecondsPerSample = registry.makeGauge(descriptor: metric("engine_seconds_per_sample", "Mean time per sample (decode, engine, sinks) over the last interval"))
        registry.makeGauge(descriptor: metric("start_time_seconds", "When the daemon started, Unix seconds"))
            .set(startedAt)
    }

    /// Adds time the daemon measured around pipeline calls that folded in `samples` samples.
    public func engine(nanoseconds: Int64, samples: Int) {
        engineNanoseconds += max(nanoseconds, 0)
        engineSamples += max(samples, 0)
    }

    /// Counts ended sessions by class.
    public func receive(_ event: PipelineEvent) {
        if case .sessionEnded(let record) = event { sessions[record.class]?.increment() }
    }

    /// Brings every metric up to `snapshot` at monotonic time `now` and returns the text.
    public func render(_ snapshot: StatusSnapshot, now: Double) -> [UInt8] {
        var byLink = Dictionary(uniqueKeysWithValues: Self.linkStates.map { ($0, 0) })
        var streaming = 0
        var notifications = 0
        for device in snapshot.devices {
            let link = Self.link(of: device, daemonState: snapshot.state)
            byLink[link, default: 0] += 1
            if link == "streaming" || link == "replaying" { streaming += 1 }
            notifications += device.samples + device.badNotifications
            series(for: device.address).update(device)
        }
        for (state, count) in byLink { linkGauges[state]?.set(Double(count)) }
        connected.set(Double(streaming))
        let storageErrors = snapshot.storageErrors ?? 0
        storageErrorsTotal.increment(by: Int64(max(storageErrors - storageErrorsAtLastWrite, 0)))
        storageErrorsAtLastWrite = storageErrors
        let newNanoseconds = engineNanoseconds - engineNanosecondsAtLastWrite
        let newSamples = engineSamples - engineSamplesAtLastWrite
        engineSecondsTotal.increment(by: Double(newNanoseconds) / 1e9)
        engineSamplesTotal.increment(by: Int64(newSamples))
        if newSamples > 0 { engineSecondsPerSample.set(Double(newNanoseconds) / 1e9 / Double(newSamples)) }
        if let last = lastWriteTime, now > last {
            notificationsPerSecond.set(Double(max(notifications - notificationsAtLastWrite, 0)) / (now - last))
        }
        lastWriteTime = now
        notificationsAtLastWrite = notifications
        engineNanosecondsAtLastWrite = engineNanoseconds
        engineSamplesAtLastWrite = engineSamples
        return registry.emitToBuffer()
    }

    /// Renders and replaces the file. A failure is logged when it is new (not every interval)
    /// and kept in `lastError`; the daemon goes on.
    public func write(_ snapshot: StatusSnapshot, now: Double, logger: EventLogger) {
        do {
            // node_exporter runs as another user: the file is world-readable whatever UMask= says.
            try AtomicFile.write(render(snapshot, now: now), to: path, mode: 0o644)
            lastError = nil
        } catch {
            if lastError != error.description {
                logger.log("metrics: \(error)", kind: .storageError, priority: .warning)
            }
            lastError = error.description
        }
    }

    /// Writes now and then every `interval` seconds on `loop`.
    public func start(on loop: EventLoop, every interval: Double, logger: EventLogger,
                      snapshot: @escaping () -> StatusSnapshot) throws(SystemCallError) {
        try loop.addTimer(after: 0) { [self] in
            write(snapshot(), now: WallClock.monotonic(), logger: logger)
            return interval
        }
    }

    private static func link(of device: StatusSnapshot.Device, daemonState: String) -> String {
        guard let link = device.link else { return daemonState == "running" ? "replaying" : "replayed" }
        return String(link.prefix { $0 != " " })
    }

    private func series(for strap: String) -> StrapSeries {
        if let s = straps[strap] { return s }
        let s = StrapSeries(strap: strap, registry: registry)
        straps[strap] = s
        return s
    }
}

/// A metric named `ingestd_NAME` (unit suffixes are part of NAME, as Prometheus spells them).
private func metric(_ name: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(namespace: "ingestd", metricName: name, unitName: "", helpText: help)
}

/// One strap's series; counters advance by what the status totals gained since the last write.
private final class StrapSeries {
    private let notifications: Counter
    private let bad: Counter
    private let intervals: Counter
    private let artifacts: Counter
    private let artifactPercent: Gauge
    private let reconnects: Counter
    /// Made when the strap first reports a battery level, so an unknown level is absent, not 0.
    private var battery: Gauge?
    /// Made once the strap records ECG (`polar_ecg`), so straps without it export no series.
    private var ecgSamples: Counter?
    private var lastECGSamples = 0
    private let label: [(String, String)]
    private let registry: PrometheusCollectorRegistry
    private var last = (notifications: 0, bad: 0, intervals: 0, artifacts: 0, reconnects: 0)

    init(strap: String, registry: PrometheusCollectorRegistry) {
        let label = [("strap", strap)]
        notifications = registry.makeCounter(descriptor: metric("notifications_total", "Heart-rate notifications received, decoded or not"), labels: label)
        bad = registry.makeCounter(descriptor: metric("bad_notifications_total", "Notifications that did not decode (kept in the raw log, session goes on)"), labels: label)
        intervals = registry.makeCounter(descriptor: metric("rr_intervals_total", "RR intervals judged by the artifact gate"), labels: label)
        artifacts = registry.makeCounter(descriptor: metric("rr_artifacts_total", "RR intervals rejected as artifacts"), labels: label)
        artifactPercent = registry.makeGauge(descriptor: metric("rr_artifact_percent", "Percent of RR intervals rejected as artifacts over the last interval"), labels: label)
        reconnects = registry.makeCounter(descriptor: metric("reconnects_total", "Times the link was lost and retried"), labels: label)
        self.label = label
        self.registry = registry
    }

    func update(_ d: StatusSnapshot.Device) {
        let now = (notifications: d.samples + d.badNotifications, bad: d.badNotifications,
                   intervals: (d.beats ?? 0) + (d.rejectedBeats ?? 0), artifacts: d.rejectedBeats ?? 0,
                   reconnects: d.reconnects ?? 0)
        notifications.increment(by: Int64(max(now.notifications - last.notifications, 0)))
        bad.increment(by: Int64(max(now.bad - last.bad, 0)))
        let newIntervals = max(now.intervals - last.intervals, 0)
        let newArtifacts = max(now.artifacts - last.artifacts, 0)
        intervals.increment(by: Int64(newIntervals))
        artifacts.increment(by: Int64(newArtifacts))
        artifactPercent.set(newIntervals > 0 ? 100 * Double(newArtifacts) / Double(newIntervals) : 0)
        reconnects.increment(by: Int64(max(now.reconnects - last.reconnects, 0)))
        if let b = d.battery {
            if battery == nil {
                battery = registry.makeGauge(descriptor: metric("battery_percent", "Battery level the strap reports"), labels: label)
            }
            battery?.set(to: Double(b))
        }
        if let n = d.ecgSamples, n > 0 {
            if ecgSamples == nil {
                ecgSamples = registry.makeCounter(descriptor: metric("ecg_samples_total", "Polar ECG samples recorded in the raw log"), labels: label)
            }
            ecgSamples?.increment(by: Int64(max(n - lastECGSamples, 0)))
            lastECGSamples = n
        }
        last = now
    }
}
