import Glibc

/// Unbuffered writes to file descriptor 2 (no shared `FILE *`, so no global mutable state).
public enum StandardError {
    /// Writes `text` whole to standard error.
    public static func write(_ text: String) {
        write(text, toDescriptor: 2)
    }

    /// Writes `text` whole to `fd`, retrying on EINTR; stops quietly when the reader has gone.
    public static func write(_ text: String, toDescriptor fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, base + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
