import ArgumentParser
import Ingest
import Storage
import IngestDaemon
import Traces

/// Opens a recording for a subcommand; a file that cannot be opened is reported and exits 1.
func openTrace(_ path: String, attHandle: UInt16? = nil) throws -> (format: TraceFormat, reader: any TraceReader) {
    do {
        return try TraceFile.open(path, attHandle: attHandle)
    } catch {
        StandardError.write("ingestctl: \(error)\n")
        throw ExitCode(1)
    }
}
