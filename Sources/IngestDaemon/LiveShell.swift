import Glibc
import HeartRateWire
import Ingest
import SystemdKit
import Traces

/// What both live backends (BlueZ and direct ATT) share around their straps: storage and sinks,
/// status, metrics, the event loop, stop and SIGHUP reload, the control socket and the watchdog.
/// A backend prepares the shell, adds its own sources to `loop`, and runs it.
final class LiveShell {
    var configuration: IngestConfiguration
    let configurationPath: String?
    let controlSocket: String?
    let logger = EventLogger()
    let notifier = SystemdNotifier()
    private(set) var status: StatusWriter!
    private(set) var loop: EventLoop!
    private(set) var metrics: GatewayMetrics?
    private var sinks: [any PipelineSink] = []
    private var files: SessionFiles!
    private var server: ControlServer?

    init(configuration: IngestConfiguration, configurationPath: String?, controlSocket: String?) {
        self.configuration = configuration
        self.configurationPath = configurationPath
        self.controlSocket = controlSocket
    }

    /// Where each strap's raw log of the day goes.
    var rawDirectory: String { configuration.stateDirectory + "/raw" }

    /// Opens storage, status, sinks and the loop; false once it has logged why not.
    func prepare(source: String) -> Bool {
        let state = configuration.stateDirectory
        let store: SessionStore
        do {
            store = try SessionStore(stateDirectory: state)
            try AtomicFile.makeDirectories(rawDirectory)
        } catch {
            logger.log("storage error: \(error)", kind: .storageError, priority: .error)
            return false
        }
        let startedAt = ISO8601.format(WallClock.now())
        status = StatusWriter(stateDirectory: state, snapshot: StatusSnapshot(
            pid: getpid(), startedAt: startedAt, updatedAt: startedAt, state: "starting", mode: "live",
            source: source, speed: nil, devices: [], sessionsRecorded: 0,
            recentSessions: [], lastError: nil, stateDirectory: state))
        let weekly = WeeklyStore(stateDirectory: state)
        for problem in weekly.problems { logger.log("storage error: \(problem)", kind: .storageError, priority: .error) }
        files = SessionFiles(stateDirectory: state)
        sinks = [store, files, weekly, logger, status]
        if configuration.metrics.enabled {
            let m = GatewayMetrics(directory: configuration.metrics.textfileDirectory, startedAt: WallClock.now())
            sinks.append(m)
            metrics = m
        }
        do {
            loop = try EventLoop()
        } catch {
            logger.log("event loop: \(error)", kind: .daemonStopped, priority: .error)
            return false
        }
        return true
    }

    /// The reconnect-jitter seed of a newly adopted strap: its address and the start time, so
    /// straps (and gateways) do not retry in step.
    func jitterSeed(for address: String) -> UInt64 {
        UInt64(truncatingIfNeeded: address.hashValue) ^ UInt64(WallClock.now() * 1e6)
    }

    /// A pipeline for a newly adopted strap, with every sink.
    func pipeline(for address: DeviceAddress) -> StrapPipeline {
        let pipeline = StrapPipeline(device: address, profile: configuration.athlete, constants: configuration.engine, sinks: sinks)
        pipeline.add(sampleSink: files)
        return pipeline
    }

    /// Signals (SIGTERM/SIGINT call `finishStraps`, then stop; SIGHUP reloads), the control
    /// socket, the metrics timer and the watchdog.
    func install(reloadAppliesTo: String, finishStraps: @escaping () -> Void) throws {
        let state = configuration.stateDirectory
        let stop = { [unowned self] in
            notifier.stopping()
            finishStraps()
            status.set(state: "stopped")
            metrics?.write(status.current, now: WallClock.monotonic(), logger: logger)
            logger.log("stopped by signal; open sessions ended and saved", kind: .daemonStopped)
            loop.exit(code: 0)
        }
        try loop.addSignal(SIGTERM, stop)
        try loop.addSignal(SIGINT, stop)
        try loop.addSignal(SIGHUP) { [unowned self] in
            if let fresh = ConfigLoader.reload(path: configurationPath, stateDirectory: state, appliesTo: reloadAppliesTo,
                                               notifier: notifier, logger: logger) {
                configuration = fresh
            }
        }
        if let controlSocket {
            let s = try ControlServer.make(path: controlSocket) { [unowned self] line in
                ControlProtocol.respond(to: line, status: status, stateDirectory: state, genotype: configuration.ftoGenotype)
            }
            try s.attach(to: loop)
            server = s
        }
        try metrics?.start(on: loop, every: configuration.metrics.interval, logger: logger) { [unowned self] in
            status.current
        }
        try loop.enableWatchdog()
    }

    /// One notification from a strap: to its raw log first (stamped at the raw log's resolution,
    /// µs, so a replay of the raw log gives the engine exactly the times it had live), then to
    /// its pipeline, timed for the metrics.
    func receive(_ value: [UInt8], rawLog: DailyRawLog, pipeline: StrapPipeline, fields: [(name: String, value: String)]) {
        let micros = appendRaw(value, of: ATTUUID(.heartRateMeasurement), to: rawLog, fields: fields)
        let started = metrics == nil ? 0 : WallClock.monotonicNanoseconds()
        pipeline.handle(notification: value, characteristic: .heartRateMeasurement, time: Double(micros) / 1_000_000)
        metrics?.engine(nanoseconds: WallClock.monotonicNanoseconds() - started, samples: 1)
    }

    /// Appends one value of `characteristic` to a strap's raw log, stamped now (µs), and puts
    /// any storage problem in the journal; returns the stamp.
    @discardableResult
    func appendRaw(_ value: [UInt8], of characteristic: ATTUUID, to rawLog: DailyRawLog,
                   fields: [(name: String, value: String)]) -> Int64 {
        let micros = Int64((WallClock.now() * 1_000_000).rounded())
        if let problem = rawLog.append(value, of: characteristic, atMicros: micros, monotonic: WallClock.monotonic()) {
            logger.log(problem, kind: .storageError, priority: problem.hasPrefix("storage") ? .error : .warning, fields: fields)
        }
        return micros
    }

    /// Marks the daemon running, says `message`, and runs the loop until stopped.
    func run(readyStatus: String, message: String) -> Int32 {
        status.set(state: "running")
        logger.log(message, kind: .daemonStarted)
        notifier.ready(status: readyStatus)
        do {
            _ = try loop.run()
        } catch {
            return 1
        }
        return 0
    }
}
