import Glibc

/// Crash-safe file replacement: write a temporary file in the same directory, fsync it,
/// rename it over the target, fsync the directory. A reader sees the old or the new file,
/// never a torn one.
public enum AtomicFile {
    /// An error naming the path and the failing step.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var step: String
        public var errno: Int32
        public var description: String { "\(path): \(step) failed: \(String(cString: strerror(errno)))" }
    }

    /// Replaces `path` with `bytes`: mode 0644 less the umask, or exactly `mode` when given (a
    /// file another user's daemon must read, whatever the unit's UMask=).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t? = nil) throws(WriteError) {
        let temp = path + ".tmp.\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode ?? 0o644)
        guard fd >= 0 else { throw WriteError(path: temp, step: "open", errno: errno) }
        if let mode, fchmod(fd, mode) != 0 {
            let e = errno
            close(fd)
            unlink(temp)
            throw WriteError(path: temp, step: "fchmod", errno: e)
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd)
                unlink(temp)
                throw WriteError(path: temp, step: "write", errno: e)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let e = errno
            close(fd)
            unlink(temp)
            throw WriteError(path: temp, step: "fsync", errno: e)
        }
        close(fd)
        if rename(temp, path) != 0 {
            let e = errno
            unlink(temp)
            throw WriteError(path: path, step: "rename", errno: e)
        }
        syncDirectory(of: path)
    }

    /// Replaces `path` with UTF-8 `text`.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Array(text.utf8), to: path)
    }

    /// Creates `path` and its parents (mode 0755) when missing.
    public static func makeDirectories(_ path: String) throws(WriteError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw WriteError(path: current, step: "mkdir", errno: errno)
            }
        }
    }

    private static func syncDirectory(of path: String) {
        let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let fd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
