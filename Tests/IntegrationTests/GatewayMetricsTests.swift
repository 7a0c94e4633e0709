import Foundation
import Testing
import TestSupport

/// The node_exporter textfile metrics, written by the real ingestd and scraped through a real
/// node_exporter: the numbers equal what the daemon recorded elsewhere (status, session files,
/// raw logs), and a directory that cannot be written costs a warning, never data.
@Suite(.serialized) struct GatewayMetricsTests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: NodeExporter.executable),
                     "prometheus-node-exporter is missing (scripts/install-deps installs it)")
    }

    /// The replayed Forerunner 965's strap (its FIT file_id serial 3486647825).
    static let strap = "F2:17:CF:D2:06:11"

    @Test func aReplayIsCountedInMetricsNodeExporterServes() throws {
        let dir = try FileBytes.temporaryDirectory("metrics")
        try FileManager.default.createDirectory(atPath: dir + "/textfile", withIntermediateDirectories: true)
        try Data("[metrics]\ntextfile_directory = \"\(dir)/textfile\"\n".utf8).write(to: URL(fileURLWithPath: dir + "/c.toml"))
        let run = try Executable.run("ingestd", ["--config", dir + "/c.toml", "--replay", ReplayDaemonTests.strength,
                                                 "--state-directory", dir + "/state"])
        #expect(run.status == 0, "\(run.stderr)")
        let status = try JSONSerialization.jsonObject(with: Data(FileBytes.read(dir + "/state/status.json"))) as? [String: Any]
        let device = try #require((status?["devices"] as? [[String: Any]])?.first)
        let samples = try #require(device["samples"] as? Int)
        let sessions = try FileBytes.files(under: dir + "/state/sessions", suffix: ".json")
            .filter { !$0.hasSuffix("weekly.json") }
            .map { try JSONSerialization.jsonObject(with: Data(FileBytes.read($0))) as? [String: Any] ?? [:] }
        try #require(!sessions.isEmpty)

        let exporter = try NodeExporter(directory: dir + "/textfile")
        let m = try exporter.scrape()
        #expect(m["node_textfile_scrape_error"] == 0, "node_exporter parsed ingestd.prom")
        #expect(m["ingestd_notifications_total{strap=\"\(Self.strap)\"}"] == Double(samples))
        #expect(m["ingestd_engine_samples_total"] == Double(samples))
        #expect((m["ingestd_engine_seconds_total"] ?? 0) > 0)
        #expect(m["ingestd_straps{link=\"replayed\"}"] == 1)
        #expect(m["ingestd_straps_connected"] == 0, "the replay has ended")
        let beats = (device["beats"] as? Int ?? -1) + (device["rejected_beats"] as? Int ?? -1)
        #expect(beats >= 0 && m["ingestd_rr_intervals_total{strap=\"\(Self.strap)\"}"] == Double(beats))
        for c in ["resistance", "endurance", "hiit", "unclassified"] {
            let recorded = sessions.filter { $0["class"] as? String == c }.count
            #expect(m["ingestd_sessions_total{class=\"\(c)\"}"] == Double(recorded), "\(c) sessions")
        }
        #expect(m.keys.filter { $0.hasPrefix("ingestd_heart_rate") }.isEmpty, "no heart rates in metrics")
    }

    @Test func anUnwritableMetricsDirectoryIsAWarningAndLosesNothing() throws {
        let dir = try FileBytes.temporaryDirectory("metrics")
        try Data("[metrics]\ntextfile_directory = \"\(dir)/missing\"\n".utf8).write(to: URL(fileURLWithPath: dir + "/c.toml"))
        let run = try Executable.run("ingestd", ["--config", dir + "/c.toml", "--replay", ReplayDaemonTests.strength,
                                                 "--state-directory", dir + "/state"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("metrics: \(dir)/missing/ingestd.prom.tmp"), "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "metrics: ").count == 2, "said once, not on every write")
        #expect(!FileBytes.files(under: dir + "/state/sessions", suffix: ".json").isEmpty)
    }

    @Test func liveStrapsAreCountedPerStrap() throws {
        let values = try PolarNotifications.first(240)
        try LiveRig.with(straps: 2) { rig in
            try FileManager.default.createDirectory(atPath: rig.dir + "/textfile", withIntermediateDirectories: true)
            try rig.startStraps([1], values: values, options: ["--interval", "0.02", "--battery", "64"])
            try rig.startStraps([2], values: values, options: ["--interval", "0.02", "--drop-after", "60"], name: "Dropping")
            try rig.startDaemon(config: "[metrics]\ntextfile_directory = \"\(rig.dir)/textfile\"\ninterval_seconds = 1\n")
            let exporter = try NodeExporter(directory: rig.dir + "/textfile")
            var both = false
            let end = Date().addingTimeInterval(20)
            while !both && Date() < end {
                both = (try? exporter.scrape())?["ingestd_straps_connected"] == 2
                Thread.sleep(forTimeInterval: 0.3)
            }
            #expect(both, "both straps shown streaming: \(rig.log)")
            var last: [[String: Any]] = []
            let done = rig.wait(timeout: 40) { devices in
                last = devices
                return devices.count == 2 && devices.allSatisfy { $0.int("samples") == values.count }
            }
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
            let m = try exporter.scrape()
            #expect(m["node_textfile_scrape_error"] == 0)
            #expect(m["ingestd_straps{link=\"streaming\"}"] == 2)
            for n in [1, 2] {
                let address = LiveRig.strapAddress(n)
                #expect(m["ingestd_notifications_total{strap=\"\(address)\"}"] == Double(try rig.rawLog(address).count),
                        "every raw-logged notification of \(address) counted once")
                let shown = last.first { $0.text("address") == address }
                let judged = (shown?.int("beats") ?? -1) + (shown?.int("rejected_beats") ?? -1)
                #expect(judged > 0 && m["ingestd_rr_intervals_total{strap=\"\(address)\"}"] == Double(judged))
            }
            #expect(m["ingestd_battery_percent{strap=\"\(LiveRig.strapAddress(1))\"}"] == 64)
            #expect(m["ingestd_battery_percent{strap=\"\(LiveRig.strapAddress(2))\"}"] == 87, "the peripheral's default")
            #expect(m["ingestd_reconnects_total{strap=\"\(LiveRig.strapAddress(1))\"}"] == 0)
            #expect((m["ingestd_reconnects_total{strap=\"\(LiveRig.strapAddress(2))\"}"] ?? 0) >= 1, "the dropped link")
            #expect((m["ingestd_engine_seconds_per_sample"] ?? 0) > 0)
            // Live counts engine samples as the replay does: samples the engine folded in.
            let folded = last.reduce(0) { $0 + $1.int("samples") }
            #expect(m["ingestd_engine_samples_total"] == Double(folded), "engine samples live = the straps' samples")
        }
    }

    /// systemd/metrics as an operator applies it: the tmpfiles entry gives the ingestd group an
    /// ACL on node_exporter's directory, the unit drop-in opens the same path, and ingestd, as
    /// the ingestd user under the unit's UMask=0077, writes a file another user can read.
    @Test func theShippedDeploymentLetsIngestdWriteWhereNodeExporterReads() throws {
        try DBusPolicyTests.ensureUser()
        let shipped = TestPaths.packageRoot + "/systemd/metrics/"
        let tmpfiles = String(decoding: try FileBytes.read(shipped + "ingestd-metrics.tmpfiles"), as: UTF8.self)
        let dropIn = String(decoding: try FileBytes.read(shipped + "ingestd-metrics.conf"), as: UTF8.self)
        let textfile = "/var/lib/prometheus/node-exporter"
        #expect(dropIn.contains("ReadWritePaths=\(textfile)\n") && tmpfiles.contains("a+ \(textfile) "))

        let root = try FileBytes.temporaryDirectory("metrics-root")
        try FileManager.default.createDirectory(atPath: root + "/etc/tmpfiles.d", withIntermediateDirectories: true)
        try Data(tmpfiles.utf8).write(to: URL(fileURLWithPath: root + "/etc/tmpfiles.d/ingestd-metrics.conf"))
        let applied = try Executable.runTool("/usr/bin/systemd-tmpfiles", ["--root=\(root)", "--create"])
        #expect(applied.status == 0, "\(applied.stderr)")
        try FileManager.default.createDirectory(atPath: root + "/state", withIntermediateDirectories: true)
        _ = try Executable.runTool("/bin/chown", ["ingestd:ingestd", root + "/state"])
        try Data("[metrics]\ntextfile_directory = \"\(root)\(textfile)\"\n".utf8).write(to: URL(fileURLWithPath: root + "/c.toml"))
        // A copy the ingestd user can read wherever the checkout is.
        try FileManager.default.copyItem(atPath: ReplayDaemonTests.strength, toPath: root + "/strength.fit")
        // The umask is set before setpriv (it survives setpriv and exec), as UMask= is for the unit.
        let run = try Executable.runTool("/bin/sh", [
            "-c", "umask 077; exec \"$@\"", "sh", "/usr/bin/setpriv", "--reuid=ingestd", "--regid=ingestd", "--init-groups",
            Executable.path("ingestd"), "--config", root + "/c.toml", "--replay", root + "/strength.fit",
            "--state-directory", root + "/state"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("metrics: "), "\(run.stderr)")
        let file = root + textfile + "/ingestd.prom"
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect(attributes[.ownerAccountName] as? String == "ingestd")
        #expect((attributes[.posixPermissions] as? Int) == 0o644, "readable by node_exporter's user despite UMask=0077")
        let other = try Executable.runTool("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/cat", file])
        #expect(other.status == 0 && other.stdout.contains("ingestd_notifications_total"))
    }
}
