import Ingest
import Glibc
import SystemPackage
import Traces

/// Reads a file in 64 KiB chunks for the trace readers (constant memory on any length). It owns
/// its descriptor: closed at end of file, or when the source is dropped before (a format sniff
/// that reads only the first bytes, a reader that stops at bad data).
public final class FileByteSource: ByteChunkSource {
    private var fd: FileDescriptor?
    private let path: String
    private let chunkSize: Int

    /// Opens `path` for reading.
    ///
    /// - Throws: `TraceError` with code `.io` naming the path and the system's reason.
    public init(path: String, chunkSize: Int = 64 * 1024) throws(TraceError) {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch {
            throw TraceError(.io, source: path, at: .whole, "cannot open: \(Self.reason(error))")
        }
        var st = stat()
        if fstat(fd.rawValue, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            try? fd.close()
            throw TraceError(.io, source: path, at: .whole, "is a directory, not a recording")
        }
        self.fd = fd
        self.path = path
        self.chunkSize = max(1, chunkSize)
    }

    deinit {
        try? fd?.close()
    }

    public func nextChunk() throws(TraceError) -> [UInt8]? {
        guard let fd else { return nil }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let n: Int
        do {
            n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }
        } catch {
            throw TraceError(.io, source: path, at: .whole, "read failed: \(Self.reason(error))")
        }
        if n == 0 {
            try? fd.close()
            self.fd = nil
            return nil
        }
        chunk.removeSubrange(n...)
        return chunk
    }

    /// The system's words for a failure (strerror's, as `Errno` describes itself).
    static func reason(_ error: any Error) -> String {
        (error as? Errno).map { String(describing: $0) } ?? "\(error)"
    }

    /// Reads the first `count` bytes of a file (for format sniffing).
    public static func prefix(of path: String, count: Int) throws(TraceError) -> [UInt8] {
        let source = try FileByteSource(path: path, chunkSize: count)
        var out: [UInt8] = []
        while out.count < count, let chunk = try source.nextChunk() { out.append(contentsOf: chunk) }
        return Array(out.prefix(count))
    }
}
