/// Something that hands out a recording's bytes in chunks: a file in `Ingest`, an array in tests.
///
/// The pure readers pull from it, so they never touch the file system themselves and use
/// constant memory whatever the file's length.
public protocol ByteChunkSource {
    /// The next chunk, or nil at the end. An empty chunk is not allowed.
    mutating func nextChunk() throws(TraceError) -> [UInt8]?
}

/// A chunk source over bytes already in memory, handed out in chunks of `chunkSize`
/// (small chunk sizes exercise the readers' buffering in tests).
public struct InMemoryByteSource: ByteChunkSource {
    private let bytes: [UInt8]
    private var position = 0
    private let chunkSize: Int

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8], chunkSize: Int = 64 * 1024) {
        precondition(chunkSize > 0)
        self.bytes = bytes
        self.chunkSize = chunkSize
    }

    public mutating func nextChunk() throws(TraceError) -> [UInt8]? {
        guard position < bytes.count else { return nil }
        let end = min(bytes.count, position + chunkSize)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}
