import Glibc
import Ingest
import SystemCall
import SystemPackage
import Traces

/// Appends notifications to a native raw log file (see `RawLogFormat`), one `write` per record.
///
/// Opening an existing log first reads it through: a torn or corrupt tail left by a crash is
/// cut (the file is truncated to its last good record) and reported in `repairedTail`, so
/// new records never follow garbage; a damaged record inside the file is kept where it is,
/// skipped by every reader and reported in `skippedDamage`. A write that fails half-way (disk
/// full) is undone by truncating back to the last whole record before anything else is
/// appended. The file is opened without following a symlink, must be a regular file, and is
/// created 0600.
public final class RawLogWriter {
    /// The log's path.
    public let path: String
    /// What was cut when the file was opened, if anything.
    public let repairedTail: RawLogTailDamage?
    /// Damaged ranges inside the file found at open (kept, skipped by readers).
    public let skippedDamage: [RawLogSkippedRange]
    /// Records in the file (found at open plus appended).
    public private(set) var recordCount: Int
    private var fd: Int32
    /// Where the last whole record ends: the file is truncated back here after a short write.
    private var end: off_t
    private var encoded: [UInt8] = []

    /// Opens (or creates) the log at `path`.
    ///
    /// - Throws: `SystemCallError` naming the path and the step; a symlink, a file that is not
    ///   regular or not a raw log is refused with words that say so.
    public init(path: String) throws(SystemCallError) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw errno == ELOOP
                ? SystemCallError("open", on: path, errno: .tooManySymbolicLinkLevels, detail: "is a symbolic link; refusing to follow it")
                : .last("open", on: path)
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw SystemCallError("open", on: path, errno: .invalidArgument, detail: "not a regular file")
        }
        var damage: RawLogTailDamage? = nil
        var skipped: [RawLogSkippedRange] = []
        var count = 0
        var validLength = 0
        if st.st_size > 0 {
            do {
                var reader = RawLogReader(DescriptorByteSource(fd: fd), name: path)
                while try reader.nextNotification() != nil {}
                damage = reader.tailDamage
                skipped = reader.skipped
                count = reader.recordCount
                validLength = damage?.validLength ?? Int(st.st_size)
            } catch where error.code == .truncated && Int(st.st_size) < RawLogFormat.headerSize {
                validLength = 0  // a crash while the header was written: start the file again
            } catch {
                close(fd)
                throw SystemCallError("read", on: path, errno: .invalidArgument, detail: "not a raw log this build can append to",
                                      hint: " (\(error))")
            }
        }
        if let damage, ftruncate(fd, off_t(damage.validLength)) != 0 {
            let f = SystemCallError.last("ftruncate (cutting the damaged tail)", on: path)
            close(fd)
            throw f
        }
        if validLength == 0 {
            let header = RawLogFormat.header()
            guard ftruncate(fd, 0) == 0,
                  header.withUnsafeBytes({ pwrite(fd, $0.baseAddress, $0.count, 0) }) == header.count else {
                let f = SystemCallError.last("pwrite (the header)", on: path)
                _ = ftruncate(fd, 0)
                close(fd)
                throw f
            }
            validLength = header.count
        }
        end = off_t(validLength)
        self.fd = fd
        repairedTail = damage
        skippedDamage = skipped
        recordCount = count
        encoded.reserveCapacity(RawLogFormat.recordOverhead + RawLogFormat.maximumPayloadLength)
    }

    deinit { close(fd) }

    /// Appends one record with a single `write` call at the end of the last whole record. A
    /// value too long to log, or a failed or short write, throws; after a short write the file
    /// is truncated back, so the next record follows the last whole one.
    public func append(_ notification: RawNotification) throws(SystemCallError) {
        encoded.removeAll(keepingCapacity: true)
        do {
            try RawLogFormat.encode(notification, into: &encoded)
        } catch {
            throw SystemCallError("encode", on: path, errno: .messageTooLong, detail: "record not written", hint: " (\(error))")
        }
        let n = encoded.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, end) }
        guard n == encoded.count else {
            let e = Errno(rawValue: errno)
            let undone = ftruncate(fd, end) == 0
            let undo = undone ? "; the partial record was removed" : "; could not remove the partial record"
            throw n < 0
                ? SystemCallError("pwrite", on: path, errno: e, hint: undo)
                : SystemCallError("pwrite", on: path, errno: .noSpace, detail: "short write", hint: " (\(n) of \(encoded.count) bytes)" + undo)
        }
        end += off_t(n)
        recordCount += 1
    }

    /// Flushes to stable storage (`fdatasync`); the daemon calls it about once a second.
    public func sync() { fdatasync(fd) }
}

/// Reads an open descriptor from offset 0 with `pread`, leaving it open (the writer's own fd).
struct DescriptorByteSource: ByteChunkSource {
    let fd: Int32
    private var offset: off_t = 0
    private var chunk = [UInt8](repeating: 0, count: 65536)

    init(fd: Int32) { self.fd = fd }

    mutating func nextChunk() throws(TraceError) -> [UInt8]? {
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TraceError(.io, at: .offset(Int(offset)), String(cString: strerror(errno)))
            }
            if n == 0 { return nil }
            offset += off_t(n)
            return Array(chunk[0..<n])
        }
    }
}
