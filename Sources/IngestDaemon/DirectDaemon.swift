import DirectATT
import Glibc
import HeartRateWire
import Ingest
import SystemdKit
import Traces

/// `ingestd` with `[bluetooth] backend = "direct"`: no bluetoothd; each listed strap is reached
/// over an LE L2CAP socket on the ATT channel and driven by a `StrapATTClient`. Every
/// notification goes to the strap's raw log, then through the same pipeline and sinks as the
/// BlueZ backend (`LiveShell`), so both give the same session for the same bytes.
///
/// `simulatorDirectory` replaces the radio for tests: strap AA:BB:… is then the ATT server
/// listening on `DIR/AABBCCDDEEFF.sock` (AF_UNIX SOCK_SEQPACKET).
public final class DirectDaemon {
    private let shell: LiveShell
    private let simulatorDirectory: String?
    private var straps: [DirectStrap] = []
    private var loop: EventLoop { shell.loop }
    private var logger: EventLogger { shell.logger }
    private var bluetooth: BluetoothSettings { shell.configuration.bluetooth }

    /// A direct daemon; `simulatorDirectory` stands in for the radio (tests).
    public init(configuration: IngestConfiguration, configurationPath: String?, controlSocket: String?,
                simulatorDirectory: String? = nil) {
        shell = LiveShell(configuration: configuration, configurationPath: configurationPath, controlSocket: controlSocket)
        self.simulatorDirectory = simulatorDirectory
    }

    /// Runs until SIGTERM/SIGINT; returns the exit code.
    public func run() -> Int32 {
        if simulatorDirectory == nil, let owner = Self.bluetoothdOwner() {
            shell.logger.log("backend = \"direct\" refused: bluetoothd (org.bluez, \(owner)) is running and holds the adapter; "
                             + "stop it (systemctl stop bluetooth) or use backend = \"bluez\"", kind: .configError, priority: .error)
            return 2
        }
        guard !bluetooth.directStraps.isEmpty else {
            shell.logger.log("the direct backend needs [bluetooth] straps = [\"AA:BB:CC:DD:EE:FF\", …] (it cannot scan)",
                             kind: .configError, priority: .error)
            return 2
        }
        let source = simulatorDirectory.map { "direct ATT (simulated straps in \($0))" } ?? "direct ATT over LE L2CAP (no bluetoothd)"
        guard shell.prepare(source: source) else { return 1 }
        for entry in bluetooth.directStraps {
            let address = DeviceAddress(entry.address)!
            let seed = shell.jitterSeed(for: entry.address)
            let strap = DirectStrap(entry: entry, address: address, pipeline: shell.pipeline(for: address), rawLog: shell.rawLog(for: address),
                                    backoff: ReconnectBackoff(maximum: bluetooth.maximumReconnectDelay, seed: seed))
            if bluetooth.polarECG { strap.ecg = ECGRecording() }
            straps.append(strap)
            shell.status.watch(strap.pipeline) { [unowned strap] in strap.details }
        }
        do {
            try shell.install(reloadAppliesTo: "the ATT and silence timeouts and the engine; the strap list and the reconnect cap take a restart") { [unowned self] in
                for strap in straps {
                    strap.pipeline.finish()
                    strap.rawLog.sync()
                    strap.disconnect()
                }
            }
            try loop.addTimer(after: 0) { [unowned self] in
                let now = WallClock.monotonic()
                for strap in straps { step(strap, now: now) }
                shell.status.write()
                return 0.1
            }
            try loop.addTimer(after: 1) { [unowned self] in
                for strap in straps { strap.rawLog.sync() }
                return 1
            }
        } catch {
            logger.log("setup failed: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        let list = straps.map { $0.entry.address + ($0.entry.random ? "/random" : "") }.joined(separator: ", ")
        return shell.run(readyStatus: "live (direct)", message: "live, direct ATT backend: straps \(list)")
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

    private func step(_ strap: DirectStrap, now: Double) {
        switch strap.link {
        case .retrying(let at) where now >= at:
            connect(strap, now: now)
        case .connecting(let since):
            do {
                if try strap.socket?.finishConnect() == true {
                    strap.link = .discovering(since: now)
                    send(strap, strap.client.start(), now: now)
                } else if now - since > bluetooth.acquireTimeout * 2 {
                    lost(strap, "connection not established within \(Int(bluetooth.acquireTimeout * 2)) s", now: now)
                }
            } catch {
                lost(strap, error.description, now: now)
            }
        case .discovering(let since) where now - since > bluetooth.acquireTimeout:
            send(strap, strap.client.timedOut(), now: now)
        case .streaming(let last) where now - last > bluetooth.notificationTimeout:
            lost(strap, "no notification for \(Int(bluetooth.notificationTimeout)) s", now: now)
        default:
            break
        }
    }

    private func connect(_ strap: DirectStrap, now: Double) {
        strap.client = StrapATTClient(polarECG: bluetooth.polarECG)
        strap.ecg?.connected()
        do {
            let socket = try simulatorDirectory.map { dir throws(ATTSocket.Failure) in
                try ATTSocket.unix(path: dir + "/" + strap.entry.address.filter { $0 != ":" } + ".sock", peer: strap.entry.address)
            } ?? ATTSocket.l2cap(to: strap.entry.address, random: strap.entry.random, adapter: bluetooth.adapter)
            strap.socket = socket
            strap.stream = try loop.addReadable(fd: socket.fd) { [unowned self, unowned strap] _ in readable(strap) }
            strap.link = .connecting(since: now)
        } catch {
            lost(strap, "\(error)", now: now)
        }
    }

    private func readable(_ strap: DirectStrap) {
        guard let socket = strap.socket else { return }
        let (pdus, closed) = socket.receive()
        let now = WallClock.monotonic()
        for pdu in pdus {
            if case .discovering = strap.link { strap.link = .discovering(since: now) }
            send(strap, strap.client.receive(pdu), now: now)
            if strap.socket == nil { return }
        }
        if let closed { lost(strap, "link closed (\(closed))", now: now) }
    }

    /// Carries out the client's outputs.
    private func send(_ strap: DirectStrap, _ outputs: [StrapATTClient.Output], now: Double) {
        for output in outputs {
            switch output {
            case .send(let bytes):
                do { try strap.socket?.send(bytes) } catch { return lost(strap, error.description, now: now) }
            case .streaming(let handle, let mtu):
                strap.link = .streaming(last: now)
                strap.backoff.reset()
                logger.log("strap \(strap.address) streaming (direct ATT, measurement handle \(handle), MTU \(mtu))",
                           kind: .strapConnected, fields: strap.fields)
            case .measurement(let value):
                strap.link = .streaming(last: now)
                shell.receive(value, rawLog: strap.rawLog, pipeline: strap.pipeline, fields: strap.fields)
            case .location(let raw):
                strap.location = BodySensorLocation(rawValue: raw).description
            case .battery(let percent):
                strap.battery = Int(percent)
            case .ecg(let start):
                strap.ecg?.update(start, logger: logger, address: strap.address, fields: strap.fields)
            case .ecgFrame(let value):
                strap.link = .streaming(last: now)
                strap.ecg?.record(value, shell: shell, rawLog: strap.rawLog, address: strap.address, fields: strap.fields)
            case .warning(let why):
                logger.log("strap \(strap.address): \(why)", kind: .badNotification, priority: .warning, fields: strap.fields)
            case .failed(let why, let unsupported):
                if unsupported {
                    strap.disconnect()
                    strap.link = .unsupported
                    logger.log("strap \(strap.address) unsupported: \(why)", kind: .strapLost, priority: .warning, fields: strap.fields)
                } else {
                    lost(strap, why, now: now)
                }
                return
            }
        }
    }

    /// The link is gone: close it and retry after the backoff.
    private func lost(_ strap: DirectStrap, _ why: String, now: Double) {
        let wasUp = strap.socket != nil
        strap.disconnect()
        let wait = strap.backoff.nextDelay()
        if case .streaming = strap.link { strap.reconnects += 1 }
        strap.link = .retrying(at: now + wait)
        logger.log("strap \(strap.address) lost: \(why); retrying in \(Int(wait.rounded())) s", kind: .strapLost,
                   priority: wasUp ? .warning : .info,
                   fields: strap.fields + [("LINK_REASON", why), ("RETRY_SECONDS", String(Int(wait.rounded())))])
    }
}
