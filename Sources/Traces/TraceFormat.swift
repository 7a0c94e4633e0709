/// The recorded-trace formats this product reads.
public enum TraceFormat: String, Sendable, CaseIterable {
    /// CSV `timestamp,hr,rr`.
    case csv
    /// FIT activity file.
    case fit
    /// The native raw log of notification bytes.
    case rawLog = "raw"
    /// A btsnoop capture (`btmon -w`, or HCI H4/H1 snoop logs).
    case btsnoop
    /// RR intervals, one per line in ms (our `.rr.txt` export, Kubios text).
    case rrText = "rr"

    /// Recognises a format from the first bytes of a file (at least 12 if available).
    public static func sniff(_ prefix: some Collection<UInt8>) -> TraceFormat {
        let bytes = Array(prefix.prefix(16))
        if bytes.count >= 8, Array(bytes[0..<8]) == RawLogFormat.magic { return .rawLog }
        if bytes.count >= 8, Array(bytes[0..<8]) == Array("btsnoop\0".utf8) { return .btsnoop }
        if bytes.count >= 12, bytes[0] == 12 || bytes[0] == 14,
           bytes[8] == 0x2E, bytes[9] == 0x46, bytes[10] == 0x49, bytes[11] == 0x54 {
            return .fit
        }
        if RRTextReader<InMemoryByteSource>.looksLikeRRText(bytes) { return .rrText }
        return .csv
    }
}
