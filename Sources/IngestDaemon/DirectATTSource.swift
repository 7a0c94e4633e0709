import DirectATT
import Glibc
import HeartRateWire
import Ingest
import SystemCall
import SystemdKit
import Traces

/// `ingestd` with `[bluetooth] backend = "direct"`: no bluetoothd; each listed strap is reached
/// over an LE L2CAP socket on the ATT channel and driven by a `StrapATTClient`. Every
/// notification goes to the strap's raw log, then through the same pipeline and sinks as the
/// BlueZ backend (`DaemonShell`), so both give the same session for the same bytes.
///
/// `simulatorDirectory` replaces the radio for tests: strap AA:BB:… is then the ATT server
/// listening on `DIR/AABBCCDDEEFF.sock` (AF_UNIX SOCK_SEQPACKET).
public final class DirectATTSource: DaemonSource {
    private var shell: DaemonShell!
    private let simulatorDirectory: String?
    private var straps: [DirectStrap] = []
    private var loop: EventLoop { shell.loop }
    private var logger: EventLogger { shell.logger }
    private var bluetooth: BluetoothSettings { shell.configuration.bluetooth }

    /// The listed straps over LE L2CAP; `simulatorDirectory` stands in for the radio (tests).
    public init(simulatorDirectory: String? = nil) {
        self.simulatorDirectory = simulatorDirectory
    }

    public var description: String {
        simulatorDirectory.map { "direct ATT (simulated straps in \($0))" } ?? "direct ATT over LE L2CAP (no bluetoothd)"
    }
    public var mode: String { "live" }
    public var speed: String? { nil }
    public var recordsRawLogs: Bool { true }
    public var reloadAppliesTo: String {
        "the ATT and silence timeouts and the engine; the strap list and the reconnect cap take a restart"
    }

    /// Refuses to run beside bluetoothd (it holds the adapter) or without a strap list.
    public func refusal(configuration: IngestConfiguration, logger: EventLogger) -> Int32? {
        if simulatorDirectory == nil, let owner = Self.bluetoothdOwner() {
            logger.log("backend = \"direct\" refused: bluetoothd (org.bluez, \(owner)) is running and holds the adapter; "
                       + "stop it (systemctl stop bluetooth) or use backend = \"bluez\"", kind: .configError, priority: .error)
            return 2
        }
        guard !configuration.bluetooth.directStraps.isEmpty else {
            logger.log("the direct backend needs [bluetooth] straps = [\"AA:BB:CC:DD:EE:FF\", …] (it cannot scan)",
                       kind: .configError, priority: .error)
            return 2
        }
        return nil
    }

    public func start(in shell: DaemonShell) throws -> DaemonStart? {
        self.shell = shell
        for entry in bluetooth.directStraps {
            guard let address = DeviceAddress(entry.address) else { continue }  // validated with the config
            let seed = shell.jitterSeed(for: entry.address)
            let strap = DirectStrap(entry: entry, address: address, channel: shell.channel(for: address),
                                    machine: StrapLinkMachine(timing: timing, seed: seed, now: WallClock.monotonic()))
            if bluetooth.polarECG { strap.ecg = ECGRecording() }
            straps.append(strap)
            shell.status.watch(strap.pipeline) { [unowned strap] in strap.details }
            strap.alarm = try loop.addAlarm { [unowned self, unowned strap] in deadline(strap) }
            for action in strap.machine.initialActions { perform(action, strap) }
            arm(strap)
        }
        let list = straps.map { $0.entry.address + ($0.entry.random ? "/random" : "") }.joined(separator: ", ")
        return DaemonStart(readyStatus: "live (direct)", message: "live, direct ATT backend: straps \(list)")
    }

    public func finish() -> Bool {
        for strap in straps {
            strap.pipeline.finish()
            strap.disconnect()
        }
        return true
    }

    public func sync() {
        for strap in straps { strap.channel.sync() }
    }

    /// The owner of org.bluez on the system bus, nil when there is none (or no bus).
    static func bluetoothdOwner() -> String? {
        guard let bus = try? Bus.system(),
              let reply = try? bus.call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                        interface: "org.freedesktop.DBus", member: "GetNameOwner",
                                        arguments: [.string("org.bluez")], timeout: 2) else { return nil }
        return reply.first?.text
    }

    // MARK: the link

    /// The link's timeouts, as the BlueZ backend's: the machine's (silence, backoff,
    /// connect, discovery), with `acquire_timeout_seconds` as the ATT transaction timeout of
    /// the discovery (each answer moves it on) and the connect timeout twice that.
    private var timing: StrapLinkTiming {
        var t = StrapLinkTiming()
        t.silenceTimeout = bluetooth.notificationTimeout
        t.acquireTimeout = bluetooth.acquireTimeout
        t.resolveTimeout = bluetooth.acquireTimeout
        t.connectTimeout = bluetooth.acquireTimeout * 2
        t.maximumBackoff = bluetooth.maximumReconnectDelay
        return t
    }

    /// Sets the strap's alarm to the machine's deadline unless it fires sooner already (a
    /// streaming deadline moves later with every notification: no re-arm per notification;
    /// the early firing finds nothing due and re-arms). Status shows the change within a second.
    private func arm(_ strap: DirectStrap) {
        if let d = strap.machine.deadline { strap.alarm?.setIfSooner(d) }
        shell.status.write()
    }

    /// The alarm: a discovery past its deadline fails with the ATT client's words (which
    /// request went unanswered); otherwise the machine checks its deadline.
    private func deadline(_ strap: DirectStrap) {
        let now = WallClock.monotonic()
        if strap.machine.state == .resolving, let d = strap.machine.deadline, now >= d {
            let outputs = strap.client.timedOut()
            if !outputs.isEmpty {
                carryOut(strap, outputs, now: now)
                return arm(strap)
            }
        }
        feed(strap, .tick)
    }

    /// Feeds the strap's machine, logs its transition (as the BlueZ backend does), carries out
    /// its actions and re-arms the alarm.
    private func feed(_ strap: DirectStrap, _ event: StrapLinkEvent) {
        let (actions, transition) = strap.machine.handle(event, now: WallClock.monotonic())
        if let transition {
            StrapLinkJournal.log(transition, address: strap.address, machine: strap.machine, fields: strap.fields, logger: logger)
        }
        for action in actions { perform(action, strap) }
        arm(strap)
    }

    /// The machine's actions, the direct way.
    private func perform(_ action: StrapLinkAction, _ strap: DirectStrap) {
        switch action {
        case .connect:
            connect(strap)
        case .discover:
            carryOut(strap, strap.client.start(), now: WallClock.monotonic())
        case .closeStream, .disconnect:
            strap.disconnect()
        case .readDetails, .acquireNotify, .startNotify:
            break  // BlueZ's steps: the ATT client reads and subscribes during its discovery
        }
    }

    private func connect(_ strap: DirectStrap) {
        strap.client = StrapATTClient(polarECG: bluetooth.polarECG)
        strap.ecg?.connected()
        do {
            let socket = try simulatorDirectory.map { dir throws(SystemCallError) in
                try ATTSocket.unix(path: dir + "/" + strap.entry.address.filter { $0 != ":" } + ".sock", peer: strap.entry.address)
            } ?? ATTSocket.l2cap(to: strap.entry.address, random: strap.entry.random, adapter: bluetooth.adapter)
            strap.socket = socket
            // One epoll registration per fd: writability (the connect's end) first, then input.
            strap.connecting = try loop.addWritable(fd: socket.fd) { [unowned self, unowned strap] _ in connected(strap) }
        } catch {
            strap.disconnect()
            feed(strap, .connectFailed("\(error)"))
        }
    }

    /// The pending connect ended (the socket became writable): up, or why not.
    private func connected(_ strap: DirectStrap) {
        strap.connecting?.cancel()
        strap.connecting = nil
        guard strap.machine.state == .connecting, let socket = strap.socket else { return }
        do {
            try socket.finishConnect()
            strap.stream = try loop.addReadable(fd: socket.fd) { [unowned self, unowned strap] _ in readable(strap) }
        } catch {
            strap.disconnect()
            return feed(strap, .connectFailed("\(error)"))
        }
        feed(strap, .connectSucceeded)
    }

    private func readable(_ strap: DirectStrap) {
        guard let socket = strap.socket else { return }
        let now = WallClock.monotonic()
        var released = false
        let closed = socket.receive { pdu in
            guard !released else { return }
            if let range = strap.client.measurementValueRange(in: pdu) {
                // A streaming strap's measurement: straight to the shell, in a reused array.
                strap.value.removeAll(keepingCapacity: true)
                strap.value.append(contentsOf: pdu[range])
                shell.receive(strap.value, on: strap.channel, fields: { strap.fields })
                feed(strap, .notification)
            } else {
                if strap.machine.state == .resolving { feed(strap, .progress) }
                carryOut(strap, strap.client.receive(pdu), now: now)
            }
            released = strap.socket == nil
        }
        if let closed, !released { feed(strap, .linkFailed("link closed (\(closed))")) }
    }

    /// Carries out the ATT client's outputs.
    private func carryOut(_ strap: DirectStrap, _ outputs: [StrapATTClient.Output], now: Double) {
        for output in outputs {
            switch output {
            case .send(let bytes):
                do { try strap.socket?.send(bytes) } catch { return feed(strap, .linkFailed(error.description)) }
            case .streaming(let handle, let mtu):
                feed(strap, .subscribed(.att, detail: "direct ATT, measurement handle \(handle), MTU \(mtu)"))
            case .measurement(let value):
                shell.receive(value, on: strap.channel, fields: { strap.fields })
                feed(strap, .notification)
            case .location(let raw):
                strap.location = BodySensorLocation(rawValue: raw).description
            case .battery(let percent):
                strap.battery = shell.receiveBattery(percent, previous: strap.battery, on: strap.channel, fields: { strap.fields })
            case .ecg(let start):
                strap.ecg?.update(start, logger: logger, address: strap.address, fields: strap.fields)
            case .ecgFrame(let value):
                strap.ecg?.record(value, shell: shell, rawLog: strap.rawLog, address: strap.address, fields: { strap.fields })
                feed(strap, .notification)
            case .warning(let why):
                logger.log("strap \(strap.address): \(why)", kind: .badNotification, priority: .warning, fields: strap.fields)
            case .failed(let why, let unsupported):
                return feed(strap, unsupported ? .unsupported(why) : .linkFailed(why))
            }
        }
    }
}
