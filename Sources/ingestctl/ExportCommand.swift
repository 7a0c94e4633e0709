import ArgumentParser
import Foundation
import Ingest
import Storage
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

    @Option(name: [.customShort("o"), .long],
            help: "Output file (default or `-`: standard output). An existing target must be a regular file, not a link.")
    var output: String?

    @OptionGroup var options: StateOptions

    func validate() throws {
        if !SessionRecord.isIdentifier(id) {
            throw ValidationError("`\(id.debugDescription.dropFirst().dropLast())` is not a session ID (YYYYMMDDThhmmssZ-STRAP, see `ingestctl sessions`)")
        }
        if format == .fit && (output == nil || output == "-") && isatty(1) != 0 {
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
            bytes = try WholeFile.read(source, followingSymlinks: false)
        } catch {
            let hint = format == .csv ? " (sessions without RR intervals have no RR file)" : ""
            StandardError.write("ingestctl: no \(format.rawValue) export for session \(id): \(error)\(hint)\n")
            throw ExitCode(1)
        }
        var out = bytes
        if format == .csv { out = Array("rr_ms\n".utf8) + bytes }
        if let output, output != "-" {
            do {
                try ExportTarget.check(output)
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

/// Where `export -o` may write: a new file, or an existing regular file that is not a symbolic
/// link. A device (`/dev/null`), a FIFO, a directory or a link is refused, never replaced.
enum ExportTarget {
    struct Refused: Error, CustomStringConvertible {
        var path: String
        var what: String
        var description: String { "\(path): \(what); not replacing it (write to a regular file, or `-o -` for standard output)" }
    }

    static func check(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }  // a new file
        switch st.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK: throw Refused(path: path, what: "is a symbolic link")
        case S_IFCHR, S_IFBLK: throw Refused(path: path, what: "is a device")
        case S_IFIFO: throw Refused(path: path, what: "is a FIFO")
        case S_IFDIR: throw Refused(path: path, what: "is a directory")
        default: throw Refused(path: path, what: "is not a regular file")
        }
    }
}
