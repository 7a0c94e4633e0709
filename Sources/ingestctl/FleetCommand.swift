import ArgumentParser
import Foundation
import Ingest
import IngestDaemon
import Traces

/// `ingestctl fleet`: every gateway's sessions, rebuilt from journal files (this machine's, or
/// what systemd-journal-remote collected from many gateways).
struct FleetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Sessions per gateway and strap, read from journal files.",
        discussion: "Reads the session-ended entries (their MESSAGE_ID) with sd-journal; each carries the whole summary.")

    @Option(name: .long, help: "A directory of journal files (e.g. /var/log/journal/remote).")
    var journalDir = "/var/log/journal"

    @Option(name: .long, help: "Only sessions logged since this ISO 8601 time or Unix seconds.")
    var since: String?

    @Flag(name: .long, help: "One JSON object per line.")
    var json = false

    @Option(name: .long, help: "Group each gateway's sessions by strap or by athlete.")
    var by: FleetText.Grouping = .strap

    func run() throws {
        let sinceSeconds: Double?
        if let since {
            guard let s = Double(since) ?? ISO8601.parse(since) else {
                StandardError.write("ingestctl: --since \(since): expected ISO 8601 (2026-11-25T08:00:00Z) or Unix seconds\n")
                throw ExitCode(2)
            }
            sinceSeconds = s
        } else {
            sinceSeconds = nil
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: journalDir, isDirectory: &isDirectory), isDirectory.boolValue else {
            StandardError.write("ingestctl: \(journalDir): not a directory of journal files\n")
            throw ExitCode(1)
        }
        let fleet = try FleetReader.read(journalDir, since: sinceSeconds)
        if !fleet.skipped.isEmpty { StandardError.write("ingestctl: warning: \(fleet.skipped.count) damaged entries skipped\n") }
        if json {
            for s in fleet.sessions { print(JSONLines.line(s)) }
            return
        }
        print(FleetText.describe(fleet.sessions, by: by))
    }
}

extension FleetText.Grouping: ExpressibleByArgument {}

extension FleetReader {
    /// Reads `directory` for a command: damaged entries are named on standard error, an
    /// unreadable directory exits 1.
    static func read(_ directory: String, since: Double? = nil) throws -> FleetReader {
        let fleet: FleetReader
        do {
            fleet = try FleetReader(directory: directory, since: since)
        } catch {
            StandardError.write("ingestctl: \(directory): \(error)\n")
            throw ExitCode(1)
        }
        for problem in fleet.skipped { StandardError.write("ingestctl: skipped: \(problem)\n") }
        return fleet
    }
}
