import ArgumentParser
import Ingest
import IngestDaemon
import Traces

/// Opens a recording for a subcommand; a file that cannot be opened is reported and exits 1.
func openTrace(_ path: String) throws -> (format: TraceFormat, reader: any TraceReader) {
    do {
        return try TraceFile.open(path)
    } catch {
        StandardError.write("ingestctl: \(error)\n")
        throw ExitCode(1)
    }
}
