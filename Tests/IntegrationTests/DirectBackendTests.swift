import Foundation
import HeartRateWire
import Testing
import TestSupport

/// The real ingestd on the direct backend (`backend = "direct"`), its straps played by
/// `Tests/Peripherals/att_server.py` over AF_UNIX SOCK_SEQPACKET (one ATT PDU per packet, as on
/// the L2CAP ATT channel): discovery, notifications into the raw log and the engine, and the
/// faults of real straps.
@Suite(.serialized) struct DirectBackendTests {
    static let first = "A0:9E:1A:00:00:01", second = "A0:9E:1A:00:00:02"

    /// A state directory, simulated straps and a running ingestd; torn down by `stop()`.
    final class Rig {
        let dir: String
        var servers: [Process] = []
        var daemon: Process?

        init() throws {
            dir = try FileBytes.temporaryDirectory("direct")
            try FileManager.default.createDirectory(atPath: dir + "/straps", withIntermediateDirectories: true)
        }

        func strap(_ address: String, values: [[UInt8]], _ options: [String] = []) throws {
            let hex = dir + "/" + address.filter { $0 != ":" } + ".hex"
            try PolarNotifications.writeHex(values, to: hex)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            p.arguments = [TestPaths.packageRoot + "/Tests/Peripherals/att_server.py", dir + "/straps", address, hex] + options
            p.standardError = FileHandle.nullDevice
            try p.run()
            servers.append(p)
            let socket = dir + "/straps/" + address.filter { $0 != ":" } + ".sock"
            for _ in 0..<50 where !FileManager.default.fileExists(atPath: socket) { Thread.sleep(forTimeInterval: 0.1) }
        }

        func start(_ straps: [String], config extra: String = "") throws {
            let list = straps.map { "\"\($0)\"" }.joined(separator: ", ")
            try Data("[bluetooth]\nbackend = \"direct\"\nstraps = [\(list)]\nacquire_timeout_seconds = 2\n\(extra)".utf8)
                .write(to: URL(fileURLWithPath: dir + "/c.toml"))
            FileManager.default.createFile(atPath: dir + "/ingestd.log", contents: nil)
            let d = Process()
            d.executableURL = URL(fileURLWithPath: Executable.path("ingestd"))
            d.arguments = ["--config", dir + "/c.toml", "--state-directory", dir + "/state", "--control-socket", dir + "/control",
                           "--simulated-straps", dir + "/straps"]
            d.standardError = FileHandle(forWritingAtPath: dir + "/ingestd.log")
            try d.run()
            daemon = d
        }

        var log: String { (try? String(contentsOfFile: dir + "/ingestd.log", encoding: .utf8)) ?? "" }

        func devices() -> [[String: Any]] { LiveRig.devices(socket: dir + "/control") }

        func wait(_ timeout: Double, until condition: ([[String: Any]]) -> Bool) -> Bool {
            LiveRig.wait(timeout: timeout, socket: dir + "/control", until: condition)
        }

        func stop() -> Int32 {
            for s in servers { PrivateBus.stop(s) }
            guard let daemon else { return -1 }
            kill(daemon.processIdentifier, SIGTERM)
            daemon.waitUntilExit()
            return daemon.terminationStatus
        }

        func rawLog(_ address: String) throws -> [[UInt8]] { try LiveRig.rawLog(address, stateDirectory: dir + "/state") }
    }

    @Test func twoStrapsStreamEveryValueOnceThroughReconnectsAndGarbage() throws {
        let values = try PolarNotifications.first(300)
        let rig = try Rig()
        try rig.strap(Self.first, values: values, ["--close-after", "100", "--garbage-every", "50"])
        try rig.strap(Self.second, values: values, ["--mtu", "23"])
        try rig.start([Self.first, Self.second])
        let done = rig.wait(30) { d in d.count == 2 && d.allSatisfy { $0.int("samples") == values.count } }
        let devices = rig.devices()
        #expect(rig.stop() == 0)
        #expect(done, "\(devices) \(rig.log)")
        #expect(try rig.rawLog(Self.first) == values, "every value once, in order, across the reconnect")
        #expect(try rig.rawLog(Self.second) == values)
        let first = devices.first { $0.text("address") == Self.first }
        #expect((first?.int("reconnects") ?? 0) >= 1)
        #expect(first?.int("battery") == 77 && first?.text("location") == "chest")
        #expect(try LiveRig.rawLog(Self.first, stateDirectory: rig.dir + "/state", characteristic: ATTUUID(.batteryLevel)) == [[77]],
                "the battery level is in the raw log, once per change (not again after the reconnect)")
        #expect(first?.int("bad_notifications") == 0, "garbage PDUs are ATT warnings, not heart-rate values")
        #expect(rig.log.contains("strap \(Self.first) streaming (direct ATT, measurement handle 12, MTU 232)"))
        #expect(rig.log.contains("strap \(Self.second) streaming (direct ATT, measurement handle 12, MTU 23)"))
        #expect(rig.log.contains("strap \(Self.first): ATT opcode 0x7F at byte 0: unknown opcode"), "\(rig.log)")
        #expect(rig.log.contains("strap \(Self.first) lost: link closed"))
    }

    @Test func aDirectSessionEqualsTheReplayOfItsRawLog() throws {
        let values = try PolarNotifications.first(1400)
        let rig = try Rig()
        // With ECG frames between the heart-rate values in the raw log, which the replay skips
        // as the live engine did.
        try PolarNotifications.writeHex(PolarNotifications.ecgFrames(1400), to: rig.dir + "/ecg.hex")
        try rig.strap(Self.first, values: values, ["--interval", "0.025", "--ecg", rig.dir + "/ecg.hex"])
        try rig.start([Self.first], config: "polar_ecg = true\n[athlete]\nage = 35\nresting_heart_rate = 50\n[session]\nstart_active_seconds = 30\n")
        let done = rig.wait(90) { $0.first?.int("samples") == values.count }
        #expect(rig.stop() == 0)
        #expect(done, "\(rig.log)")
        #expect(try LiveRig.rawLog(Self.first, stateDirectory: rig.dir + "/state", characteristic: PolarPMDFrame.data).count == 1400)
        try LiveReplayEquivalenceTests.expectLiveSessionEqualsReplay(stateDirectory: rig.dir + "/state", config: rig.dir + "/c.toml",
                                                                     log: rig.log)
    }

    /// polar_ecg: a Polar strap's ECG frames land in the raw log beside its heart rate and
    /// `ingestctl ecg` reads them back; a strap that refuses ECG or has no PMD streams heart rate
    /// as before.
    @Test func polarECGIsRecorded() throws {
        let values = try PolarNotifications.first(150)
        let frames = PolarNotifications.ecgFrames(150)
        let rig = try Rig()
        let ecgHex = rig.dir + "/ecg.hex"
        try PolarNotifications.writeHex(frames, to: ecgHex)
        let refusing = "A0:9E:1A:00:00:03"
        try rig.strap(Self.first, values: values, ["--ecg", ecgHex, "--close-after", "60"])
        try rig.strap(Self.second, values: values)
        try rig.strap(refusing, values: values, ["--ecg", ecgHex, "--ecg-status", "13"])
        try FileManager.default.createDirectory(atPath: rig.dir + "/metrics", withIntermediateDirectories: true)
        try rig.start([Self.first, Self.second, refusing],
                      config: "polar_ecg = true\n[metrics]\ntextfile_directory = \"\(rig.dir)/metrics\"\ninterval_seconds = 1\n")
        let done = rig.wait(30) { d in d.count == 3 && d.allSatisfy { $0.int("samples") == values.count } }
        let devices = rig.devices()
        #expect(rig.stop() == 0)
        #expect(done, "\(devices) \(rig.log)")
        let state = rig.dir + "/state"
        #expect(try LiveRig.rawLog(Self.first, stateDirectory: state) == values)
        #expect(try LiveRig.rawLog(Self.first, stateDirectory: state, characteristic: PolarPMDFrame.data) == frames,
                "every frame once, in order, across the reconnect (ECG restarted on the new connection)")
        #expect(try LiveRig.rawLog(Self.second, stateDirectory: state, characteristic: PolarPMDFrame.data).isEmpty)
        #expect(try LiveRig.rawLog(refusing, stateDirectory: state) == values)
        func device(_ address: String) -> [String: Any]? { devices.first { $0.text("address") == address } }
        #expect(device(Self.first)?.text("ecg") == "recording" && device(Self.first)?.int("ecg_samples") == frames.count * 73)
        #expect(device(Self.second)?.text("ecg") == "not offered by this strap")
        #expect(device(refusing)?.text("ecg") == "not recorded: the strap refused ECG: PMD status 13: device in charger")
        #expect(rig.log.contains("strap \(Self.first): Polar ECG started (130 Hz)"), "\(rig.log)")
        let prom = String(decoding: try FileBytes.read(rig.dir + "/metrics/ingestd.prom"), as: UTF8.self)
        #expect(prom.contains("ingestd_ecg_samples_total{strap=\"\(Self.first)\"} \(frames.count * 73)\n"), "\(prom)")
        #expect(!prom.contains("ingestd_ecg_samples_total{strap=\"\(Self.second)\"}"), "no ECG, no series")
        let status = try Executable.run("ingestctl", ["status", "--socket", rig.dir + "/control", "--state-directory", state])
        #expect(status.stdout.contains("ECG recording (\(frames.count * 73) samples)"), "\(status.stdout)")

        // The ECG back out, sample by sample, with strap times 1/130 s apart.
        let raw = try #require(FileBytes.files(under: state + "/raw", suffix: ".wiraw").first { $0.contains("A09E1A000001") })
        let ecg = try Executable.run("ingestctl", ["ecg", raw])
        #expect(ecg.status == 0, "\(ecg.stderr)")
        let rows = ecg.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let expected = try frames.flatMap { try PolarPMDFrame(decoding: $0).microvolts }
        #expect(rows.map { Int32($0[2]) } == expected)
        let times = rows.compactMap { Double($0[1]) }
        #expect(times.count == expected.count && times.first == 1_767_225_600)
        #expect(zip(times, times.dropFirst()).allSatisfy { abs($1 - $0 - 1 / 130) < 2e-6 }, "strap times 1/130 s apart")
        let none = try Executable.run("ingestctl", ["ecg", try #require(FileBytes.files(under: state + "/raw", suffix: ".wiraw").first { $0.contains("A09E1A000002") })])
        #expect(none.status == 1 && none.stderr.contains("holds no Polar ECG frames"), "\(none.stderr)")
    }

    @Test func faultyStrapsAreNamedAndTheOthersStream() throws {
        let values = try PolarNotifications.first(120)
        let rig = try Rig()
        try rig.strap(Self.first, values: values)
        try rig.strap(Self.second, values: values, ["--no-heart-rate"])
        try rig.strap("A0:9E:1A:00:00:03", values: values, ["--refuse-cccd", "0x05"])
        try rig.strap("A0:9E:1A:00:00:04", values: values, ["--silent"])
        try rig.start([Self.first, Self.second, "A0:9E:1A:00:00:03", "A0:9E:1A:00:00:04"])
        let done = rig.wait(30) { d in
            d.contains { $0.text("address") == Self.first && $0.int("samples") == values.count }
                && d.contains { $0.text("address") == Self.second && $0.text("link") == "unsupported" }
        }
        // The silent strap's ATT transaction timeout (2 s here) is said within a few seconds.
        let said = { rig.log.contains("strap A0:9E:1A:00:00:04 lost: no response to Exchange MTU Request") && rig.log.contains("strap A0:9E:1A:00:00:03 lost:") }
        for _ in 0..<100 where !said() { Thread.sleep(forTimeInterval: 0.1) }
        #expect(rig.stop() == 0)
        #expect(done, "\(rig.log)")
        #expect(rig.log.contains("strap \(Self.second) unsupported: no Heart Rate service (0x180D)"))
        #expect(rig.log.contains("strap A0:9E:1A:00:00:03 lost: enabling notifications (CCCD write at handle 13) refused: Insufficient Authentication (0x05)"))
        #expect(rig.log.contains("strap A0:9E:1A:00:00:04 lost: no response to Exchange MTU Request (ATT transaction timeout)"))
    }

    @Test func theDirectBackendRefusesToRunBesideBluetoothdAndNamesAMissingRadio() throws {
        let dir = try FileBytes.temporaryDirectory("direct-refused")
        try Data("[bluetooth]\nbackend = \"direct\"\nstraps = [\"\(Self.first)\"]\n".utf8).write(to: URL(fileURLWithPath: dir + "/c.toml"))
        try LiveRig.with(straps: 0) { rig in
            let d = Process()
            d.executableURL = URL(fileURLWithPath: Executable.path("ingestd"))
            d.arguments = ["--config", dir + "/c.toml", "--state-directory", dir + "/state"]
            d.environment = ProcessInfo.processInfo.environment.merging(["DBUS_SYSTEM_BUS_ADDRESS": rig.bus]) { $1 }
            let err = Pipe()
            d.standardError = err
            try d.run()
            // A daemon that does not refuse would keep the pipe open forever: stop it after 30 s,
            // so the expectations below fail instead of the test run hanging.
            let pid = d.processIdentifier
            let watchdog = DispatchWorkItem { kill(pid, SIGTERM) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            watchdog.cancel()
            d.waitUntilExit()
            #expect(d.terminationStatus == 2)
            #expect(text.contains("backend = \"direct\" refused: bluetoothd (org.bluez"), "\(text)")
        }
        // No bluetoothd (no bus at all): the real L2CAP socket is tried, from any adapter or from
        // the configured one (whose address is asked of the kernel first); on a kernel without
        // Bluetooth sockets that is named, and the daemon keeps retrying rather than dying.
        for (adapter, step) in [("", "socket(AF_BLUETOOTH, BTPROTO_L2CAP)"), ("hci1", "address of adapter hci1 (hci_devba)")] {
            try Data("[bluetooth]\nbackend = \"direct\"\nstraps = [\"\(Self.first)\"]\nadapter = \"\(adapter)\"\n".utf8)
                .write(to: URL(fileURLWithPath: dir + "/c.toml"))
            let d = Process()
            d.executableURL = URL(fileURLWithPath: Executable.path("ingestd"))
            d.arguments = ["--config", dir + "/c.toml", "--state-directory", dir + "/state"]
            d.environment = ProcessInfo.processInfo.environment.merging(["DBUS_SYSTEM_BUS_ADDRESS": "unix:path=\(dir)/no-bus"]) { $1 }
            FileManager.default.createFile(atPath: dir + "/ingestd.log", contents: nil)
            d.standardError = FileHandle(forWritingAtPath: dir + "/ingestd.log")
            try d.run()
            // Until the failed attempt is said (then it keeps retrying rather than dying).
            let tried = { ((try? String(contentsOfFile: dir + "/ingestd.log", encoding: .utf8)) ?? "").contains("strap \(Self.first) lost:") }
            for _ in 0..<100 where !tried() { Thread.sleep(forTimeInterval: 0.1) }
            #expect(d.isRunning)
            kill(d.processIdentifier, SIGTERM)
            d.waitUntilExit()
            let log = (try? String(contentsOfFile: dir + "/ingestd.log", encoding: .utf8)) ?? ""
            if socket(AF_BLUETOOTH, Int32(SOCK_SEQPACKET.rawValue), 0) < 0 {
                #expect(log.contains("strap \(Self.first) lost: \(Self.first): \(step): "), "\(log)")
                #expect(log.contains("this kernel has no Bluetooth sockets"), "\(log)")
            } else {
                #expect(log.contains("strap \(Self.first) lost: \(Self.first): "), "\(log)")
            }
        }
    }
}
