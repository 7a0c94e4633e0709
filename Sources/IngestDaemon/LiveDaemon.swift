import BlueZ
import Glibc
import HeartRateWire
import Ingest
import SystemdKit
import Traces

/// `ingestd` without `--replay`: live straps through BlueZ on the system bus, on the same loop
/// and through the same pipeline and sinks as a replay. Each adopted strap runs its own
/// `StrapLinkMachine`; this class carries out its actions with async bus calls (never blocking
/// the loop), watches bluetoothd come and go (NameOwnerChanged), and scans only while a wanted
/// strap is missing. Every notification is appended to the strap's raw log of the day
/// (`raw/ADDRESS-YYYYMMDD.wiraw`, synced once a second) before the engine sees it.
public final class LiveDaemon {
    private let shell: LiveShell
    private var configuration: IngestConfiguration { shell.configuration }
    /// Adopted straps by address (a strap keeps its engine and session across adapters).
    private var straps: [String: LiveStrap] = [:]
    private var objects: BlueZObjects?
    private var adapter: String?
    private var discovering = false
    private var bus: Bus!
    private var loop: EventLoop { shell.loop }
    private var logger: EventLogger { shell.logger }
    private var status: StatusWriter { shell.status }
    private var bluezSlot: BusSlot?
    private var busLostSlot: BusSlot?
    /// Straps let go after a reload, kept while their last bus calls are in flight.
    private var released: [LiveStrap] = []
    private var lastBlueZAttempt = -10.0

    /// A live daemon.
    public init(configuration: IngestConfiguration, configurationPath: String?, controlSocket: String?) {
        shell = LiveShell(configuration: configuration, configurationPath: configurationPath, controlSocket: controlSocket)
    }

    private var timing: StrapLinkTiming {
        var t = StrapLinkTiming()
        t.silenceTimeout = configuration.bluetooth.notificationTimeout
        t.acquireTimeout = configuration.bluetooth.acquireTimeout
        t.maximumBackoff = configuration.bluetooth.maximumReconnectDelay
        return t
    }

    /// Runs until SIGTERM/SIGINT; returns the exit code.
    public func run() -> Int32 {
        guard shell.prepare(source: "BlueZ (org.bluez on the system bus)") else { return 1 }
        do {
            bus = try Bus.system()
            try bus.attach(to: loop)
        } catch {
            logger.log("cannot reach the system bus: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        do {
            try shell.install(reloadAppliesTo: "which straps are adopted (straps no longer allowed are released) and to straps found from now on",
                              reloaded: { [unowned self] in self.releaseStrapsNoLongerAllowed() }) { [unowned self] in
                for strap in straps.values {
                    strap.pipeline.finish()
                    strap.syncRaw()
                }
            }
            // sd-bus says a lost connection with a local Disconnected signal. Without the bus
            // there is no strap: end and save what is open, then exit non-zero so Restart=
            // brings the daemon back on a new connection.
            busLostSlot = try bus.onSignal(path: "/org/freedesktop/DBus/Local", interface: "org.freedesktop.DBus.Local",
                                           member: "Disconnected") { [unowned self] _ in
                self.shell.stop(code: 1, reason: "lost the system bus (dbus-daemon restarted or gone)") {
                    for strap in self.straps.values {
                        strap.pipeline.finish()
                        strap.syncRaw()
                    }
                }
            }
            bluezSlot = try bus.onSignal(sender: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                         interface: "org.freedesktop.DBus", member: "NameOwnerChanged") { [unowned self] signal in
                guard signal.arguments.count == 3, signal.arguments[0].text == BlueZObjects.service else { return }
                self.bluetoothdChanged(owner: signal.arguments[2].text ?? "")
            }
            try loop.addTimer(after: 0) { [unowned self] in
                self.tick()
                return 0.5
            }
            try loop.addTimer(after: 1) { [unowned self] in
                for strap in self.straps.values { strap.syncRaw() }
                return 1
            }
        } catch {
            logger.log("setup failed: \(error)", kind: .daemonStopped, priority: .error)
            return 1
        }
        return shell.run(readyStatus: "live",
                         message: "live: waiting for bluetoothd and heart-rate straps (\(describe(configuration.bluetooth.straps)))")
    }

    private func describe(_ selection: BluetoothSettings.StrapSelection) -> String {
        switch selection {
        case .any: "any strap"
        case .only(let list): "only " + list.joined(separator: ", ")
        }
    }

    /// After SIGHUP: a strap the new allow-list does not admit is let go at once (its session
    /// ended and saved, its link closed and disconnected), not left streaming until a restart.
    private func releaseStrapsNoLongerAllowed() {
        for (key, strap) in straps where !configuration.bluetooth.straps.admits(address: strap.address.description, name: strap.name) {
            for call in strap.calls.values { call.cancel() }
            strap.calls.removeAll()
            strap.closeStream()
            call(strap, "disconnect", path: strap.path, interface: BlueZObjects.deviceInterface, member: "Disconnect") { _ in }
            strap.pipeline.finish()
            strap.syncRaw()
            status.unwatch(strap.pipeline)
            straps[key] = nil
            released.append(strap)  // its Disconnect call still holds it (unowned) until answered
            logger.log("strap \(strap.address) is no longer allowed (configuration reloaded); released", kind: .strapLost,
                       fields: strap.fields)
        }
    }

    // MARK: bluetoothd

    /// org.bluez changed hands: gone parks every link; back rebuilds the mirror and reconnects.
    private func bluetoothdChanged(owner: String) {
        if owner.isEmpty {
            logger.log("bluetoothd left the system bus; waiting for it to return", kind: .bluetoothd, priority: .warning)
            objects?.clear()
            adapter = nil
            discovering = false
            for strap in straps.values { feed(strap, .bluetoothdLost) }
        } else {
            logger.log("bluetoothd is on the system bus (\(owner)); rebuilding the device list", kind: .bluetoothd)
            if let objects {
                do { try objects.reload() } catch { logger.log("GetManagedObjects: \(error)", kind: .bluetoothd, priority: .warning) }
            } else {
                connectBlueZ()
            }
            for strap in straps.values { feed(strap, .bluetoothdBack) }
        }
    }

    private func connectBlueZ() {
        lastBlueZAttempt = WallClock.monotonic()
        do {
            let o = try BlueZObjects(bus: bus)
            o.onValue = { [unowned self] path, value in self.valueChanged(path: path, value: value) }
            o.onDeviceSeen = { [unowned self] path in
                for strap in self.straps.values where strap.path == path || path.hasSuffix("dev_" + strap.address.description.split(separator: ":").joined(separator: "_")) {
                    self.feed(strap, .seen)
                }
            }
            objects = o
        } catch {
            // Not there yet: NameOwnerChanged (or the next attempt) brings it.
        }
    }

    // MARK: the periodic step

    private func tick() {
        if objects == nil && WallClock.monotonic() - lastBlueZAttempt >= 2 { connectBlueZ() }
        guard let o = objects else { return }
        if adapter == nil || o.mirror.objects[adapter!] == nil { chooseAdapter(o) }
        if let adapter { adopt(o, adapter: adapter) }
        for strap in straps.values { step(strap, mirror: o.mirror) }
        scanOnlyWhileNeeded()
        status.write()
    }

    private func chooseAdapter(_ o: BlueZObjects) {
        if adapter != nil {
            logger.log("adapter \(adapter!) vanished", kind: .adapter, priority: .warning)
            adapter = nil
            discovering = false
        }
        let wanted = configuration.bluetooth.adapter
        let candidates = o.mirror.paths(implementing: BlueZObjects.adapterInterface).sorted()
        guard let path = wanted.isEmpty ? candidates.first : candidates.first(where: { $0.hasSuffix("/" + wanted) }) else { return }
        if o.mirror.property("Powered", of: path, interface: BlueZObjects.adapterInterface) != .bool(true) {
            guard configuration.bluetooth.powerOnAdapter else { return }
            do {
                try o.set("Powered", of: path, interface: BlueZObjects.adapterInterface, to: .bool(true))
            } catch {
                logger.log("adapter \(path): cannot power on: \(error)", kind: .adapter, priority: .warning)
                return
            }
        }
        adapter = path
        logger.log("using adapter \(path)", kind: .adapter, fields: [("ADAPTER", path)])
    }

    /// Starts scanning while a wanted strap is not streaming; with an allow-list, stops once every
    /// listed strap streams (scanning costs radio time the links need).
    private func scanOnlyWhileNeeded() {
        guard let adapter else { return }
        let needed: Bool
        switch configuration.bluetooth.straps {
        case .any:
            needed = true
        case .only(let list):
            needed = !list.allSatisfy { wanted in
                straps.values.contains { s in
                    if case .streaming = s.machine.state {
                        return BluetoothSettings.StrapSelection.only([wanted]).admits(address: s.address.description, name: s.name)
                    }
                    return false
                }
            }
        }
        guard needed != discovering else { return }
        do {
            if needed {
                try StrapDiscovery.start(on: adapter, bus: bus)
                logger.log("scanning for heart-rate straps on \(adapter)", kind: .adapter, fields: [("ADAPTER", adapter)])
            } else {
                try StrapDiscovery.stop(on: adapter, bus: bus)
                logger.log("every listed strap is streaming; scanning stopped", kind: .adapter, fields: [("ADAPTER", adapter)])
            }
            discovering = needed
        } catch {
            logger.log("adapter \(adapter): \(error)", kind: .adapter, priority: .warning)
        }
    }

    private func adopt(_ o: BlueZObjects, adapter: String) {
        for found in StrapDiscovery.straps(in: o.mirror, adapter: adapter) {
            guard let address = DeviceAddress(found.address) else { continue }
            if let known = straps[address.description] {
                // Found again under another adapter (the old one vanished): follow it there.
                if known.path != found.path && o.mirror.objects[known.path] == nil {
                    logger.log("strap \(address) is now \(found.path)", kind: .strapState, priority: .debug, fields: known.fields)
                    known.path = found.path
                    known.measurementPath = nil
                    known.batteryPath = nil
                    known.ecgControlPath = nil
                    known.ecgDataPath = nil
                }
                continue
            }
            guard configuration.bluetooth.straps.admits(address: found.address, name: found.name) else { continue }
            let pipeline = shell.pipeline(for: address)
            let seed = shell.jitterSeed(for: found.address)
            let strap = LiveStrap(path: found.path, address: address, name: found.name,
                                  machine: StrapLinkMachine(timing: timing, seed: seed, now: WallClock.monotonic()), pipeline: pipeline,
                                  rawLog: shell.rawLog(for: address))
            if configuration.bluetooth.polarECG { strap.ecg = ECGRecording() }
            straps[address.description] = strap
            status.watch(pipeline) { [unowned strap] in strap.details }
            logger.log("strap \(found.address) (\(found.name ?? "unnamed")) found", kind: .strapFound, fields: strap.fields)
            for action in strap.machine.initialActions { perform(action, strap) }
        }
    }

    /// What the mirror says about one strap, fed to its machine; then the time.
    private func step(_ strap: LiveStrap, mirror: ObjectManagerMirror) {
        let device = mirror.objects[strap.path]?[BlueZObjects.deviceInterface]
        switch strap.machine.state {
        case .resolving:
            if StrapLink.servicesResolved(strap.path, in: mirror) {
                strap.measurementPath = StrapLink.measurementCharacteristic(of: strap.path, in: mirror)
                feed(strap, .servicesResolved(hasMeasurement: strap.measurementPath != nil))
            }
        case .acquiring, .subscribing, .streaming:
            if device == nil || device?["Connected"] == .bool(false) { feed(strap, .disconnected) }
        default:
            break
        }
        if case .byte(let percent)? = mirror.property("Percentage", of: strap.path, interface: BlueZObjects.batteryInterface) {
            strap.battery = Int(percent)
        }
        feed(strap, .tick)
    }

    // MARK: the machine's events and actions

    private func feed(_ strap: LiveStrap, _ event: StrapLinkEvent) {
        let (actions, transition) = strap.machine.handle(event, now: WallClock.monotonic())
        if let transition { log(transition, strap) }
        for action in actions { perform(action, strap) }
    }

    private func log(_ t: StrapLinkTransition, _ strap: LiveStrap) {
        let fields = strap.fields + [("LINK_FROM", t.from.name), ("LINK_STATE", t.to.name), ("LINK_REASON", t.reason)]
        let who = "strap \(strap.address)"
        switch t.to {
        case .streaming:
            logger.log("\(who) streaming (\(t.reason))", kind: .strapConnected, fields: fields)
        case .retrying:
            let wait = max(0, (strap.machine.deadline ?? 0) - WallClock.monotonic())
            logger.log("\(who) lost: \(t.reason); retrying in \(Int(wait.rounded())) s", kind: .strapLost, priority: .warning,
                       fields: fields + [("RETRY_SECONDS", String(Int(wait.rounded())))])
        case .unsupported(let why):
            logger.log("\(who) unsupported: \(why)", kind: .strapLost, priority: .warning, fields: fields)
        case .offline:
            logger.log("\(who) offline: \(t.reason)", kind: .strapLost, priority: .warning, fields: fields)
        default:
            logger.log("\(who): \(t)", kind: .strapState, priority: .debug, fields: fields)
        }
    }

    private func perform(_ action: StrapLinkAction, _ strap: LiveStrap) {
        let timing = self.timing
        switch action {
        case .connect:
            call(strap, "connect", path: strap.path, interface: BlueZObjects.deviceInterface, member: "Connect",
                 timeout: timing.connectTimeout + 5) { [unowned self] result in
                switch result {
                case .success: self.feed(strap, .connectSucceeded)
                case .failure(let e) where e.name == "org.bluez.Error.AlreadyConnected": self.feed(strap, .connectSucceeded)
                case .failure(let e): self.feed(strap, .connectFailed("Connect: \(e)"))
                }
            }
        case .disconnect:
            call(strap, "disconnect", path: strap.path, interface: BlueZObjects.deviceInterface, member: "Disconnect") { _ in }
        case .acquireNotify:
            guard let characteristic = strap.measurementPath else { return feed(strap, .acquireFailed("no characteristic")) }
            call(strap, "notify", path: characteristic, interface: BlueZObjects.characteristicInterface, member: "AcquireNotify",
                 arguments: [.array(elementSignature: "{sv}", [])], timeout: timing.acquireTimeout + 5) { [unowned self] result in
                switch result {
                case .success(let reply):
                    guard reply.count == 2, case .unixFD(let fd) = reply[0] else {
                        return self.feed(strap, .acquireFailed("AcquireNotify answered \(reply)"))
                    }
                    guard strap.machine.state == .acquiring else { close(fd); return }  // too late: fell back already
                    strap.fd = fd
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                    strap.stream = try? self.loop.addReadable(fd: fd) { [unowned self, unowned strap] revents in
                        if let ended = strap.readStream(revents: revents, deliver: { self.deliver($0, strap) }) {
                            self.feed(strap, .streamEnded(ended))
                        }
                    }
                    self.feed(strap, .acquireSucceeded)
                case .failure(let e):
                    self.feed(strap, .acquireFailed("\(e)"))
                }
            }
        case .startNotify:
            guard let characteristic = strap.measurementPath else { return feed(strap, .startNotifyFailed("no characteristic")) }
            call(strap, "notify", path: characteristic, interface: BlueZObjects.characteristicInterface, member: "StartNotify",
                 timeout: timing.acquireTimeout + 5) { [unowned self] result in
                switch result {
                case .success: self.feed(strap, .startNotifySucceeded)
                case .failure(let e): self.feed(strap, .startNotifyFailed("StartNotify: \(e)"))
                }
            }
        case .readDetails:
            readDetails(strap)
            startECG(strap)
        case .closeStream:
            strap.calls["notify"]?.cancel()
            strap.calls["notify"] = nil
            strap.closeStream()
        }
    }

    private func call(_ strap: LiveStrap, _ purpose: String, path: String, interface: String, member: String,
                      arguments: [BusValue] = [], timeout: Double = 25,
                      _ handler: @escaping (Result<[BusValue], BusError>) -> Void) {
        strap.calls[purpose]?.cancel()
        do {
            strap.calls[purpose] = try bus.callAsync(destination: BlueZObjects.service, path: path, interface: interface,
                                                     member: member, arguments: arguments, timeout: timeout) { [unowned strap] result in
                strap.calls[purpose] = nil
                handler(result)
            }
        } catch {
            handler(.failure(error))
        }
    }

    /// Body Sensor Location (0x2A38) once; the battery from Battery1 when BlueZ offers it, else
    /// 0x2A19 read and then followed through its notifications.
    private func readDetails(_ strap: LiveStrap) {
        guard let mirror = objects?.mirror else { return }
        let characteristic = { (uuid: GATTIdentifier) in StrapLink.characteristic(uuid, of: strap.path, in: mirror) }
        let read = [BusValue.array(elementSignature: "{sv}", [])]
        if let location = characteristic(.bodySensorLocation) {
            call(strap, "location", path: location, interface: BlueZObjects.characteristicInterface, member: "ReadValue",
                 arguments: read) { [unowned self] result in
                guard case .success(let reply) = result, let bytes = reply.first?.bytes else { return }
                do {
                    strap.location = try BodySensorLocation(decoding: bytes).description
                } catch {
                    self.logger.log("strap \(strap.address): Body Sensor Location: \(error)", kind: .badNotification,
                                    priority: .warning, fields: strap.fields)
                }
            }
        }
        guard mirror.property("Percentage", of: strap.path, interface: BlueZObjects.batteryInterface) == nil,
              let battery = characteristic(.batteryLevel) else { return }
        strap.batteryPath = battery
        call(strap, "battery", path: battery, interface: BlueZObjects.characteristicInterface, member: "ReadValue",
             arguments: read) { [unowned self] result in
            if case .success(let reply) = result, let bytes = reply.first?.bytes { self.batteryValue(bytes, strap) }
            let flags = mirror.property("Flags", of: battery, interface: BlueZObjects.characteristicInterface)?.elements ?? []
            if flags.contains(.string("notify")) {
                self.call(strap, "battery", path: battery, interface: BlueZObjects.characteristicInterface, member: "StartNotify") { _ in }
            }
        }
    }

    /// With `polar_ecg`: indications on the PMD control point, notifications on the data
    /// characteristic (both by StartNotify: ECG is ~2 frames a second), then the start request
    /// written to the control point; its answer and the frames arrive as `Value` changes.
    private func startECG(_ strap: LiveStrap) {
        guard let ecg = strap.ecg, let mirror = objects?.mirror else { return }
        ecg.connected()
        let report = { [unowned self] (outcome: PolarECGStart) in
            ecg.update(outcome, logger: logger, address: strap.address, fields: strap.fields)
        }
        let control = StrapLink.characteristic(PolarPMDFrame.controlPoint, of: strap.path, in: mirror)
        let data = StrapLink.characteristic(PolarPMDFrame.data, of: strap.path, in: mirror)
        guard let control, let data else {
            return report(control == nil && data == nil ? .notOffered
                          : .unavailable("the PMD service lacks its control point or data characteristic"))
        }
        strap.ecgControlPath = control
        strap.ecgDataPath = data
        let characteristic = BlueZObjects.characteristicInterface
        call(strap, "ecg", path: control, interface: characteristic, member: "StartNotify") { [unowned self] result in
            if case .failure(let e) = result { return report(.unavailable("StartNotify on the PMD control point: \(e)")) }
            call(strap, "ecg", path: data, interface: characteristic, member: "StartNotify") { [unowned self] result in
                if case .failure(let e) = result { return report(.unavailable("StartNotify on the PMD data characteristic: \(e)")) }
                let request = BusValue.array(elementSignature: "y", PolarPMDFrame.startECG.map(BusValue.byte))
                let options = BusValue.array(elementSignature: "{sv}", [.dictEntry(.string("type"), .variant(.string("request")))])
                call(strap, "ecg", path: control, interface: characteristic, member: "WriteValue", arguments: [request, options]) { result in
                    switch result {
                    case .success: report(.requested)
                    case .failure(let e): report(.unavailable("writing the ECG start request: \(e)"))
                    }
                }
            }
        }
    }

    private func batteryValue(_ bytes: [UInt8], _ strap: LiveStrap) {
        do {
            strap.battery = Int(try BatteryLevel(decoding: bytes).percent)
        } catch {
            logger.log("strap \(strap.address): Battery Level: \(error)", kind: .badNotification, priority: .warning, fields: strap.fields)
        }
    }

    /// A `Value` change: a measurement after StartNotify, or a battery notification.
    private func valueChanged(path: String, value: [UInt8]) {
        for strap in straps.values {
            if path == strap.measurementPath, strap.machine.state == .streaming(.notifying) {
                deliver(value, strap)
            } else if path == strap.batteryPath {
                batteryValue(value, strap)
            } else if path == strap.ecgDataPath, let ecg = strap.ecg {
                ecg.record(value, shell: shell, rawLog: strap.rawLog, address: strap.address, fields: strap.fields)
            } else if path == strap.ecgControlPath, let outcome = PolarECGStart(controlPointResponse: value) {
                strap.ecg?.update(outcome, logger: logger, address: strap.address, fields: strap.fields)
            }
        }
    }

    /// One notification: raw log first, then the engine, then the link machine.
    private func deliver(_ value: [UInt8], _ strap: LiveStrap) {
        shell.receive(value, rawLog: strap.rawLog, pipeline: strap.pipeline, fields: strap.fields)
        feed(strap, .notification)
    }
}
