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
    /// The file to replay.
    public var path: String
    /// Pacing.
    public var speed: Speed

    /// A replay of `path` at `speed`.
    public init(configuration: IngestConfiguration, path: String, speed: Speed) {
        self.configuration = configuration
        self.path = path
        self.speed = speed
    }

    /// Runs the replay; returns the process exit code (0 done or stopped by signal, 1 bad data
    /// or storage failure).
    public func run() -> Int32 {
        let logger = EventLogger()
        let notifier = SystemdNotifier()
        ShutdownSignal.install()
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

        var opened: (format: TraceFormat, reader: any TraceReader)
        do {
            opened = try TraceFile.open(path)
        } catch {
            logger.log("cannot replay: \(error)", kind: .daemonStopped, priority: .error)
            status.set(state: "failed", error: error.description)
            return 1
        }
        let weekly = WeeklyStore(stateDirectory: configuration.stateDirectory)
        for problem in weekly.problems { logger.log("storage error: \(problem)", kind: .storageError, priority: .error) }
        let weeklyProblemsAtStart = weekly.problems.count
        let files = SessionFiles(stateDirectory: configuration.stateDirectory)
        let pipeline = StrapPipeline(device: .replay, profile: configuration.athlete,
                                     constants: configuration.engine, sinks: [store, files, weekly, logger, status])
        pipeline.add(sampleSink: files)
        status.watch(pipeline)
        status.set(state: "running")
        logger.log("replaying \(path) (\(opened.format.rawValue)) at speed \(speed)", kind: .daemonStarted,
                   fields: [("REPLAY_FILE", path), ("REPLAY_SPEED", speed.description)])
        notifier.ready(status: "replaying \(path)")

        var firstTraceTime: Double? = nil
        let wallStart = WallClock.monotonic()
        let outcome = TraceReplay.run(&opened.reader, into: pipeline) { time in
            if ShutdownSignal.requested { return false }
            if case .factor(let f) = speed, let t = time {
                let t0 = firstTraceTime ?? t
                firstTraceTime = t0
                let due = wallStart + (t - t0) / f
                var wait = due - WallClock.monotonic()
                while wait > 0 && !ShutdownSignal.requested {
                    let step = min(wait, 0.2)
                    var ts = timespec(tv_sec: Int(step), tv_nsec: Int((step - Double(Int(step))) * 1e9))
                    nanosleep(&ts, nil)
                    wait = due - WallClock.monotonic()
                }
            }
            status.write()
            return !ShutdownSignal.requested
        }
        notifier.stopping()
        var code: Int32 = 0
        switch outcome {
        case .completed:
            logger.log("replay finished: \(pipeline.samples) samples, \(store.written.count) sessions", kind: .daemonStopped,
                       fields: [("SAMPLES", String(pipeline.samples)), ("SESSIONS", String(store.written.count))])
            status.set(state: "finished")
        case .interrupted:
            logger.log("stopped by signal after \(pipeline.samples) samples; open sessions ended and saved", kind: .daemonStopped)
            status.set(state: "stopped")
        case .failed(let error):
            logger.log("bad data, replay stopped: \(error)", kind: .daemonStopped, priority: .error)
            status.set(state: "failed", error: error.description)
            code = 1
        }
        for problem in store.errors + files.errors + weekly.problems.dropFirst(weeklyProblemsAtStart) {
            logger.log("storage error: \(problem)", kind: .storageError, priority: .error)
            code = 1
        }
        return code
    }
}
