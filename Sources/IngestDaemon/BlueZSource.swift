import BlueZ
import Glibc
import HeartRateWire
import Ingest
import SystemdKit
import Traces

/// `ingestd` without `--replay`: live straps through BlueZ on the system bus, a source of the
/// same shell, pipeline and sinks as a replay. Each adopted strap runs its own
/// `StrapLinkMachine`; this class carries out its actions with async bus calls (never blocking
/// the loop), watches bluetoothd come and go (NameOwnerChanged), and scans only while a wanted
/// strap is missing. Every notification is appended to the strap's raw log of the day
/// (`raw/ADDRESS-YYYYMMDD.wiraw`, synced once a second) before the engine sees it.
public final class BlueZSource: DaemonSource {
    private var shell: DaemonShell!
    private var configuration: IngestConfiguration { shell.configuration }
    /// Adopted straps by address (a strap keeps its engine and session across adapters).
    private var straps: [String: BlueZStrap] = [:]
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
    private var released: [BlueZStrap] = []
    private var loaded = false
    /// bluetoothd came back: the links reconnect once its objects are loaded.
    private var backPending = false
    /// Runs `evaluate` (after a mirror change, a link state change, a scan retry).
    private var evaluation: EventAlarm!
    /// Runs `load` again while bluetoothd is away.
    private var loadRetry: EventAlarm!
    private var powering: String?
    private var poweredOn: Set<String> = []
    private var powerRefused: Set<String> = []
    private var scanCallPending = false
    private var scanRetryAt = -Double.infinity

    /// A source of every strap BlueZ finds (as the configuration admits).
    public init() {}

    public var description: String { "BlueZ (org.bluez on the system bus)" }
    public var mode: String { "live" }
    public var speed: String? { nil }
    public var recordsRawLogs: Bool { true }
    public var reloadAppliesTo: String {
        "which straps are adopted (straps no longer allowed are released) and to straps found from now on"
    }

    private var timing: StrapLinkTiming {
        var t = StrapLinkTiming()
        t.silenceTimeout = configuration.bluetooth.notificationTimeout
        t.acquireTimeout = configuration.bluetooth.acquireTimeout
        t.maximumBackoff = configuration.bluetooth.maximumReconnectDelay
        return t
    }

    public func start(in shell: DaemonShell) throws -> DaemonStart? {
        self.shell = shell
        do {
            bus = try Bus.system()
            try bus.attach(to: loop)
        } catch {
            logger.log("cannot reach the system bus: \(error)", kind: .daemonStopped, priority: .error)
            return nil
        }
        // sd-bus says a lost connection with a local Disconnected signal. Without the bus
        // there is no strap: end and save what is open, then exit non-zero so Restart=
        // brings the daemon back on a new connection.
        busLostSlot = try bus.onSignal(path: "/org/freedesktop/DBus/Local", interface: "org.freedesktop.DBus.Local",
                                       member: "Disconnected") { [unowned self] _ in
            self.shell.stop(code: 1, reason: "lost the system bus (dbus-daemon restarted or gone)")
        }
        bluezSlot = try bus.onSignal(sender: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                     interface: "org.freedesktop.DBus", member: "NameOwnerChanged") { [unowned self] signal in
            guard signal.arguments.count == 3, signal.arguments[0].text == BlueZObjects.service else { return }
            self.bluetoothdChanged(owner: signal.arguments[2].text ?? "")
        }
        let o = try BlueZObjects(bus: bus)
        o.onValue = { [unowned self] path, value in self.valueChanged(path: path, value: value) }
        o.onDeviceSeen = { [unowned self] path in
            for strap in self.straps.values where strap.path == path || path.hasSuffix("dev_" + strap.address.description.split(separator: ":").joined(separator: "_")) {
                self.feed(strap, .seen)
            }
        }
        o.onChange = { [unowned self] in self.evaluateSoon() }
        objects = o
        evaluation = try loop.addAlarm { [unowned self] in self.evaluate() }
        loadRetry = try loop.addAlarm { [unowned self] in self.load() }
        load()
        return DaemonStart(readyStatus: "live",
                           message: "live: waiting for bluetoothd and heart-rate straps (\(describe(configuration.bluetooth.straps)))")
    }

    public func reloaded() { releaseStrapsNoLongerAllowed() }

    public func finish() -> Bool {
        for strap in straps.values { strap.pipeline.finish() }
        return true
    }

    public func sync() {
        for strap in straps.values { strap.channel.sync() }
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
            strap.alarm = nil
            strap.closeStream()
            call(strap, "disconnect", path: strap.path, interface: BlueZObjects.deviceInterface, member: "Disconnect") { _ in }
            strap.pipeline.finish()
            strap.channel.sync()
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
            loaded = false
            backPending = false
            adapter = nil
            discovering = false
            poweredOn.removeAll()
            powerRefused.removeAll()
            for strap in straps.values { feed(strap, .bluetoothdLost) }
        } else {
            logger.log("bluetoothd is on the system bus (\(owner)); rebuilding the device list", kind: .bluetoothd)
            // The links come back once the mirror holds bluetoothd's objects again (a Connect on
            // a device it has not re-created yet would fail and cost a backoff).
            backPending = true
            load()
        }
    }

    /// Loads bluetoothd's objects (GetManagedObjects, without waiting); while it is not on
    /// the bus, again every 2 s (NameOwnerChanged usually says first).
    private func load() {
        objects?.reload { [unowned self] error in
            if let error {
                loaded = false
                if error.name != "org.freedesktop.DBus.Error.ServiceUnknown" && error.name != "org.freedesktop.DBus.Error.NameHasNoOwner" {
                    logger.log("GetManagedObjects: \(error)", kind: .bluetoothd, priority: .warning)
                }
                loadRetry.set(after: 2)
            } else {
                loaded = true
                loadRetry.set(at: nil)
                if backPending {
                    backPending = false
                    for strap in straps.values { feed(strap, .bluetoothdBack) }
                }
            }
        }
    }

    // MARK: reacting to the mirror

    /// Evaluates the mirror on the next loop iteration (changes arrive in bursts: one pass).
    private func evaluateSoon() {
        evaluation.setIfSooner(WallClock.monotonic())
    }

    /// What the mirror says now: the adapter, new straps, each strap's resolved services and
    /// connection, whether to scan. Runs when the mirror changes or a link changes state —
    /// never on a tick.
    private func evaluate() {
        guard loaded, let o = objects else { return }
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
        if o.mirror.property("Powered", of: path, interface: BlueZObjects.adapterInterface) != .bool(true) && !poweredOn.contains(path) {
            guard configuration.bluetooth.powerOnAdapter, powering == nil, !powerRefused.contains(path) else { return }
            powering = path
            o.set("Powered", of: path, interface: BlueZObjects.adapterInterface, to: .bool(true)) { [unowned self] error in
                powering = nil
                if let error {
                    // Said once per adapter; powering it by hand shows up as a change.
                    powerRefused.insert(path)
                    logger.log("adapter \(path): cannot power on: \(error)", kind: .adapter, priority: .warning)
                } else {
                    poweredOn.insert(path)
                }
                evaluateSoon()
            }
            return
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
        guard needed != discovering, !scanCallPending, let objects else { return }
        let now = WallClock.monotonic()
        guard now >= scanRetryAt else { return evaluation.setIfSooner(scanRetryAt) }
        scanCallPending = true
        let done = { [unowned self] (error: BusError?) in
            scanCallPending = false
            if let error {
                logger.log("adapter \(adapter): \(error)", kind: .adapter, priority: .warning)
                scanRetryAt = WallClock.monotonic() + 5
            } else if self.adapter == adapter {
                discovering = needed
                logger.log(needed ? "scanning for heart-rate straps on \(adapter)" : "every listed strap is streaming; scanning stopped",
                           kind: .adapter, fields: [("ADAPTER", adapter)])
            }
            evaluateSoon()
        }
        if needed {
            StrapDiscovery.start(on: adapter, objects: objects, done)
        } else {
            StrapDiscovery.stop(on: adapter, objects: objects, done)
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
            let channel = shell.channel(for: address, name: found.name)
            let seed = shell.jitterSeed(for: found.address)
            let strap = BlueZStrap(path: found.path, address: address, name: found.name,
                                  machine: StrapLinkMachine(timing: timing, seed: seed, now: WallClock.monotonic()), channel: channel)
            if configuration.bluetooth.polarECG { strap.ecg = ECGRecording() }
            strap.alarm = try? loop.addAlarm { [unowned self, unowned strap] in self.feed(strap, .tick) }
            straps[address.description] = strap
            status.watch(channel.pipeline) { [unowned strap] in strap.details }
            logger.log("strap \(found.address) (\(found.name ?? "unnamed")) found", kind: .strapFound, fields: strap.fields)
            for action in strap.machine.initialActions { perform(action, strap) }
            if let deadline = strap.machine.deadline { strap.alarm?.setIfSooner(deadline) }
        }
    }

    /// What the mirror says about one strap, fed to its machine; then the time.
    private func step(_ strap: BlueZStrap, mirror: ObjectManagerMirror) {
        let device = mirror.objects[strap.path]?[BlueZObjects.deviceInterface]
        switch strap.machine.state {
        case .resolving:
            if StrapGATT.servicesResolved(strap.path, in: mirror) {
                strap.measurementPath = StrapGATT.measurementCharacteristic(of: strap.path, in: mirror)
                feed(strap, .servicesResolved(hasMeasurement: strap.measurementPath != nil))
            }
        case .acquiring, .subscribing, .streaming:
            if device == nil || device?["Connected"] == .bool(false) { feed(strap, .disconnected) }
        default:
            break
        }
        if case .byte(let percent)? = mirror.property("Percentage", of: strap.path, interface: BlueZObjects.batteryInterface) {
            strap.battery = shell.receiveBattery(percent, previous: strap.battery, on: strap.channel, fields: { strap.fields })
        }
    }

    // MARK: the machine's events and actions

    /// Feeds the strap's machine, logs its transition, carries out its actions and sets the
    /// strap's alarm to the machine's next deadline (timeouts fire from there, not from a tick).
    /// A state change makes the mirror be looked at again (what the new state waits for may
    /// already be there).
    private func feed(_ strap: BlueZStrap, _ event: StrapLinkEvent) {
        let (actions, transition) = strap.machine.handle(event, now: WallClock.monotonic())
        if let transition {
            StrapLinkJournal.log(transition, address: strap.address, machine: strap.machine, fields: strap.fields, logger: logger)
        }
        for action in actions { perform(action, strap) }
        if let deadline = strap.machine.deadline { strap.alarm?.setIfSooner(deadline) }
        if transition != nil { evaluateSoon() }
    }

    private func perform(_ action: StrapLinkAction, _ strap: BlueZStrap) {
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
                        for value in reply { value.closeDescriptors() }  // not ours to keep: no leak
                        return self.feed(strap, .acquireFailed("AcquireNotify answered \(reply)"))
                    }
                    for value in reply.dropFirst() { value.closeDescriptors() }
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
        case .discover:
            break  // BlueZ resolves the services itself; ServicesResolved shows in the mirror
        case .closeStream:
            strap.calls["notify"]?.cancel()
            strap.calls["notify"] = nil
            // What the strap sent before the link went is queued in the socket: accepted data,
            // so it reaches the raw log and the engine before the socket is closed (bluetoothd
            // leaving closed it with a notification unread, 1 run in 3).
            _ = strap.readStream(revents: 0) { [unowned self] value in shell.receive(value, on: strap.channel, fields: { strap.fields }) }
            strap.closeStream()
        }
    }

    private func call(_ strap: BlueZStrap, _ purpose: String, path: String, interface: String, member: String,
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
    private func readDetails(_ strap: BlueZStrap) {
        guard let mirror = objects?.mirror else { return }
        let characteristic = { (uuid: GATTIdentifier) in StrapGATT.characteristic(uuid, of: strap.path, in: mirror) }
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
    private func startECG(_ strap: BlueZStrap) {
        guard let ecg = strap.ecg, let mirror = objects?.mirror else { return }
        ecg.connected()
        let report = { [unowned self] (outcome: PolarECGStart) in
            ecg.update(outcome, logger: logger, address: strap.address, fields: strap.fields)
        }
        let control = StrapGATT.characteristic(PolarPMDFrame.controlPoint, of: strap.path, in: mirror)
        let data = StrapGATT.characteristic(PolarPMDFrame.data, of: strap.path, in: mirror)
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

    private func batteryValue(_ bytes: [UInt8], _ strap: BlueZStrap) {
        do {
            let percent = try BatteryLevel(decoding: bytes).percent
            strap.battery = shell.receiveBattery(percent, previous: strap.battery, on: strap.channel, fields: { strap.fields })
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
                ecg.record(value, shell: shell, rawLog: strap.rawLog, address: strap.address, fields: { strap.fields })
            } else if path == strap.ecgControlPath, let outcome = PolarECGStart(controlPointResponse: value) {
                strap.ecg?.update(outcome, logger: logger, address: strap.address, fields: strap.fields)
            }
        }
    }

    /// One notification: raw log first, then the engine, then the link machine.
    private func deliver(_ value: [UInt8], _ strap: BlueZStrap) {
        shell.receive(value, on: strap.channel, fields: { strap.fields })
        feed(strap, .notification)
    }
}
