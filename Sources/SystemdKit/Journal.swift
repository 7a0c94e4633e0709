import SystemCall
import CSystemd
import Glibc

/// Structured entries for the systemd journal (wraps `sd_journal_sendv(3)`; no variadic call).
public enum Journal {
    /// The native journal socket.
    public static let socketPath = "/run/systemd/journal/socket"

    /// Whether a journald is listening here.
    public static var isAvailable: Bool { access(socketPath, W_OK) == 0 }

    /// Whether standard error already goes to the journal (`$JOURNAL_STREAM` set by systemd).
    public static var standardErrorIsJournal: Bool { getenv("JOURNAL_STREAM") != nil }

    /// Sends one entry. Field names must be uppercase letters, digits and underscores, not
    /// starting with an underscore (journald's trusted fields); values may hold any bytes.
    ///
    /// - Throws: `SystemCallError` with the errno of `sd_journal_sendv`.
    public static func send(_ fields: [(name: String, value: String)]) throws(SystemCallError) {
        guard !fields.isEmpty else { return }
        // One contiguous buffer; the iovecs point into it only inside the closure.
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(fields.count)
        for field in fields {
            let start = bytes.count
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: field.value.utf8)
            ranges.append(start..<bytes.count)
        }
        let r: Int32 = bytes.withUnsafeMutableBytes { raw in
            let vectors = ranges.map { iovec(iov_base: raw.baseAddress! + $0.lowerBound, iov_len: $0.count) }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
        try SystemCallError.check(r, "sd_journal_sendv")
    }
}
