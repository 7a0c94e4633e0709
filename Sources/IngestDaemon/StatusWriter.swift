import Glibc
import HeartRateWire
import Ingest
import Storage
import SystemCall
import Traces

/// Keeps `status.json` current: at once on session events and state changes, otherwise when
/// something changed, at most once a second of wall time; not fsynced (it is rewritten within
/// a second and says nothing the journal does not).
public final class StatusWriter: PipelineSink {
    private let path: String
    private var snapshot: StatusSnapshot
    private var watched: [(pipeline: StrapPipeline, link: (() -> LinkDetails)?)] = []
    private var lastWrite = 0.0
    /// The latest write error, if any.
    public private(set) var lastError: String?
    /// The store whose writes decide whether an ended session counts as recorded.
    var store: SessionStore?
    /// Told when `status.json` cannot be written.
    var onError: StorageErrorHandler?

    /// A writer for the daemon described by `snapshot`.
    public init(stateDirectory: String, snapshot: StatusSnapshot) {
        path = stateDirectory + "/" + StatusSnapshot.fileName
        self.snapshot = snapshot
    }

    /// What a live strap's link adds to its status line.
    public struct LinkDetails {
        public var name: String?
        public var state: String
        public var battery: Int?
        public var location: String?
        public var reconnects: Int
        public var ecg: String? = nil
        public var ecgSamples: Int? = nil
    }

    /// Shows a strap's state; `link` adds a live strap's link details.
    public func watch(_ pipeline: StrapPipeline, link: (() -> LinkDetails)? = nil) {
        watched.append((pipeline, link))
    }

    /// Stops showing a strap (released after a reload took it off the allow-list).
    public func unwatch(_ pipeline: StrapPipeline) {
        watched.removeAll { $0.pipeline === pipeline }
        write(force: true)
    }

    public func receive(_ event: PipelineEvent) {
        if case .sessionEnded(let record) = event {
            // The store is an earlier sink: a session it could not write is not "recorded".
            if let store, store.written.last?.id != record.id {
                snapshot.sessionsNotSaved = (snapshot.sessionsNotSaved ?? 0) + 1
            } else {
                snapshot.sessionsRecorded += 1
                snapshot.recentSessions.append(StatusSnapshot.SessionBrief(record))
                if snapshot.recentSessions.count > 5 { snapshot.recentSessions.removeFirst() }
            }
        }
        // Sessions starting, changing class or ending show at once; a bad notification waits
        // for the next once-a-second write (1 500 of them made 3 004 fsyncs).
        if case .badNotification = event { write() } else { write(force: true) }
    }

    /// The snapshot as it stands (devices refreshed).
    public var current: StatusSnapshot {
        refreshDevices()
        return snapshot
    }

    /// Sets the daemon state (`running`, `finished`, …) and writes.
    public func set(state: String, error: String? = nil) {
        snapshot.state = state
        if let error { snapshot.lastError = error }
        write(force: true)
    }

    /// A storage failure somewhere in the daemon: counted and kept as the latest error.
    func storageFailed(total: Int, latest: String) {
        snapshot.storageErrors = total
        snapshot.lastError = latest
    }

    /// Arms a write that many seconds from now (the shell's alarm), so a change inside the
    /// once-a-second limit is written when the second is up, with no polling tick.
    var scheduleWrite: ((Double) -> Void)?
    private var writePending = false

    /// The write armed by `scheduleWrite` is due.
    func pendingWriteDue() {
        writePending = false
        write()
    }

    /// Writes when a second has passed since the last write, or when `force`; a change inside
    /// the second is written when it is up (when `scheduleWrite` is set).
    public func write(force: Bool = false) {
        let now = WallClock.now()
        guard force || now - lastWrite >= 1 else {
            if !writePending, let scheduleWrite {
                writePending = true
                scheduleWrite(max(0, 1 - (now - lastWrite)))
            }
            return
        }
        lastWrite = now
        snapshot.updatedAt = ISO8601.format(now)
        refreshDevices()
        do {
            try AtomicFile.write(Array(JSONLines.pretty(snapshot).utf8), to: path, durable: false)
            lastError = nil
        } catch {
            lastError = error.description
            onError?("\(path): \(error.cause)", "status not saved: \(error)")
        }
    }

    static func describe(_ contact: SensorContact) -> String {
        switch contact {
        case .detected: "detected"
        case .notDetected: "not detected"
        case .notSupported: "not supported"
        }
    }

    private func refreshDevices() {
        snapshot.devices = watched.map { p, link in
            var d = StatusSnapshot.Device(
                address: p.device.description, samples: p.samples, badNotifications: p.badNotifications,
                heartRate: p.lastHeartRate.map(Int.init), traceTime: p.lastSampleTime.map(ISO8601.format),
                sessionId: p.sessionID, sessionClass: p.sessionID == nil ? nil : p.engine.currentClass.rawValue)
                .with(contact: Self.describe(p.lastContact))
            (d.beats, d.rejectedBeats) = p.engine.beatCounts
            d.athlete = p.athlete?.id
            d.athleteName = p.athlete?.name
            let reference = p.engine.reference
            d.maximumHeartRate = Int(reference.maximum.rounded())
            d.restingHeartRate = Int(reference.resting.rounded())
            if p.sessionID != nil, let live = p.engine.liveSession {
                d.sessionSeconds = (live.seconds * 10).rounded() / 10
                d.trimp = (live.banisterTRIMP * 10).rounded() / 10
                d.confidence = live.confidence.map { ($0 * 100).rounded() / 100 }
            }
            if let l = link?() {
                d.name = l.name
                d.link = l.state
                d.battery = l.battery
                d.location = l.location
                d.reconnects = l.reconnects
                d.ecg = l.ecg
                d.ecgSamples = l.ecgSamples
            }
            return d
        }
    }
}

/// The wall clock, read only by the daemon's shell (never by the engine).
public enum WallClock {
    /// Unix seconds now (CLOCK_REALTIME).
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CLOCK_MONOTONIC nanoseconds (for durations).
    public static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// CLOCK_MONOTONIC seconds.
    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
