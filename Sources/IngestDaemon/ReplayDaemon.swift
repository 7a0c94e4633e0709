import Glibc
import Ingest
import Physiology
import SystemdKit
import Traces

/// `ingestd --replay FILE`: a recording stands in for a strap, through the same pipeline and
/// sinks as a live one. Time comes from the trace; `speed` only sets how fast it is fed.
public struct ReplayDaemon {
    /// Replay pacing.
    public enum Speed: Sendable, Equatable, CustomStringConvertible {
        /// As fast as the machine goes.
        case maximum
        /// `factor` × real time (1 = as recorded).
        case factor(Double)

        /// Parses `max` or a positive number.
        public init?(_ text: String) {
            if text == "max" {
                self = .maximum
            } else if let v = Double(text), v.isFinite, v > 0 {
                self = .factor(v)
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .maximum: "max"
            case .factor(let f): f == f.rounded() ? String(Int(f)) : String(f)
            }
        }
    }

    /// The configuration in force.
    public var configuration: IngestConfiguration
    /// The configuration file (re-read on SIGHUP), nil for the defaults.
    public var configurationPath: String?
    /// The file to replay.
    public var path: String
    /// Pacing.
    public var speed: Speed
    /// The control socket path, nil for none.
    public var controlSocket: String?
    /// Keep running (serving the control socket) after the trace ends, until SIGTERM.
    public var keepRunning: Bool

    /// A replay of `path` at `speed`.
    public init(configuration: IngestConfiguration, configurationPath: String? = nil, path: String, speed: Speed,
                controlSocket: String? = nil, keepRunning: Bool = false) {
        self.configuration = configuration
        self.configurationPath = configurationPath
        self.path = path
        self.speed = speed
        self.controlSocket = controlSocket
        self.keepRunning = keepRunning
    }

    /// Events fed per loop iteration at `--speed max`, so the loop stays responsive.
    static let batch = 2000

    /// Runs the replay on the event loop; returns the process exit code (0 done or stopped by
    /// signal, 1 bad data, storage or setup failure).
    public func run() -> Int32 {
        let logger = EventLogger()
        let notifier = SystemdNotifier()
        let storage = StorageReport(logger: logger)
        let lock: InstanceLock
        do {
            lock = try InstanceLock.claim(stateDirectory: configuration.stateDirectory, controlSocket: controlSocket)
        } catch {
            logger.log("cannot start: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        defer { withExtendedLifetime(lock) {} }
        let store: SessionStore
        do {
            store = try SessionStore(stateDirectory: configuration.stateDirectory)
        } catch {
            logger.log("storage error: \(error)", kind: .storageError, priority: .error)
            return 1
        }
        let startedAt = ISO8601.format(WallClock.now())
        let status = StatusWriter(stateDirectory: configuration.stateDirectory, snapshot: StatusSnapshot(
            pid: getpid(), startedAt: startedAt, updatedAt: startedAt, state: "starting", mode: "replay",
            source: path, speed: speed.description, devices: [], sessionsRecorded: 0, recentSessions: [],
            lastError: nil, stateDirectory: configuration.stateDirectory))

        let opened: (format: TraceFormat, reader: any TraceReader)
        do {
            opened = try TraceFile.open(path)
        } catch {
            logger.log("cannot replay: \(error)", kind: .daemonStopped, priority: .error)
            status.set(state: "failed", error: error.description)
            return 1
        }
        let weekly = WeeklyStore(stateDirectory: configuration.stateDirectory)
        for problem in weekly.problems { logger.log("storage error: \(problem)", kind: .storageError, priority: .error) }
        let files = SessionFiles(stateDirectory: configuration.stateDirectory)
        storage.watch(store: store, files: files, weekly: weekly, status: status)
        let metrics = configuration.metrics.enabled
            ? GatewayMetrics(directory: configuration.metrics.textfileDirectory, startedAt: WallClock.now()) : nil
        let pipeline = StrapPipeline(device: .replay, profile: configuration.athlete, constants: configuration.engine,
                                     sinks: [store, files, weekly, logger, status] + (metrics.map { [$0] } ?? []))
        pipeline.add(sampleSink: files)
        status.watch(pipeline)
        let stepper = TraceStepper(opened.reader, into: pipeline)

        let loop: EventLoop
        do {
            loop = try EventLoop()
        } catch {
            logger.log("event loop: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        var code: Int32 = 0
        var configuration = self.configuration
        let stateDirectory = configuration.stateDirectory

        func finishUp() {
            // Each failure was reported as it happened (once per cause); the exit code says so.
            if storage.total > 0 { code = 1 }
        }
        func ended() {
            for damage in stepper.damage {
                logger.log("damaged recording, skipped: \(damage)", kind: .storageError, priority: .warning)
            }
            switch stepper.outcome {
            case .completed?:
                logger.log("replay finished: \(pipeline.samples) samples, \(store.written.count) sessions", kind: .daemonStopped,
                           fields: [("SAMPLES", String(pipeline.samples)), ("SESSIONS", String(store.written.count))])
                status.set(state: "finished")
            case .failed(let error)?:
                logger.log("bad data, replay stopped: \(error)", kind: .daemonStopped, priority: .error)
                status.set(state: "failed", error: error.description)
                code = 1
            case .interrupted?, nil:
                break
            }
            finishUp()
            finalMetrics()
            notifier.status("replay of \(path) ended; \(store.written.count) sessions")
            if !keepRunning {
                notifier.stopping()
                loop.exit(code: code)
            }
        }

        /// Feeds the pipeline, timing it for the metrics.
        func timed(_ step: () -> Void) {
            guard let metrics else { return step() }
            let (samples, started) = (pipeline.samples, WallClock.monotonicNanoseconds())
            step()
            metrics.engine(nanoseconds: WallClock.monotonicNanoseconds() - started, samples: pipeline.samples - samples)
        }
        /// The last metrics file, with the final state.
        func finalMetrics() {
            metrics?.write(status.current, now: WallClock.monotonic(), logger: logger)
        }

        var server: ControlServer? = nil
        do {
            for signal in [SIGTERM, SIGINT] {
                try loop.addSignal(signal) {
                    notifier.stopping()
                    if stepper.outcome == nil {
                        stepper.interrupt()
                        logger.log("stopped by signal after \(pipeline.samples) samples; open sessions ended and saved", kind: .daemonStopped)
                        status.set(state: "stopped")
                        finishUp()
                    }
                    finalMetrics()
                    loop.exit(code: code)
                }
            }
            try loop.addSignal(SIGHUP) {
                if let fresh = ConfigLoader.reload(path: self.configurationPath, stateDirectory: stateDirectory,
                                                   appliesTo: "the next session", notifier: notifier, logger: logger) {
                    configuration = fresh
                }
            }
            if let controlSocket {
                let catalog = SessionCatalog(stateDirectory: stateDirectory)
                _ = catalog.json()  // decode what is stored once, at start, not in a request
            let s = try ControlServer.make(path: controlSocket) { line in
                    ControlProtocol.respond(to: line, status: status, sessions: catalog, stateDirectory: stateDirectory,
                                            genotype: configuration.ftoGenotype)
                }
                try s.attach(to: loop)
                server = s
            }
            var firstTraceTime: Double? = nil
            var wallStart = 0.0
            try loop.addTimer(after: 0) {
                guard stepper.outcome == nil else { return nil }
                switch speed {
                case .maximum:
                    timed { stepper.step(limit: Self.batch) }
                    status.write()
                    if stepper.outcome != nil { ended(); return nil }
                    return 0
                case .factor(let f):
                    let now = WallClock.monotonic()
                    if firstTraceTime == nil {
                        firstTraceTime = stepper.nextTime()
                        wallStart = now
                    }
                    var due = (firstTraceTime ?? 0) + (now - wallStart) * f
                    // A gap longer than the end-of-session gap ends the session whatever its
                    // length: it is skipped, not waited out (a jump of years must not stall).
                    if let next = stepper.nextTime(), next - due > configuration.engine.endGapSeconds {
                        firstTraceTime = (firstTraceTime ?? 0) + (next - due)
                        due = next
                    }
                    timed { stepper.step(limit: Self.batch, until: due) }
                    status.write()
                    if stepper.outcome != nil { ended(); return nil }
                    guard let next = stepper.nextTime(), let t0 = firstTraceTime else { return 0 }
                    return min(max((next - t0) / f - (now - wallStart), 0), 0.25)
                }
            }
            try metrics?.start(on: loop, every: configuration.metrics.interval, logger: logger) { status.current }
            try loop.enableWatchdog()
        } catch {
            logger.log("setup failed: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        status.set(state: "running")
        logger.log("replaying \(path) (\(opened.format.rawValue)) at speed \(speed)", kind: .daemonStarted,
                   fields: [("REPLAY_FILE", path), ("REPLAY_SPEED", speed.description)])
        notifier.ready(status: "replaying \(path)")
        do {
            _ = try loop.run()
        } catch {
            logger.log("event loop failed: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        _ = server
        return code
    }
}
