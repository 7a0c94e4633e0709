import Ingest
import Traces

/// Opens a recording from disk with the reader its first bytes call for.
public enum TraceFile {
    /// A reader for `path`, sniffing CSV, FIT, the native raw log, btsnoop or RR text; `attHandle` is the
    /// heart-rate value handle for a btsnoop capture that holds no discovery.
    public static func open(_ path: String, attHandle: UInt16? = nil) throws(TraceError) -> (format: TraceFormat, reader: any TraceReader) {
        let prefix = try FileByteSource.prefix(of: path, count: 16)
        if prefix.isEmpty { throw TraceError(.empty, source: path, at: .whole, "the file is empty") }
        let format = TraceFormat.sniff(prefix)
        let source = try FileByteSource(path: path)
        switch format {
        case .csv: return (format, CSVTraceReader(source, name: path))
        case .fit: return (format, FITTraceReader(source, name: path))
        case .rawLog: return (format, RawLogReader(source, name: path))
        case .btsnoop: return (format, BtsnoopReader(source, name: path, heartRateHandle: attHandle))
        case .rrText: return (format, RRTextReader(source, name: path))
        }
    }
}
