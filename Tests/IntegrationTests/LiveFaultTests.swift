import Foundation
import HeartRateWire
import Testing
import TestSupport

/// The live path under faults, each with real processes (LiveRig): what the straps, the
/// journal's words (the daemon's stderr) and `ingestctl devices` show afterwards.
@Suite(.serialized) struct LiveFaultTests {
    static let strap = LiveRig.strapAddress(1)

    /// Notification values from the real Polar log.
    static func values(_ n: Int) throws -> [[UInt8]] { try PolarNotifications.first(n) }

    @Test func aStrapThatDropsTheLinkIsReconnectedAndLosesNothing() throws {
        let values = try Self.values(200)
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values, options: ["--drop-after", "80", "--interval", "0.01"])
            try rig.startDaemon(config: "[bluetooth]\nmax_reconnect_delay_seconds = 2\n")
            let done = rig.wait(timeout: 30) { $0.first?.int("samples") == values.count }
            let device = rig.device(Self.strap)
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
            #expect(device?.int("reconnects") == 1)
            #expect(device?.text("link") == "streaming")
            #expect(rig.log.contains("strap \(Self.strap) lost: notification stream ended (EOF); retrying in"))
            #expect(try rig.rawLog(Self.strap) == values, "every notification once, in order, across the reconnect")
        }
    }

    @Test func aRestartedBluetoothdIsFoundAgainAndEveryStrapReconnects() throws {
        let values = try Self.values(300)
        try LiveRig.with(straps: 2) { rig in
            try rig.startStraps([1, 2], values: values, options: ["--interval", "0.02"])
            try rig.startDaemon(config: "[bluetooth]\nmax_reconnect_delay_seconds = 2\n")
            let streaming = rig.wait(timeout: 20) { d in d.count == 2 && d.allSatisfy { $0.int("samples") > 50 } }
            #expect(streaming, "\(rig.log)")
            try rig.restartBlueZoo()
            let done = rig.wait(timeout: 40) { d in d.count == 2 && d.allSatisfy { $0.int("samples") == values.count } }
            let devices = rig.devices()
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(devices) \(rig.log)")
            #expect(rig.log.contains("bluetoothd left the system bus"))
            #expect(rig.log.contains("offline: bluetoothd left the bus"))
            #expect(rig.log.contains("bluetoothd is on the system bus"))
            for n in 1...2 {
                let raw = try rig.rawLog(LiveRig.strapAddress(n))
                #expect(raw == values)
                let reconnects = devices.first { $0.text("address") == LiveRig.strapAddress(n) }?.int("reconnects")
                #expect(reconnects == 1)
            }
        }
    }

    @Test(arguments: ["refuse", "hang"])
    func aFailingAcquireNotifyFallsBackToStartNotify(mode: String) throws {
        let values = try Self.values(120)
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values, options: ["--mode", mode, "--interval", "0.01"])
            try rig.startDaemon(config: "[bluetooth]\nacquire_timeout_seconds = 1\n")
            let done = rig.wait(timeout: 30) { $0.first?.int("samples") == values.count }
            let device = rig.device(Self.strap)
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
            #expect(device?.text("link") == "streaming (notify)")
            let why = mode == "refuse" ? "AcquireNotify failed (org.bluez.Error.NotPermitted" : "AcquireNotify did not answer in 1 s"
            #expect(rig.log.contains(why), "\(rig.log)")
            #expect(try rig.rawLog(Self.strap) == values)
        }
    }

    @Test func aVanishingAdapterParksTheStrapUntilItIsBack() throws {
        let values = try Self.values(400)
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values, options: ["--interval", "0.04"])
            try rig.startDaemon(config: "[bluetooth]\nadapter = \"hci0\"\nmax_reconnect_delay_seconds = 2\n")
            let streaming = rig.wait(timeout: 20) { $0.first?.int("samples") ?? 0 > 40 }
            #expect(streaming, "\(rig.log)")
            let manager = ["--address=\(rig.bus)", "call", "org.bluez", "/org/bluezoo", "org.bluezoo.Manager1"]
            let removed = try Executable.runTool("/usr/bin/busctl", manager + ["RemoveAdapter", "y", "0"])
            #expect(removed.status == 0, "\(removed.stderr)")
            let parked = rig.wait(timeout: 10) { $0.first?.text("link") == "retrying" || $0.first?.text("link") == "connecting" }
            #expect(parked, "\(rig.devices())")
            let before = rig.device(Self.strap)?.int("samples") ?? 0
            let added = try Executable.runTool("/usr/bin/busctl", manager + ["AddAdapter", "ys", "0", LiveRig.strapAddress(0)])
            #expect(added.status == 0, "\(added.stderr)")
            // BlueZoo keeps its own copy of every AcquireNotify socket it forwarded, so values sent
            // while the adapter is gone vanish there (bluetoothd closes its socket on a
            // disconnect); what must hold is that the strap streams again on the returned adapter.
            let back = rig.wait(timeout: 30) { d in
                d.first?.text("link") == "streaming" && d.first?.int("reconnects") == 1 && d.first?.int("samples") ?? 0 > before + 20
            }
            #expect(rig.stopDaemon() == 0)
            #expect(back, "\(rig.devices()) \(rig.log)")
            #expect(rig.log.contains("adapter /org/bluez/hci0 vanished"))
            #expect(rig.log.contains("strap \(Self.strap) lost: disconnected"))
        }
    }

    @Test func aStrapThatFallsSilentIsReconnected() throws {
        let values = try Self.values(150)
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values, options: ["--stall-after", "60", "--interval", "0.01"])
            try rig.startDaemon(config: "[bluetooth]\nnotification_timeout_seconds = 2\nmax_reconnect_delay_seconds = 2\n")
            let done = rig.wait(timeout: 30) { $0.first?.int("samples") == values.count }
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
            #expect(rig.log.contains("strap \(Self.strap) lost: no notification for 2 s"))
            #expect(try rig.rawLog(Self.strap) == values)
        }
    }

    @Test func malformedNotificationsAreCountedLoggedAndKeptRaw() throws {
        var values = try Self.values(100)
        // 0 bytes; 200 bytes that claim no RR (trailing bytes); RR flag without HR; 16-bit HR cut short.
        let bad: [[UInt8]] = [[], [0x06, 70] + Array(repeating: 0, count: 198), [0x10], [0x01, 0x48]]
        for (i, b) in bad.enumerated() { values.insert(b, at: 20 + 15 * i) }
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values, options: ["--interval", "0.01"])
            try rig.startDaemon()
            let done = rig.wait(timeout: 30) { $0.first?.int("samples") == values.count - bad.count }
            let device = rig.device(Self.strap)
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
            #expect(device?.int("bad_notifications") == bad.count)
            #expect(device?.text("link") == "streaming", "bad bytes do not end the link")
            #expect(rig.log.components(separatedBy: "bad notification").count - 1 >= bad.count, "\(rig.log)")
            #expect(rig.log.contains(Self.strap))
            #expect(try rig.rawLog(Self.strap) == values, "the raw log keeps the bad bytes too, for replay")
        }
    }

    @Test func aStrapAppearingWhileAnotherStreamsIsAdoptedAndAStrapWithout2A37IsUnsupported() throws {
        let values = try Self.values(250)
        try LiveRig.with(straps: 3) { rig in
            try rig.startStraps([1], values: values, options: ["--interval", "0.02"])
            try rig.startDaemon()
            let first = rig.wait(timeout: 20) { $0.first?.int("samples") ?? 0 > 30 }
            #expect(first, "\(rig.log)")
            try rig.startStraps([2], values: values, options: ["--interval", "0.01"], name: "Second")
            try rig.startStraps([3], values: nil, options: ["--no-measurement"], name: "NoMeasurement")
            let done = rig.wait(timeout: 30) { d in
                d.filter { $0.int("samples") == values.count }.count == 2 && d.contains { $0.text("link") == "unsupported" }
            }
            let devices = rig.devices()
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(devices) \(rig.log)")
            #expect(rig.log.contains("strap \(LiveRig.strapAddress(3)) unsupported: no Heart Rate Measurement (0x2A37)"))
            let second = devices.first { $0.text("address") == LiveRig.strapAddress(2) }
            #expect(second?.text("name") == "Second 2")
            #expect(second?.int("battery") == 87)
            #expect(try LiveRig.rawLog(LiveRig.strapAddress(2), stateDirectory: rig.dir + "/state", characteristic: ATTUUID(.batteryLevel)) == [[87]],
                    "the battery level is in the strap's raw log, once while it does not change")
            #expect(second?.text("location") == "chest")
            let firstReconnects = devices.first { $0.text("address") == LiveRig.strapAddress(1) }?.int("reconnects")
            #expect(firstReconnects == 0)
        }
    }

    @Test func anAllowListAdoptsOnlyItsStrapsAndStopsScanningOnceTheyStream() throws {
        let values = try Self.values(100)
        try LiveRig.with(straps: 2) { rig in
            try rig.startStraps([1, 2], values: values, options: ["--interval", "0.01"])
            try rig.startDaemon(config: "[bluetooth]\nstraps = [\"\(LiveRig.strapAddress(2).lowercased())\"]\n")
            let done = rig.wait(timeout: 30) { $0.first?.int("samples") == values.count }
            Thread.sleep(forTimeInterval: 1.5)  // a scan interval: the other strap is advertising all along
            let devices = rig.devices()
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
            let addresses = devices.map { $0.text("address") }
            #expect(addresses == [LiveRig.strapAddress(2)])
            #expect(rig.log.contains("every listed strap is streaming; scanning stopped"))
        }
    }
}

/// Sixteen straps on one gateway, each with its own link, engine, raw log and status line.
@Suite(.serialized) struct ManyStrapsTests {
    @Test func sixteenStrapsStreamAtOnce() throws {
        let values = try PolarNotifications.first(150)
        try LiveRig.with(straps: 16) { rig in
            try rig.startStraps(Array(1...16), values: values, options: ["--interval", "0.02"])
            try rig.startDaemon()
            let done = rig.wait(timeout: 60) { d in d.count == 16 && d.allSatisfy { $0.int("samples") == values.count } }
            let devices = rig.devices()
            let status = try Executable.run("ingestctl", ["status", "--socket", rig.dir + "/state/control"])
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(devices.map { "\($0.text("address")) \($0.text("link")) \($0.int("samples"))" }) \(rig.log)")
            let addresses = Set(devices.map { $0.text("address") })
            #expect(addresses == Set((1...16).map(LiveRig.strapAddress)))
            #expect(status.stdout.components(separatedBy: "Strap: ").count - 1 == 16, "\(status.stdout)")
            #expect(rig.rawLogFiles.count == 16)
            for n in [1, 8, 16] {
                let raw = try rig.rawLog(LiveRig.strapAddress(n))
                #expect(raw == values, "strap \(n)")
            }
        }
    }
}
