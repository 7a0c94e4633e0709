import ArgumentParser
import Foundation
import Ingest
import IngestDaemon

/// `ingestctl export ID --format fit|csv|json [-o FILE]`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a recorded session as FIT (Garmin Connect, Strava, …), CSV (RR intervals in ms) or JSON."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case fit, csv, json }

    @Argument(help: "The session ID (see `ingestctl sessions`).")
    var id: String

    @Option(name: .long, help: "fit, csv or json.")
    var format: Format

    @Option(name: [.customShort("o"), .long], help: "Output file (default: standard output).")
    var output: String?

    @OptionGroup var options: StateOptions

    func validate() throws {
        if id.contains("/") || id.isEmpty { throw ValidationError("`\(id)` is not a session ID") }
        if format == .fit && output == nil && isatty(1) != 0 {
            throw ValidationError("FIT is binary: give -o FILE or redirect standard output")
        }
    }

    func run() throws {
        let base = options.stateDirectory + "/sessions/" + id
        let source = switch format {
        case .fit: base + ".fit"
        case .csv: base + ".rr.txt"
        case .json: base + ".json"
        }
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(source)
        } catch {
            let hint = format == .csv ? " (sessions without RR intervals have no RR file)" : ""
            StandardError.write("ingestctl: no \(format.rawValue) export for session \(id): \(error)\(hint)\n")
            throw ExitCode(1)
        }
        var out = bytes
        if format == .csv { out = Array("rr_ms\n".utf8) + bytes }
        if let output {
            do {
                try AtomicFile.write(out, to: output)
            } catch {
                StandardError.write("ingestctl: \(error)\n")
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(out))
        }
    }
}
