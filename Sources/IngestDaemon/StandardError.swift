import Glibc

/// Unbuffered writes to file descriptor 2 (no shared `FILE *`, so no global mutable state).
public enum StandardError {
    /// Writes `text` whole to standard error.
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
