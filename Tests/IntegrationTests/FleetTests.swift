import Foundation
import Glibc
import Testing
import TestSupport

/// Many gateways on loopback, all real: each simulated gateway (scripts/simulate_gateway: its own
/// hostname, machine ID and journald) replays real recordings through the real ingestd;
/// systemd-journal-upload ships its journal to one systemd-journal-remote, which is killed and
/// restarted in the middle; `ingestctl fleet` on the collector's files must show exactly the
/// sessions each gateway recorded: nothing lost, nothing twice.
@Suite(.serialized) struct FleetTests {
    static let port = "19632"
    static let recordings = ["20474406937", "20548472357", "20555050352", "20744294788", "20747700969", "20748058539"]
        .map { TestPaths.fixture("fit-analyzer-jarkko/\($0)_ACTIVITY.fit") }

    static func startCollector(_ output: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/lib/systemd/systemd-journal-remote")
        p.arguments = ["--listen-http=127.0.0.1:\(port)", "--output=\(output)/", "--split-mode=host"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Ready when it accepts a connection on its port (at most 5 s).
        for _ in 0..<250 where !Self.accepts(port: UInt16(port) ?? 0) { Thread.sleep(forTimeInterval: 0.02) }
        return p
    }

    /// Whether something listens on 127.0.0.1:`port`.
    static func accepts(port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func upload(_ journal: String, state: String) throws -> Executable.Result {
        try Executable.runTool("/lib/systemd/systemd-journal-upload", ["--url=http://127.0.0.1:\(port)", "--directory=\(journal)",
                                                                       "--follow=no", "--save-state=\(state)"])
    }

    /// The session-ended entries in the collector's files.
    static func sessionEntries(_ directory: String) throws -> Int {
        let raw = try Executable.runTool("/bin/journalctl", ["-D", directory, "-o", "json", "--no-pager",
                                                              "MESSAGE_ID=326c8eb9be4544718ead63fd18611a5b"])
        return raw.stdout.split(separator: "\n").count
    }

    @Test func eightGatewaysShipEverySessionOnceThroughACollectorThatRestarts() throws {
        let dir = try FileBytes.temporaryDirectory("fleet")
        let gateways = 8
        var expected: [String: Set<String>] = [:]
        for g in 1...gateways {
            let r = try Executable.runTool(TestPaths.packageRoot + "/scripts/simulate_gateway", [
                dir + "/gw\(g)", "gateway-\(g)", Executable.path("ingestd"),
                Self.recordings[g % 6], Self.recordings[(g + 1) % 6]])
            try #require(r.status == 0, "gateway \(g): \(r.stderr)")
            let ids = FileBytes.files(under: dir + "/gw\(g)/state/sessions", suffix: ".json").map {
                String($0.split(separator: "/").last!.dropLast(5))
            }
            try #require(ids.count == 2)
            expected["gateway-\(g)"] = Set(ids)
        }
        try FileManager.default.createDirectory(atPath: dir + "/remote", withIntermediateDirectories: true)
        var collector = try Self.startCollector(dir + "/remote")
        defer { if collector.isRunning { PrivateBus.stop(collector) } }
        // Round 1: each gateway's journal after its first session; the collector dies half-way.
        for g in 1...gateways {
            if g == gateways / 2 + 1 {
                // journal-remote answers an upload before its entries are on disk: a kill inside
                // that window loses them for good (the uploader has saved its cursor). Kill it
                // once what was acknowledged is stored, as a crash between uploads.
                for _ in 0..<50 where try Self.sessionEntries(dir + "/remote") < g - 1 { Thread.sleep(forTimeInterval: 0.1) }
                PrivateBus.stop(collector)
                collector = try Self.startCollector(dir + "/remote")
            }
            let r = try Self.upload(dir + "/gw\(g)/journal.1", state: dir + "/gw\(g)/upload.state")
            #expect(r.status == 0, "upload gateway \(g): \(r.stderr)")
        }
        // Round 2: the journals now hold the second session too; uploads resume from their cursor.
        // Round 3: nothing new, nothing sent again.
        for round in 2...3 {
            for g in 1...gateways {
                let r = try Self.upload(dir + "/gw\(g)/journal.2", state: dir + "/gw\(g)/upload.state")
                #expect(r.status == 0, "round \(round), gateway \(g): \(r.stderr)")
            }
        }
        collector.terminate()
        collector.waitUntilExit()

        let entries = try Self.sessionEntries(dir + "/remote")
        #expect(entries == 2 * gateways, "every session-ended entry exactly once at the collector")
        let fleet = try Executable.run("ingestctl", ["fleet", "--journal-dir", dir + "/remote", "--json"])
        #expect(fleet.status == 0 && fleet.stderr.isEmpty, "\(fleet.stderr)")
        let rows = fleet.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        var shown: [String: Set<String>] = [:]
        for row in rows { shown[row["gateway"] as? String ?? "?", default: []].insert(row["id"] as? String ?? "?") }
        #expect(shown == expected)
        let machines = Set(rows.compactMap { $0["machine_id"] as? String })
        #expect(machines.count == gateways, "a distinct machine ID per gateway")
        // Content equal to what each gateway stored.
        for g in [1, gateways] {
            for file in FileBytes.files(under: dir + "/gw\(g)/state/sessions", suffix: ".json") {
                let stored = try JSONSerialization.jsonObject(with: Data(try FileBytes.read(file))) as! [String: Any]
                let row = rows.first { $0["gateway"] as? String == "gateway-\(g)" && $0["id"] as? String == stored["id"] as? String }
                #expect(row?["class"] as? String == stored["class"] as? String)
                #expect(row?["trimp"] as? Double == (stored["trimp"] as? [String: Any])?["banister"] as? Double)
            }
        }
    }
}
