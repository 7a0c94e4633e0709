import Foundation

/// A private dbus-daemon (and optionally BlueZoo as bluetoothd on it), started by a test and
/// stopped with SIGKILL afterwards (children of the test runner may inherit a blocked SIGTERM).
public enum PrivateBus {
    /// Runs `body` with the address of a fresh bus of `type` ("system" or "session"), with an
    /// allow-all policy unless `policy` gives the `<policy>`/`<include>` elements.
    public static func with(type: String = "system", policy: String? = nil, _ body: (String) throws -> Void) throws {
        let dir = try FileBytes.temporaryDirectory("bus")
        chmod(dir, 0o755)
        // A system-type bus denies receiving by default: allow it, or replies are dropped.
        let allowAll = """
            <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/>
            <allow receive_sender="*"/></policy>
            """
        let config = """
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig><type>\(type)</type><listen>unix:path=\(dir)/bus</listen>
            \(policy ?? allowAll)
            </busconfig>
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/bus.conf"))
        let daemon = try start("/usr/bin/dbus-daemon", ["--config-file=\(dir)/bus.conf", "--nofork"])
        defer { stop(daemon) }
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: dir + "/bus") { Thread.sleep(forTimeInterval: 0.1) }
        guard FileManager.default.fileExists(atPath: dir + "/bus") else {
            throw NSError(domain: "PrivateBus", code: 1, userInfo: [NSLocalizedDescriptionKey: "dbus-daemon did not come up"])
        }
        try body("unix:path=\(dir)/bus")
    }

    /// Runs `body` with BlueZoo serving org.bluez on the bus at `address` with `adapters`.
    public static func withBlueZoo(address: String, adapters: [String], _ body: () throws -> Void) throws {
        let process = try startBlueZoo(address: address, adapters: adapters)
        defer { stop(process) }
        try body()
    }

    /// Starts BlueZoo (with the reconnect patch of `Tests/Peripherals/bluezoo_patched.py`) as
    /// bluetoothd on the bus at `address`; the caller stops it (tests kill and restart it).
    public static func startBlueZoo(address: String, adapters: [String]) throws -> Process {
        // Through the python3 that pip installed it for (its console script may not be on PATH).
        var arguments = ["python3", TestPaths.packageRoot + "/Tests/Peripherals/bluezoo_patched.py", "--auto-enable", "--scan-interval", "1"]
        for a in adapters { arguments += ["-a", a] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["DBUS_SYSTEM_BUS_ADDRESS": address]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits (at most `timeout` s) until BlueZoo on the bus at `address` serves `adapters`
    /// adapters (`/org/bluez/hciN` objects); whether it does.
    @discardableResult
    public static func waitForBlueZoo(address: String, adapters: Int, timeout: Double = 10) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let r = try? Executable.runTool("/usr/bin/busctl", ["--address=\(address)", "tree", "org.bluez", "--list"], timeout: 5),
               r.status == 0,
               r.stdout.split(separator: "\n").filter({ $0.range(of: #"^/org/bluez/hci[0-9]+$"#, options: .regularExpression) != nil }).count >= adapters {
                return true
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Starts a test peripheral script from `Tests/Peripherals` on the bus at `address`, and
    /// waits (at most 5 s) for its first line of output, which says it is ready.
    public static func startPeripheral(address: String, script: String, arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", TestPaths.packageRoot + "/Tests/Peripherals/" + script] + arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["DBUS_SYSTEM_BUS_ADDRESS": address]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let ready = DispatchSemaphore(value: 0)
        out.fileHandleForReading.readabilityHandler = { handle in
            if !handle.availableData.isEmpty { ready.signal() }
            handle.readabilityHandler = nil
        }
        _ = ready.wait(timeout: .now() + 5)
        return p
    }

    /// Stops a process started for a test.
    public static func stop(_ p: Process) {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    static func start(_ path: String, _ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

}
