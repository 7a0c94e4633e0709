import Glibc
import Traces

/// Reads a file in 64 KiB chunks for the trace readers (constant memory on any length).
public struct FileByteSource: ByteChunkSource {
    private let fd: Int32
    private let path: String
    private let chunkSize: Int

    /// Opens `path` for reading.
    ///
    /// - Throws: `TraceError` with code `.io` naming the path and the system's reason.
    public init(path: String, chunkSize: Int = 64 * 1024) throws(TraceError) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TraceError(.io, source: path, at: .whole, "cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(fd)
            throw TraceError(.io, source: path, at: .whole, "is a directory, not a recording")
        }
        self.fd = fd
        self.path = path
        self.chunkSize = chunkSize
    }

    public mutating func nextChunk() throws(TraceError) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, chunkSize) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TraceError(.io, source: path, at: .whole, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                Glibc.close(fd)
                return nil
            }
            chunk.removeSubrange(n...)
            return chunk
        }
    }

    /// Reads the first `count` bytes of a file (for format sniffing).
    public static func prefix(of path: String, count: Int) throws(TraceError) -> [UInt8] {
        var source = try FileByteSource(path: path, chunkSize: count)
        var out: [UInt8] = []
        while out.count < count, let chunk = try source.nextChunk() { out.append(contentsOf: chunk) }
        return Array(out.prefix(count))
    }
}
