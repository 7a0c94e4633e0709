import Glibc
import Traces

/// Appends notifications to a native raw log file (see `RawLogFormat`), one `write` per record.
///
/// Opening an existing log first reads it through: a torn or corrupt tail left by a crash is
/// cut (the file is truncated to its last good record) and reported in `repairedTail`, so
/// new records never follow garbage.
public final class RawLogWriter {
    /// The log's path.
    public let path: String
    /// What was cut when the file was opened, if anything.
    public let repairedTail: RawLogTailDamage?
    /// Records in the file (found at open plus appended).
    public private(set) var recordCount: Int
    private var fd: Int32

    /// An error naming the path and the failing step.
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Opens (or creates) the log at `path`.
    public init(path: String) throws(Failure) {
        self.path = path
        var damage: RawLogTailDamage? = nil
        var count = 0
        var validLength = 0
        if access(path, F_OK) == 0 {
            do {
                var reader = RawLogReader(try FileByteSource(path: path), name: path)
                while try reader.nextNotification() != nil {}
                damage = reader.tailDamage
                count = reader.recordCount
                validLength = reader.validLength
            } catch {
                if error.code == .empty {
                    validLength = 0
                } else {
                    throw Failure(path: path, reason: "not a raw log this build can append to: \(error)")
                }
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Failure(path: path, reason: "open failed: \(String(cString: strerror(errno)))") }
        if let damage, ftruncate(fd, off_t(damage.validLength)) != 0 {
            let reason = "cannot cut the damaged tail: \(String(cString: strerror(errno)))"
            close(fd)
            throw Failure(path: path, reason: reason)
        }
        if validLength == 0 {
            _ = ftruncate(fd, 0)
            let header = RawLogFormat.header()
            guard header.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == header.count else {
                close(fd)
                throw Failure(path: path, reason: "cannot write the header")
            }
        }
        lseek(fd, 0, SEEK_END)
        self.fd = fd
        repairedTail = damage
        recordCount = count
    }

    deinit { close(fd) }

    /// Appends one record with a single `write` call.
    public func append(_ notification: RawNotification) throws(Failure) {
        let bytes = RawLogFormat.encode(notification)
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else {
            throw Failure(path: path, reason: n < 0 ? "write failed: \(String(cString: strerror(errno)))" : "short write (\(n) of \(bytes.count) bytes)")
        }
        recordCount += 1
    }

    /// Flushes to stable storage (`fdatasync`); the daemon calls it about once a second.
    public func sync() { fdatasync(fd) }
}
