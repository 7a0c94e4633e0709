import Glibc
import Ingest
import SystemCall
import SystemPackage

/// Crash-safe file replacement: write a temporary file in the same directory, fsync it,
/// rename it over the target, fsync the directory. A reader sees the old or the new file,
/// never a torn one.
///
/// Safe in a directory another user can write: the temporary name is unpredictable and
/// created with `O_CREAT | O_EXCL | O_NOFOLLOW` (a link planted there is never followed), and
/// `rename` replaces a symlink at the target rather than writing through it. Files are 0600
/// unless a mode is given, whatever the umask.
public enum AtomicFile {
    /// Replaces `path` with `bytes`: mode 0600, or exactly `mode` when given (a file another
    /// user's daemon must read, whatever the unit's UMask=).
    ///
    /// With `durable: false` (a status file rewritten every second, worthless after a crash)
    /// nothing is fsynced: the rename still makes the replacement atomic for readers.
    ///
    /// - Throws: `SystemCallError` naming the file and the step (open, fchmod, write, fsync, rename).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t? = nil, durable: Bool = true) throws(SystemCallError) {
        let permissions = FilePermissions(rawValue: mode ?? 0o600)
        var temp = ""
        var opened: FileDescriptor? = nil
        for _ in 0..<8 where opened == nil {
            temp = path + ".tmp." + String(UInt64.random(in: 1...UInt64.max), radix: 36)
            do {
                opened = try FileDescriptor.open(FilePath(temp), .writeOnly,
                                                 options: [.create, .exclusiveCreate, .noFollow, .closeOnExec],
                                                 permissions: permissions, retryOnInterrupt: true)
            } catch let e as Errno where e == .fileExists {
                continue
            } catch {
                throw SystemCallError("open", on: temp, errno: (error as? Errno) ?? .ioError)
            }
        }
        guard let fd = opened else { throw SystemCallError("open", on: temp, errno: .fileExists) }
        var failure = fill(fd, with: bytes, permissions: permissions, durable: durable, name: temp)
        do {
            try fd.close()
        } catch {
            failure = failure ?? SystemCallError("close", on: temp, errno: (error as? Errno) ?? .ioError)
        }
        if let failure {
            unlink(temp)
            throw failure
        }
        if rename(temp, path) != 0 {
            let failure = SystemCallError.last("rename", on: path)
            unlink(temp)
            throw failure
        }
        if durable { syncDirectory(of: path) }
    }

    /// Sets the mode exactly (the umask narrowed the creation mode), writes and, when durable,
    /// fsyncs; the error of the step that failed.
    private static func fill(_ fd: FileDescriptor, with bytes: [UInt8], permissions: FilePermissions,
                             durable: Bool, name: String) -> SystemCallError? {
        if fchmod(fd.rawValue, permissions.rawValue) != 0 { return .last("fchmod", on: name) }
        do {
            _ = try bytes.withUnsafeBytes { try fd.writeAll($0) }
        } catch {
            return SystemCallError("write", on: name, errno: (error as? Errno) ?? .ioError)
        }
        if durable && fsync(fd.rawValue) != 0 { return .last("fsync", on: name) }
        return nil
    }

    /// Replaces `path` with UTF-8 `text`.
    public static func write(_ text: String, to path: String) throws(SystemCallError) {
        try write(Array(text.utf8), to: path)
    }

    /// Creates `path` and its parents (mode 0700: heart-rate data is nobody else's) when missing.
    public static func makeDirectories(_ path: String) throws(SystemCallError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw .last("mkdir", on: current)
            }
        }
    }

    private static func syncDirectory(of path: String) {
        let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        guard let fd = try? FileDescriptor.open(FilePath(dir.isEmpty ? "/" : dir), .readOnly, options: [.directory, .closeOnExec]) else { return }
        fsync(fd.rawValue)
        try? fd.close()
    }
}
