import Foundation
import HeartRateWire
import Testing
import TestSupport
import Traces
@testable import Traces

/// The live path's test bench, all real processes started here: a private system-type
/// dbus-daemon, BlueZoo as bluetoothd (hci0 is the gateway, hci1… one per strap), strap
/// peripherals (`Tests/Peripherals/hr_strap.py`) and the real `ingestd` in live mode.
final class LiveRig {
    let dir: String
    let bus: String
    let adapterCount: Int
    private(set) var bluezoo: Process
    private var peripherals: [Process] = []
    private var daemon: Process?

    /// The address of strap adapter `n` (1-based): 00:00:00:00:00:(n+1).
    static func strapAddress(_ n: Int) -> String { String(format: "00:00:00:00:00:%02X", n + 1) }

    private init(dir: String, bus: String, adapterCount: Int) throws {
        self.dir = dir
        self.bus = bus
        self.adapterCount = adapterCount
        bluezoo = try PrivateBus.startBlueZoo(address: bus, adapters: (0...adapterCount).map(Self.strapAddress))
    }

    /// Runs `body` with a rig of `straps` strap adapters on a bus with `policy` (allow-all by
    /// default); everything is killed afterwards.
    static func with(straps: Int, policy: String? = nil, _ body: (LiveRig) throws -> Void) throws {
        let dir = try FileBytes.temporaryDirectory("live")
        chmod(dir, 0o755)
        try PrivateBus.with(policy: policy) { address in
            let rig = try LiveRig(dir: dir, bus: address, adapterCount: straps)
            defer { rig.tearDown() }
            guard PrivateBus.waitForBlueZoo(address: address, adapters: straps + 1) else {
                throw FixtureError("BlueZoo did not serve its \(straps + 1) adapters on \(address) within 10 s")
            }
            try body(rig)
        }
    }

    private func tearDown() {
        if let daemon, daemon.isRunning { PrivateBus.stop(daemon) }
        for p in peripherals { PrivateBus.stop(p) }
        PrivateBus.stop(bluezoo)
    }

    /// Writes `values` as a notifications file and returns its path.
    func notifications(_ values: [[UInt8]], name: String) throws -> String {
        let path = dir + "/" + name + ".hex"
        let text = values.map { $0.isEmpty ? "empty" : $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Starts one peripheral process serving straps on adapters `adapters` (1-based) with the
    /// same notifications each, and `options` (see hr_strap.py).
    @discardableResult
    func startStraps(_ adapters: [Int], values: [[UInt8]]?, options: [String] = [], name: String = "Polar H10 SIM") throws -> Process {
        let file = try values.map { try notifications($0, name: "n\(adapters.first ?? 0)") }
        let specs = adapters.map { "/org/bluez/hci\($0),\(name) \($0)" + (file.map { "," + $0 } ?? "") }
        let p = try PrivateBus.startPeripheral(address: bus, script: "hr_strap.py", arguments: options + specs)
        peripherals.append(p)
        return p
    }

    /// Starts the real ingestd in live mode with `config` (TOML) on this rig's bus, as `user`
    /// (through setpriv) when given.
    func startDaemon(config: String = "", as user: String? = nil) throws {
        let configPath = dir + "/ingestd.toml"
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        FileManager.default.createFile(atPath: dir + "/ingestd.log", contents: nil)
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        let arguments = ["--config", configPath, "--state-directory", dir + "/state", "--control-socket", dir + "/state/control"]
        let d = Process()
        if let user {
            _ = try Executable.runTool("/bin/chown", ["\(user):\(user)", dir + "/state"])
            d.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            d.arguments = ["--reuid=\(user)", "--regid=\(user)", "--init-groups", Executable.path("ingestd")] + arguments
        } else {
            d.executableURL = URL(fileURLWithPath: Executable.path("ingestd"))
            d.arguments = arguments
        }
        d.environment = ProcessInfo.processInfo.environment.merging(["DBUS_SYSTEM_BUS_ADDRESS": bus]) { $1 }
        d.standardError = FileHandle(forWritingAtPath: dir + "/ingestd.log")
        d.standardOutput = FileHandle.nullDevice
        try d.run()
        daemon = d
    }

    /// What `ingestctl devices --json` says now (empty when it cannot answer).
    func devices() -> [[String: Any]] { Self.devices(socket: dir + "/state/control") }

    /// What `ingestctl devices --json` on `socket` says now (empty when it cannot answer).
    static func devices(socket: String) -> [[String: Any]] {
        guard let r = try? Executable.run("ingestctl", ["devices", "--json", "--socket", socket]),
              let list = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] else { return [] }
        return list
    }

    /// The device entry for `address`, if shown.
    func device(_ address: String) -> [String: Any]? { devices().first { $0["address"] as? String == address } }

    /// Polls `ingestctl devices` every 0.2 s until `condition` holds or `timeout` seconds pass.
    @discardableResult
    func wait(timeout: Double, until condition: ([[String: Any]]) -> Bool) -> Bool {
        Self.wait(timeout: timeout, socket: dir + "/state/control", until: condition)
    }

    /// The same for the daemon answering on `socket`.
    @discardableResult
    static func wait(timeout: Double, socket: String, until condition: ([[String: Any]]) -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition(devices(socket: socket)) { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    /// The daemon's log so far (stderr: the same words as its journal entries).
    var log: String { (try? String(contentsOfFile: dir + "/ingestd.log", encoding: .utf8)) ?? "" }

    /// How many reloads the daemon has answered so far (done or refused), from its log.
    private var reloadOutcomes: Int {
        let log = self.log
        return log.components(separatedBy: "configuration reloaded").count + log.components(separatedBy: "config error, keeping").count - 2
    }

    /// Sends `signal` to the running daemon and waits for what it does: SIGHUP until the log
    /// shows the reload's outcome, any other signal until the daemon exits (at most 10 s);
    /// whether it is still running afterwards.
    func signal(_ signal: Int32) -> Bool {
        guard let daemon else { return false }
        let before = reloadOutcomes
        kill(daemon.processIdentifier, signal)
        let end = Date().addingTimeInterval(10)
        while daemon.isRunning && Date() < end {
            if signal == SIGHUP && reloadOutcomes > before { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return daemon.isRunning
    }

    /// The daemon's exit status once it has exited by itself within `timeout` seconds, else nil.
    func daemonExit(within timeout: Double) -> Int32? {
        guard let daemon else { return nil }
        let end = Date().addingTimeInterval(timeout)
        while daemon.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.1) }
        return daemon.isRunning ? nil : daemon.terminationStatus
    }

    /// SIGKILLs the rig's dbus-daemon (the system bus goes away under everyone).
    func killBus() {
        let config = "--config-file=" + bus.dropFirst("unix:path=".count).dropLast("/bus".count) + "/bus.conf"
        for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(pid) != nil {
            guard let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { continue }
            if String(decoding: cmdline, as: UTF8.self).contains(config) { kill(Int32(pid)!, SIGKILL) }
        }
    }

    /// SIGTERMs the daemon and returns its exit status.
    func stopDaemon() -> Int32 {
        guard let daemon else { return -1 }
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        return daemon.terminationStatus
    }

    /// Kills BlueZoo (as a crashing bluetoothd) and starts a new one with the same adapters.
    func restartBlueZoo(after pause: Double = 1) throws {
        PrivateBus.stop(bluezoo)
        Thread.sleep(forTimeInterval: pause)
        bluezoo = try PrivateBus.startBlueZoo(address: bus, adapters: (0...adapterCount).map(Self.strapAddress))
    }

    /// The notification values in the daemon's raw log for strap `address`.
    func rawLog(_ address: String) throws -> [[UInt8]] { try Self.rawLog(address, stateDirectory: dir + "/state") }

    /// The notification values of strap `address` in the raw logs under `stateDirectory`.
    static func rawLog(_ address: String, stateDirectory: String,
                       characteristic: ATTUUID = ATTUUID(.heartRateMeasurement)) throws -> [[UInt8]] {
        let files = FileBytes.files(under: stateDirectory + "/raw", suffix: ".wiraw").filter {
            $0.contains(address.filter { $0 != ":" })
        }
        var values: [[UInt8]] = []
        for file in files.sorted() {
            var reader = RawLogReader(InMemoryByteSource(try FileBytes.read(file)), name: file)
            while let n = try reader.nextNotification() {
                if n.characteristic == characteristic { values.append(n.value) }
            }
        }
        return values
    }

    /// The raw log files the daemon wrote.
    var rawLogFiles: [String] { FileBytes.files(under: dir + "/state/raw", suffix: ".wiraw") }

    /// The session summaries the daemon wrote.
    var sessionFiles: [String] { FileBytes.files(under: dir + "/state/sessions", suffix: ".json") }
}

extension Dictionary where Key == String, Value == Any {
    /// An integer field of a device entry (-1 when absent).
    func int(_ key: String) -> Int { self[key] as? Int ?? -1 }
    /// A text field of a device entry ("" when absent).
    func text(_ key: String) -> String { self[key] as? String ?? "" }
}
