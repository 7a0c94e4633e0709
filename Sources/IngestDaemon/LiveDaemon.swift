import BlueZ
import Glibc
import HeartRateWire
import Ingest
import SystemdKit
import Traces

/// `ingestd` without `--replay`: live straps through BlueZ on the system bus, on the same loop
/// and through the same pipeline and sinks as a replay. Every notification is also appended to
/// the strap's raw log of the day (`raw/ADDRESS-YYYYMMDD.wiraw`), synced once a second.
public final class LiveDaemon {
    /// One strap's link: discovered → connecting → resolving → streaming → lost (→ connecting).
    final class Strap {
        enum State { case connecting, resolving, streaming, lost(until: Double) }
        let path: String
        let address: DeviceAddress
        var state = State.connecting
        var pending: CallbackRegistration?
        var stream: CallbackRegistration?
        var fd: Int32 = -1
        var failures = 0
        let pipeline: StrapPipeline
        var rawLog: RawLogWriter?
        var rawDay = -1

        init(path: String, address: DeviceAddress, pipeline: StrapPipeline) {
            self.path = path
            self.address = address
            self.pipeline = pipeline
        }
    }

    private let configuration: IngestConfiguration
    private let configurationPath: String?
    private let controlSocket: String?
    private var straps: [String: Strap] = [:]

    /// A live daemon.
    public init(configuration: IngestConfiguration, configurationPath: String?, controlSocket: String?) {
        self.configuration = configuration
        self.configurationPath = configurationPath
        self.controlSocket = controlSocket
    }

    /// Runs until SIGTERM/SIGINT; returns the exit code.
    public func run() -> Int32 {
        let logger = EventLogger()
        let notifier = SystemdNotifier()
        let state = configuration.stateDirectory
        let store: SessionStore
        do {
            store = try SessionStore(stateDirectory: state)
            try AtomicFile.makeDirectories(state + "/raw")
        } catch {
            logger.log("storage error: \(error)", kind: .storageError, priority: .error)
            return 1
        }
        let startedAt = ISO8601.format(WallClock.now())
        let status = StatusWriter(stateDirectory: state, snapshot: StatusSnapshot(
            pid: getpid(), startedAt: startedAt, updatedAt: startedAt, state: "starting", mode: "live",
            source: "BlueZ (org.bluez on the system bus)", speed: nil, devices: [], sessionsRecorded: 0,
            recentSessions: [], lastError: nil, stateDirectory: state))
        let weekly = WeeklyStore(stateDirectory: state)
        let files = SessionFiles(stateDirectory: state)
        let loop: EventLoop
        let bus: Bus
        do {
            loop = try EventLoop()
            bus = try Bus.system()
            try bus.attach(to: loop)
        } catch {
            logger.log("cannot reach the system bus: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        var objects: BlueZObjects? = nil
        var adapter: String? = nil
        var server: ControlServer? = nil
        let stop = { [unowned self] in
            notifier.stopping()
            for strap in self.straps.values {
                strap.pipeline.finish()
                strap.rawLog?.sync()
            }
            status.set(state: "stopped")
            logger.log("stopped by signal; open sessions ended and saved", kind: .daemonStopped)
            loop.exit(code: 0)
        }
        do {
            try loop.addSignal(SIGTERM, stop)
            try loop.addSignal(SIGINT, stop)
            if let controlSocket {
                let s = try ControlServer(path: controlSocket) { line in
                    ControlProtocol.respond(to: line, status: status, stateDirectory: state, genotype: self.configuration.ftoGenotype)
                }
                try s.attach(to: loop)
                server = s
            }
            try loop.addTimer(after: 0) { [unowned self] in
                // Find bluetoothd, then an adapter, then keep discovering and linking straps.
                if objects == nil {
                    objects = try? BlueZObjects(bus: bus)
                    if objects == nil { return 2 }
                }
                guard let o = objects else { return 2 }
                if adapter == nil, let first = o.mirror.paths(implementing: BlueZObjects.adapterInterface).first {
                    do {
                        if o.mirror.property("Powered", of: first, interface: BlueZObjects.adapterInterface) != .bool(true) {
                            try o.set("Powered", of: first, interface: BlueZObjects.adapterInterface, to: .bool(true))
                        }
                        try StrapDiscovery.start(on: first, bus: bus)
                        adapter = first
                        logger.log("discovering heart-rate straps on \(first)", kind: .daemonStarted, fields: [("ADAPTER", first)])
                    } catch {
                        logger.log("adapter \(first): \(error)", kind: .daemonStarted, priority: .warning)
                        return 2
                    }
                }
                guard let adapter else { return 1 }
                for found in StrapDiscovery.straps(in: o.mirror, adapter: adapter) where self.straps[found.path] == nil {
                    guard let address = DeviceAddress(found.address) else { continue }
                    let pipeline = StrapPipeline(device: address, profile: self.configuration.athlete,
                                                 constants: self.configuration.engine, sinks: [store, files, weekly, logger, status])
                    pipeline.add(sampleSink: files)
                    if self.straps.isEmpty { status.watch(pipeline) }
                    self.straps[found.path] = Strap(path: found.path, address: address, pipeline: pipeline)
                    logger.log("strap \(found.address) (\(found.name ?? "unnamed")) found", kind: .daemonStarted,
                               fields: [("DEVICE_ADDRESS", found.address)])
                }
                for strap in self.straps.values { self.advance(strap, objects: o, bus: bus, loop: loop, logger: logger) }
                status.write()
                return 0.5
            }
            try loop.addTimer(after: 1) { [unowned self] in
                for strap in self.straps.values { strap.rawLog?.sync() }
                return 1
            }
            try loop.enableWatchdog()
        } catch {
            logger.log("setup failed: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        status.set(state: "running")
        logger.log("live: waiting for bluetoothd and heart-rate straps", kind: .daemonStarted)
        notifier.ready(status: "live")
        do {
            _ = try loop.run()
        } catch {
            return 1
        }
        withExtendedLifetime((server, objects)) {}
        return 0
    }

    /// One step of a strap's state machine; async bus calls never block the loop.
    private func advance(_ strap: Strap, objects: BlueZObjects, bus: Bus, loop: EventLoop, logger: EventLogger) {
        switch strap.state {
        case .connecting:
            guard strap.pending == nil else { return }
            strap.pending = try? bus.callAsync(destination: BlueZObjects.service, path: strap.path,
                                               interface: BlueZObjects.deviceInterface, member: "Connect") { [unowned strap] result in
                strap.pending = nil
                switch result {
                case .success:
                    strap.state = .resolving
                    logger.log("strap \(strap.address) connected", kind: .daemonStarted, fields: [("DEVICE_ADDRESS", strap.address.description)])
                case .failure(let e):
                    self.lose(strap, because: e.description, logger: logger)
                }
            }
        case .resolving:
            guard strap.pending == nil, StrapLink.servicesResolved(strap.path, in: objects.mirror),
                  let characteristic = StrapLink.measurementCharacteristic(of: strap.path, in: objects.mirror) else { return }
            strap.pending = try? bus.callAsync(destination: BlueZObjects.service, path: characteristic,
                                               interface: BlueZObjects.characteristicInterface, member: "AcquireNotify",
                                               arguments: [.array(elementSignature: "{sv}", [])]) { [unowned strap] result in
                strap.pending = nil
                guard case .success(let reply) = result, reply.count == 2, case .unixFD(let fd) = reply[0] else {
                    self.lose(strap, because: "AcquireNotify failed: \(result)", logger: logger)
                    return
                }
                strap.fd = fd
                strap.failures = 0
                strap.state = .streaming
                strap.stream = try? loop.addReadable(fd: fd) { [unowned strap] _ in self.read(strap, logger: logger) }
            }
        case .streaming:
            return
        case .lost(let until):
            if WallClock.monotonic() >= until { strap.state = .connecting }
        }
    }

    private func read(_ strap: Strap, logger: EventLogger) {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { recv(strap.fd, $0.baseAddress, 512, Int32(MSG_DONTWAIT)) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        guard n > 0 else { return lose(strap, because: "notification stream ended", logger: logger) }
        let now = WallClock.now()
        let value = Array(buffer[0..<n])
        appendRaw(strap, value: value, at: now, logger: logger)
        strap.pipeline.handle(notification: value, characteristic: .heartRateMeasurement, time: now)
    }

    private func appendRaw(_ strap: Strap, value: [UInt8], at time: Double, logger: EventLogger) {
        let day = Int((time / 86_400).rounded(.down))
        if strap.rawDay != day || strap.rawLog == nil {
            strap.rawLog?.sync()
            let date = ISO8601.format(Double(day) * 86_400).prefix(10).filter { $0 != "-" }
            let path = configuration.stateDirectory + "/raw/" + strap.address.description.filter { $0 != ":" } + "-" + date + ".wiraw"
            do {
                let writer = try RawLogWriter(path: path)
                if let cut = writer.repairedTail { logger.log("raw log \(path): \(cut)", kind: .storageError, priority: .warning) }
                strap.rawLog = writer
                strap.rawDay = day
            } catch {
                logger.log("storage error: \(error)", kind: .storageError, priority: .error)
                return
            }
        }
        do {
            try strap.rawLog?.append(RawNotification(receiveTimeMicros: Int64(time * 1_000_000),
                                                     monotonicMicros: Int64(WallClock.monotonic() * 1_000_000),
                                                     device: strap.address, characteristic: .heartRateMeasurement, value: value))
        } catch {
            logger.log("storage error: \(error)", kind: .storageError, priority: .error)
        }
    }

    /// Drops the link and schedules a reconnect with capped exponential backoff and jitter.
    private func lose(_ strap: Strap, because reason: String, logger: EventLogger) {
        strap.stream?.cancel()
        if strap.fd >= 0 { close(strap.fd) }
        strap.fd = -1
        strap.failures += 1
        let backoff = min(60, Double(1 << min(strap.failures, 6))) * Double.random(in: 0.8...1.2)
        strap.state = .lost(until: WallClock.monotonic() + backoff)
        logger.log("strap \(strap.address) lost: \(reason); retrying in \(Int(backoff)) s", kind: .daemonStopped,
                   priority: .warning, fields: [("DEVICE_ADDRESS", strap.address.description)])
    }
}
