import Glibc
import HeartRateWire
import Ingest
import Storage
import SystemdKit
import Traces

/// The daemon around every source (BlueZ straps, direct ATT straps, a replayed trace): storage
/// and sinks, status, metrics, the event loop, signals (stop and SIGHUP reload), the control
/// socket, the raw-log sync and the watchdog. `run(_:)` prepares it, lets the source add its
/// fds and timers to `loop`, and runs the loop until a signal, the end of a replay or the loss
/// of the bus stops it.
public final class DaemonShell {
    var configuration: IngestConfiguration
    let configurationPath: String?
    let controlSocket: String?
    public let logger: EventLogger
    let notifier = SystemdNotifier()
    let storage: StorageReport
    /// The receive-time clock (Unix seconds): the wall clock; the receive-path fuzzer steps it.
    public var receiveClock: () -> Double = WallClock.now
    private var lock: InstanceLock?
    public private(set) var status: StatusWriter!
    private(set) var loop: EventLoop!
    public private(set) var metrics: GatewayMetrics?
    private var sinks: [any PipelineSink] = []
    private var store: SessionStore?
    private var server: ControlServer?
    /// Who wears which strap (made by `prepare`).
    private(set) var athletes: AthleteDesk!

    private var source: (any DaemonSource)?
    private var statusAlarm: EventAlarm?

    /// A shell for `configuration` (re-read from `configurationPath` on SIGHUP) serving the
    /// control socket at `controlSocket` (nil: none).
    public init(configuration: IngestConfiguration, configurationPath: String?, controlSocket: String?,
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

    /// Runs `source` until it is stopped; returns the exit code (0 done or stopped by signal;
    /// 1 bad data, a lost bus, a setup failure, or storage errors when the source says they
    /// fail the run; 2 a configuration the source refuses).
    public func run(_ source: any DaemonSource) -> Int32 {
        if let refused = source.refusal(configuration: configuration, logger: logger) { return refused }
        guard prepare(source: source.description, mode: source.mode, speed: source.speed,
                      resume: source.recordsRawLogs) else { return 1 }
        self.source = source
        // On the way out: the control socket's path is removed and the source let go (it
        // holds the shell), whatever the way out was.
        defer {
            server = nil
            self.source = nil
        }
        let started: DaemonStart
        do {
            guard let s = try source.start(in: self) else { return 1 }
            started = s
            try install(source)
        } catch {
            logger.log("setup failed: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        status.set(state: "running")
        logger.log(started.message, kind: .daemonStarted, fields: started.fields)
        notifier.ready(status: started.readyStatus)
        do {
            return try loop.run()
        } catch {
            logger.log("event loop failed: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
    }

    /// The exit code of a run that ended as planned: 1 when storage errors fail the source's
    /// runs and there were some (each was reported as it happened, once per cause).
    var cleanExitCode: Int32 {
        guard let source else { return 0 }
        return source.failed || (source.storageErrorsFail && storage.total > 0) ? 1 : 0
    }

    /// Sessions saved since start.
    var sessionsWritten: Int { store?.written.count ?? 0 }

    /// Opens storage, status, sinks and the loop; false once it has logged why not. `resume`
    /// rebuilds the sessions open in the raw logs (live sources).
    public func prepare(source: String, mode: String = "live", speed: String? = nil, resume: Bool = true) -> Bool {
        let state = configuration.stateDirectory
        let store: SessionStore
        do {
            lock = try InstanceLock.claim(stateDirectory: state, controlSocket: controlSocket)
        } catch {
            logger.log("cannot start: \(error)", kind: .daemonStopped, priority: .error)
            return false
        }
        do {
            try AtomicFile.makeDirectories(state + "/sessions")
        } catch {
            logger.log("storage error: \(error)", kind: .storageError, priority: .error)
            return false
        }
        let database: StateDatabase
        var imported: [String] = []
        do {
            database = try StateDatabase.open(stateDirectory: state, problems: &imported)
        } catch {
            // Never start empty over a database that holds the history: say where and what to do.
            logger.log("cannot start: \(error)", kind: .daemonStopped, priority: .error)
            return false
        }
        for problem in imported { logger.log("storage error: \(problem)", kind: .storageError, priority: .error) }
        do {
            store = try SessionStore(stateDirectory: state, database: database)
            try AtomicFile.makeDirectories(rawDirectory)
        } catch {
            logger.log("storage error: \(error)", kind: .storageError, priority: .error)
            return false
        }
        let startedAt = ISO8601.format(WallClock.now())
        status = StatusWriter(stateDirectory: state, snapshot: StatusSnapshot(
            pid: getpid(), startedAt: startedAt, updatedAt: startedAt, state: "starting", mode: mode,
            source: source, speed: speed, devices: [], sessionsRecorded: 0,
            recentSessions: [], lastError: nil, stateDirectory: state))
        let people = AthleteStore(stateDirectory: state, database: database)
        for problem in people.problems { logger.log("storage error: \(problem)", kind: .storageError, priority: .error) }
        people.onError = storage.handler
        // Live straps start from what was learned of their wearer; a replay from the config
        // alone (as `ingestctl analyze`), so replaying a raw log reproduces its live session.
        athletes = AthleteDesk(roster: configuration.roster, store: people, logger: logger, startsFromLearned: resume)
        self.store = store
        storage.watch(store: store, status: status)
        // The store comes first (status asks it whether an ended session was saved); each
        // strap's own session files are added second by `freshPipeline`. The athletes' store
        // learns before the pipeline asks who wears the strap next.
        sinks = [store, people, logger, status]
        if configuration.metrics.enabled {
            let m = GatewayMetrics(directory: configuration.metrics.textfileDirectory, startedAt: WallClock.now())
            sinks.append(m)
            metrics = m
        }
        if resume { resumeFromRawLogs() }
        do {
            loop = try EventLoop()
            let alarm = try loop.addAlarm(accuracy: 0.05) { [unowned self] in status.pendingWriteDue() }
            status.scheduleWrite = { alarm.set(after: $0) }
            statusAlarm = alarm
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
    public func pipeline(for address: DeviceAddress, name: String? = nil) -> StrapPipeline {
        if let pipeline = resumed.removeValue(forKey: address) {
            athletes.named(address, name)
            return pipeline
        }
        return freshPipeline(for: address, name: name)
    }

    /// A new pipeline for `address` with its own session files (its RR, FIT and samples are
    /// its own, whatever other straps stream at once) and every shared sink.
    func freshPipeline(for address: DeviceAddress, name: String? = nil) -> StrapPipeline {
        let files = SessionFiles(stateDirectory: configuration.stateDirectory)
        storage.watch(files: files)
        var pipelineSinks = sinks
        pipelineSinks.insert(files, at: 1)
        let pipeline = StrapPipeline(device: address, profile: configuration.athlete, constants: configuration.engine, sinks: pipelineSinks)
        pipeline.add(sampleSink: files)
        athletes.adopt(pipeline, name: name)
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

    /// Signals (SIGTERM/SIGINT end every session and stop; SIGHUP reloads), the control
    /// socket, the raw-log sync, the metrics timer and the watchdog.
    private func install(_ source: any DaemonSource) throws {
        let state = configuration.stateDirectory
        let stop = { [unowned self] in self.stop(code: cleanExitCode, reason: "stopped by signal" + source.progress) }
        try loop.addSignal(SIGTERM, stop)
        try loop.addSignal(SIGINT, stop)
        try loop.addSignal(SIGHUP) { [unowned self] in
            if let fresh = ConfigLoader.reload(path: configurationPath, stateDirectory: state, appliesTo: source.reloadAppliesTo,
                                               notifier: notifier, logger: logger) {
                configuration = fresh
                athletes.reload(fresh.roster)
                source.reloaded()
            }
        }
        if let controlSocket {
            let database = store?.database
            let s = try ControlServer.make(path: controlSocket) { [unowned self] line in
                guard let database else { return ControlProtocol.failure("the state database is not open") }
                return ControlProtocol.respond(to: line, status: status, database: database, athletes: athletes)
            }
            try s.attach(to: loop)
            server = s
        }
        if source.recordsRawLogs {
            try loop.addTimer(after: 1) {
                source.sync()
                return 1
            }
        }
        try metrics?.start(on: loop, every: configuration.metrics.interval, logger: logger) { [unowned self] in
            status.current
        }
        try loop.enableWatchdog()
    }

    /// Runs `step`, timing it per sample folded in (`samples` counts them before and after)
    /// for the metrics.
    func timed(_ samples: () -> Int, _ step: () -> Void) {
        guard let metrics else { return step() }
        let (before, started) = (samples(), WallClock.monotonicNanoseconds())
        step()
        metrics.engine(nanoseconds: WallClock.monotonicNanoseconds() - started, samples: samples() - before)
    }

    /// The last metrics file, with the final state.
    func writeFinalMetrics() {
        metrics?.write(status.current, now: WallClock.monotonic(), logger: logger)
    }

    /// A newly adopted strap's channel: its pipeline (resumed from its raw log when a session
    /// was open at a crash) and its raw log of the day.
    public func channel(for address: DeviceAddress, name: String? = nil) -> StrapChannel {
        StrapChannel(address: address, pipeline: pipeline(for: address, name: name), rawLog: rawLog(for: address))
    }

    /// One notification from a strap: to its raw log first (stamped at the raw log's resolution,
    /// µs, so a replay of the raw log gives the engine exactly the times it had live), then to
    /// its pipeline, timed for the metrics. `fields` (the strap's journal fields) are built
    /// only when something must be said.
    public func receive(_ value: [UInt8], on channel: StrapChannel, fields: () -> [(name: String, value: String)]) {
        let micros = appendRaw(value, of: ATTUUID(.heartRateMeasurement), to: channel.rawLog, fields: fields)
        timed({ channel.pipeline.samples }) {
            channel.pipeline.handle(notification: value, characteristic: .heartRateMeasurement, time: Double(micros) / 1_000_000)
        }
        status.write()
    }

    /// A strap's battery level (%) as it reports it: into its raw log as a Battery Level value
    /// (0x2A19, one byte) when it differs from the last one logged, so a recording keeps when the
    /// strap was running down; the status shows it either way. Returns the level.
    @discardableResult
    public func receiveBattery(_ percent: UInt8, previous: Int?, on channel: StrapChannel,
                               fields: () -> [(name: String, value: String)]) -> Int {
        if previous != Int(percent) {
            appendRaw([percent], of: ATTUUID(.batteryLevel), to: channel.rawLog, fields: fields)
        }
        return Int(percent)
    }

    /// Appends one value of `characteristic` to a strap's raw log, stamped now (µs), and puts
    /// any storage problem in the journal with the strap's `fields` (built only then); returns
    /// the stamp.
    @discardableResult
    func appendRaw(_ value: [UInt8], of characteristic: ATTUUID, to rawLog: DailyRawLog,
                   fields: () -> [(name: String, value: String)]) -> Int64 {
        let micros = Int64((receiveClock() * 1_000_000).rounded())
        rawLog.append(value, of: characteristic, atMicros: micros, monotonic: WallClock.monotonic(), logger: logger, fields: fields)
        return micros
    }

    /// Ends every open session (the source's, and rebuilt ones whose strap never returned),
    /// says why, and exits the loop with `code`.
    func stop(code: Int32, reason: String) {
        notifier.stopping()
        let wasRunning = source?.finish() ?? true
        source?.sync()
        finishResumed()
        if wasRunning || code != 0 {
            status.set(state: code == 0 ? "stopped" : "failed", error: code == 0 ? nil : reason)
            let unsaved = storage.total > 0 ? "; \(storage.total) storage errors since start, see the journal" : " and saved"
            logger.log("\(reason); open sessions ended" + unsaved, kind: .daemonStopped,
                       priority: code != 0 ? .error : storage.total > 0 ? .warning : .info)
        }
        writeFinalMetrics()
        loop.exit(code: code)
    }
}
