import Ingest
import Glibc

/// Crash-safe file replacement: write a temporary file in the same directory, fsync it,
/// rename it over the target, fsync the directory. A reader sees the old or the new file,
/// never a torn one.
///
/// Safe in a directory another user can write: the temporary name is unpredictable and
/// created with `O_CREAT | O_EXCL | O_NOFOLLOW` (a link planted there is never followed), and
/// `rename` replaces a symlink at the target rather than writing through it. Files are 0600
/// unless a mode is given, whatever the umask.
public enum AtomicFile {
    /// An error naming the path and the failing step.
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var step: String
        public var errno: Int32
        public var description: String { "\(path): \(step) failed: \(reason)" }
        /// The errno text.
        public var reason: String { String(cString: strerror(errno)) }
    }

    /// Replaces `path` with `bytes`: mode 0600, or exactly `mode` when given (a file another
    /// user's daemon must read, whatever the unit's UMask=).
    ///
    /// With `durable: false` (a status file rewritten every second, worthless after a crash)
    /// nothing is fsynced: the rename still makes the replacement atomic for readers.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t? = nil, durable: Bool = true) throws(WriteError) {
        let mode = mode ?? 0o600
        var temp = ""
        var fd: Int32 = -1
        for _ in 0..<8 {
            temp = path + ".tmp." + String(UInt64.random(in: 1...UInt64.max), radix: 36)
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw WriteError(path: temp, step: "open", errno: errno) }
        if fchmod(fd, mode) != 0 {
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
        if durable && fsync(fd) != 0 {
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
        if durable { syncDirectory(of: path) }
    }

    /// Replaces `path` with UTF-8 `text`.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Array(text.utf8), to: path)
    }

    /// Creates `path` and its parents (mode 0700: heart-rate data is nobody else's) when missing.
    public static func makeDirectories(_ path: String) throws(WriteError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
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
