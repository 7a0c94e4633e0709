import IngestDaemon

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
        StandardError.write(pending, toDescriptor: 1)
        pending.removeAll(keepingCapacity: true)
    }
}
