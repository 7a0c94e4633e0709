import Foundation
import HeartRateWire
import Testing
import TestSupport
@testable import Traces

/// The real ingestd in live mode, with BlueZoo as bluetoothd and a simulated strap: it finds,
/// connects and streams the strap, and its raw log holds every notification bit for bit.
@Suite(.serialized) struct LiveDaemonTests {
    @Test func streamsASimulatedStrapIntoTheRawLog() throws {
        let values = try PolarNotifications.first(300)
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values)
            try rig.startDaemon()
            let done = rig.wait(timeout: 20) { $0.first?.int("samples") == values.count }
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
            #expect(rig.log.contains("strap 00:00:00:00:00:02 (Polar H10 SIM 1) found") && rig.log.contains("streaming"))
            let raws = rig.rawLogFiles
            try #require(raws.count == 1)
            var reader = RawLogReader(InMemoryByteSource(try FileBytes.read(raws[0])), name: raws[0])
            var logged: [[UInt8]] = []
            var battery: [[UInt8]] = []
            while let n = try reader.nextNotification() {
                #expect(n.device == DeviceAddress("00:00:00:00:00:02")!)
                if n.characteristic == ATTUUID(.batteryLevel) { battery.append(n.value) } else { logged.append(n.value) }
            }
            #expect(logged == values, "the raw log replays the live session bit for bit")
            #expect(battery == [[87]], "and holds the strap's battery level beside it")
            #expect(reader.tailDamage == nil)
        }
    }

    /// `polar_ecg = true` through BlueZ: StartNotify on the PMD control point and data, the
    /// start request by WriteValue, the answer and the frames as Value changes; every frame in
    /// the raw log beside the heart rate. A strap that refuses ECG, and one without PMD, stream
    /// heart rate as before.
    @Test func recordsPolarECGThroughBlueZ() throws {
        let values = try PolarNotifications.first(150)
        let frames = PolarNotifications.ecgFrames(120)
        try LiveRig.with(straps: 3) { rig in
            let ecg = try rig.notifications(frames, name: "ecg")
            try rig.startStraps([1], values: values, options: ["--interval", "0.02", "--ecg", ecg])
            try rig.startStraps([2], values: values, options: ["--interval", "0.02", "--ecg", ecg, "--ecg-status", "13"])
            try rig.startStraps([3], values: values, options: ["--interval", "0.02"])
            try rig.startDaemon(config: "[bluetooth]\npolar_ecg = true\n")
            let (polar, refusing, plain) = (LiveRig.strapAddress(1), LiveRig.strapAddress(2), LiveRig.strapAddress(3))
            let done = rig.wait(timeout: 30) { d in
                d.count == 3 && d.allSatisfy { $0.int("samples") == values.count }
                    && d.contains { $0.text("address") == polar && $0.int("ecg_samples") == frames.count * 73 }
            }
            let devices = rig.devices()
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(devices) \(rig.log)")
            let state = rig.dir + "/state"
            #expect(try LiveRig.rawLog(polar, stateDirectory: state) == values)
            #expect(try LiveRig.rawLog(polar, stateDirectory: state, characteristic: PolarPMDFrame.data) == frames)
            #expect(try LiveRig.rawLog(refusing, stateDirectory: state, characteristic: PolarPMDFrame.data).isEmpty)
            func device(_ address: String) -> [String: Any]? { devices.first { $0.text("address") == address } }
            #expect(device(polar)?.text("ecg") == "recording")
            #expect(device(refusing)?.text("ecg") == "not recorded: the strap refused ECG: PMD status 13: device in charger")
            #expect(device(plain)?.text("ecg") == "not offered by this strap")
            #expect(rig.log.contains("strap \(polar): Polar ECG started (130 Hz)"), "\(rig.log)")
        }
    }

    @Test func sighupReloadsAGoodConfigAndRefusesABadOneWhileStreaming() throws {
        let values = try PolarNotifications.first(200)
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values, options: ["--interval", "0.02"])
            try rig.startDaemon(config: "[athlete]\nage = 35\n")
            let streaming = rig.wait(timeout: 20) { $0.first?.int("samples") ?? 0 > 20 }
            #expect(streaming, "\(rig.log)")
            try Data("[athlete]\nage = 900\n".utf8).write(to: URL(fileURLWithPath: rig.dir + "/ingestd.toml"))
            #expect(rig.signal(SIGHUP), "a bad config on SIGHUP does not stop the daemon")
            try Data("[athlete]\nage = 40\n".utf8).write(to: URL(fileURLWithPath: rig.dir + "/ingestd.toml"))
            #expect(rig.signal(SIGHUP))
            let done = rig.wait(timeout: 20) { $0.first?.int("samples") == values.count }
            #expect(rig.stopDaemon() == 0)
            #expect(done, "the strap streams on through both reloads: \(rig.log)")
            #expect(rig.log.contains("config error, keeping the running configuration: \(rig.dir)/ingestd.toml:2: athlete.age"))
            #expect(rig.log.contains("configuration reloaded from \(rig.dir)/ingestd.toml"))
        }
    }
}

/// A live session and the replay of its own raw log are the same session: same class,
/// confidence, duration, load and stimulus (everything but the IDs that name the source).
@Suite(.serialized) struct LiveReplayEquivalenceTests {
    @Test func aLiveSessionEqualsTheReplayOfItsRawLog() throws {
        let values = try PolarNotifications.first(1400)
        // Wall time is the sample clock live: a short confirmation window makes a session of
        // half a minute of real notifications (sped up 40×).
        let config = """
            [athlete]
            age = 35
            resting_heart_rate = 50
            [session]
            start_active_seconds = 30
            """
        try LiveRig.with(straps: 1) { rig in
            try rig.startStraps([1], values: values, options: ["--interval", "0.025"])
            try rig.startDaemon(config: config)
            let done = rig.wait(timeout: 90) { $0.first?.int("samples") == values.count }
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
            try Self.expectLiveSessionEqualsReplay(stateDirectory: rig.dir + "/state", config: rig.dir + "/ingestd.toml", log: rig.log)
        }
    }

    /// The one session under `stateDirectory` equals `ingestctl analyze` of its raw log with
    /// `config`, field by field (all but the IDs that name the source).
    static func expectLiveSessionEqualsReplay(stateDirectory: String, config: String, log: String) throws {
        let files = FileBytes.files(under: stateDirectory + "/sessions", suffix: ".json").filter { !$0.hasSuffix("weekly.json") }
        let live = try files.map { path in
            try JSONSerialization.jsonObject(with: Data(FileBytes.read(path))) as? [String: Any] ?? [:]
        }
        try #require(live.count == 1, "one live session: \(files) \(log)")
        let raw = try #require(FileBytes.files(under: stateDirectory + "/raw", suffix: ".wiraw").first)
        let replay = try Executable.run("ingestctl", ["analyze", raw, "--json", "--config", config])
        let replayed = replay.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        try #require(replayed.count == 1, "\(replay.stdout) \(replay.stderr)")
        // The IDs too: a live session and the replay of its raw log are one session (issue 18).
        let ignored: Set<String> = ["kind", "source"]
        let a = live[0].filter { !ignored.contains($0.key) }
        let b = replayed[0].filter { !ignored.contains($0.key) }
        #expect(Set(a.keys) == Set(b.keys))
        for key in a.keys.sorted() {
            let same = NSDictionary(dictionary: [key: a[key]!]).isEqual(to: [key: b[key] as Any])
            #expect(same, "\(key): live \(a[key]!) vs replay \(b[key] ?? "missing")")
        }
        #expect(a["class"] as? String != nil)
        // Replayed into the same state directory, the session is stored and counted once.
        let again = try Executable.run("ingestd", ["--replay", raw, "--config", config, "--state-directory", stateDirectory])
        #expect(again.status == 0, "\(again.stderr)")
        let after = FileBytes.files(under: stateDirectory + "/sessions", suffix: ".json").filter { !$0.hasSuffix("weekly.json") }
        #expect(after == files, "the replay wrote the live session's file again, no second session: \(after)")
        #expect(try WeeklyStateTests.weeklyIDs(stateDirectory) == [live[0]["id"] as? String ?? "?"], "the week counts it once")
    }
}
