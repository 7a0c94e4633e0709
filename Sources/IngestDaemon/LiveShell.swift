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
    let logger: EventLogger
    let notifier = SystemdNotifier()
    let storage: StorageReport
    /// The receive-time clock (Unix seconds): the wall clock; the receive-path fuzzer steps it.
    var receiveClock: () -> Double = WallClock.now
    private var lock: InstanceLock?
    private(set) var status: StatusWriter!
    private(set) var loop: EventLoop!
    private(set) var metrics: GatewayMetrics?
    private var sinks: [any PipelineSink] = []
    private var files: SessionFiles!
    private var server: ControlServer?

    init(configuration: IngestConfiguration, configurationPath: String?, controlSocket: String?,
         logger: EventLogger = EventLogger()) {
        self.logger = logger
        self.configuration = configuration
        self.configurationPath = configurationPath
        self.controlSocket = controlSocket
        storage = StorageReport(logger: logger)
    }

    /// Where each strap's raw log of the day goes.
    var rawDirectory: String { configuration.stateDirectory + "/raw" }

    /// A newly adopted strap's raw log, reporting into this shell's storage report.
    func rawLog(for address: DeviceAddress) -> DailyRawLog {
        DailyRawLog(address: address, directory: rawDirectory, report: storage)
    }

    /// Opens storage, status, sinks and the loop; false once it has logged why not.
    func prepare(source: String) -> Bool {
        let state = configuration.stateDirectory
        let store: SessionStore
        do {
            lock = try InstanceLock.claim(stateDirectory: state, controlSocket: controlSocket)
        } catch {
            logger.log("cannot start: \(error)", kind: .daemonStopped, priority: .error)
            return false
        }
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
        storage.watch(store: store, files: files, weekly: weekly, status: status)
        sinks = [store, files, weekly, logger, status]
        if configuration.metrics.enabled {
            let m = GatewayMetrics(directory: configuration.metrics.textfileDirectory, startedAt: WallClock.now())
            sinks.append(m)
            metrics = m
        }
        resumeFromRawLogs()
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

    /// A pipeline for a newly adopted strap, with every sink: the one rebuilt from its raw log
    /// at start when there is one (its open session goes on), else a fresh one.
    func pipeline(for address: DeviceAddress) -> StrapPipeline {
        resumed.removeValue(forKey: address) ?? freshPipeline(for: address)
    }

    private func freshPipeline(for address: DeviceAddress) -> StrapPipeline {
        let pipeline = StrapPipeline(device: address, profile: configuration.athlete, constants: configuration.engine, sinks: sinks)
        pipeline.add(sampleSink: files)
        return pipeline
    }

    /// Pipelines rebuilt at start whose strap has not been adopted yet.
    private var resumed: [DeviceAddress: StrapPipeline] = [:]

    /// After a crash (SIGKILL, power loss) the engine's state is gone but every notification is
    /// in the raw logs: yesterday's and today's log of each strap are fed back through a fresh
    /// pipeline with its events muted (what ended before was saved then), so a session that was
    /// open continues when the strap streams again, or is closed and saved at stop. What was
    /// lost is at most what had not reached the raw log: the notifications in flight.
    func resumeFromRawLogs() {
        let today = Int((WallClock.now() / 86_400).rounded(.down))
        var logs: [DeviceAddress: [String]] = [:]
        for name in SessionStore.names(in: rawDirectory).sorted() where name.hasSuffix(".wiraw") {
            guard let (address, day) = DailyRawLog.strapAndDay(fileName: name), day >= today - 1 else { continue }
            logs[address, default: []].append(rawDirectory + "/" + name)
        }
        for (address, paths) in logs {
            let pipeline = freshPipeline(for: address)
            pipeline.broadcasting = false
            var damage: [String] = []
            for path in paths {
                do {
                    var reader = RawLogReader(try FileByteSource(path: path), name: path)
                    while let n = try reader.nextNotification() {
                        if n.device == address { pipeline.handle(.notification(n)) }
                    }
                    damage += reader.damage
                } catch {
                    damage.append("\(error)")
                }
            }
            pipeline.broadcasting = true
            let replayed = pipeline.samples
            pipeline.resetCounts()
            for d in damage { logger.log("raw log: \(d)", kind: .storageError, priority: .warning) }
            if let id = pipeline.announceOpenSession() {
                logger.log("strap \(address): session \(id) resumed from its raw log after a restart (\(replayed) samples replayed)",
                           kind: .strapState, fields: [("DEVICE_ADDRESS", address.description), ("SESSION_ID", id)])
            }
            resumed[address] = pipeline
        }
    }

    /// Ends the sessions of rebuilt pipelines whose strap never came back (at stop).
    func finishResumed() {
        for pipeline in resumed.values { pipeline.finish() }
        resumed.removeAll()
    }

    /// Signals (SIGTERM/SIGINT call `finishStraps`, then stop; SIGHUP reloads), the control
    /// socket, the metrics timer and the watchdog.
    func install(reloadAppliesTo: String, reloaded: @escaping () -> Void = {}, finishStraps: @escaping () -> Void) throws {
        let state = configuration.stateDirectory
        let stop = { [unowned self] in self.stop(code: 0, reason: "stopped by signal", finishStraps: finishStraps) }
        try loop.addSignal(SIGTERM, stop)
        try loop.addSignal(SIGINT, stop)
        try loop.addSignal(SIGHUP) { [unowned self] in
            if let fresh = ConfigLoader.reload(path: configurationPath, stateDirectory: state, appliesTo: reloadAppliesTo,
                                               notifier: notifier, logger: logger) {
                configuration = fresh
                reloaded()
            }
        }
        if let controlSocket {
            let catalog = SessionCatalog(stateDirectory: state)
            _ = catalog.json()  // decode what is stored once, at start, not in a request
            let s = try ControlServer.make(path: controlSocket) { [unowned self] line in
                ControlProtocol.respond(to: line, status: status, sessions: catalog, stateDirectory: state, genotype: configuration.ftoGenotype)
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
        let micros = Int64((receiveClock() * 1_000_000).rounded())
        rawLog.append(value, of: characteristic, atMicros: micros, monotonic: WallClock.monotonic(), logger: logger, fields: fields)
        return micros
    }

    /// Ends every open session (the backend's straps through `finishStraps`, and rebuilt ones
    /// whose strap never returned), says why, and exits the loop with `code`.
    func stop(code: Int32, reason: String, finishStraps: () -> Void) {
        notifier.stopping()
        finishStraps()
        finishResumed()
        status.set(state: code == 0 ? "stopped" : "failed", error: code == 0 ? nil : reason)
        metrics?.write(status.current, now: WallClock.monotonic(), logger: logger)
        let unsaved = storage.total > 0 ? "; \(storage.total) storage errors since start, see the journal" : " and saved"
        logger.log("\(reason); open sessions ended" + unsaved, kind: .daemonStopped,
                   priority: code != 0 ? .error : storage.total > 0 ? .warning : .info)
        loop.exit(code: code)
    }

    /// Marks the daemon running, says `message`, and runs the loop until stopped.
    func run(readyStatus: String, message: String) -> Int32 {
        status.set(state: "running")
        logger.log(message, kind: .daemonStarted)
        notifier.ready(status: readyStatus)
        do {
            return try loop.run()
        } catch {
            return 1
        }
    }
}
