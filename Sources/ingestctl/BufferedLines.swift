import Glibc

/// Lines for standard output, written 64 KiB at a time (16 000 `print` calls cost more than the
/// windows they print).
struct BufferedLines {
    private var pending = ""

    init() { pending.reserveCapacity(1 << 16) }

    /// Adds `line` and a newline; writes out once 64 KiB are pending.
    mutating func write(_ line: String) {
        pending += line
        pending += "\n"
        if pending.utf8.count >= 1 << 16 { flush() }
    }

    /// Writes what is pending.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        pending.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(1, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }  // a closed pipe: nothing more to say
                done += n
            }
        }
        pending.removeAll(keepingCapacity: true)
    }
}
