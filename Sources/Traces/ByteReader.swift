/// A buffered cursor over a `ByteChunkSource` that keeps only what has not been consumed yet.
///
/// Memory stays bounded by the largest record or line asked for plus one chunk.
public struct ByteReader<Source: ByteChunkSource> {
    private var source: Source
    private var buffer: [UInt8] = []
    private var position = 0
    private var bufferStart = 0
    private var sourceDone = false

    /// Wraps a source.
    public init(_ source: Source) { self.source = source }

    /// Absolute offset of the next unread byte.
    public var offset: Int { bufferStart + position }

    /// Bytes buffered and not yet consumed.
    public var buffered: Int { buffer.count - position }

    /// Makes at least `count` bytes available; returns false when the input ends first.
    public mutating func request(_ count: Int) throws(TraceError) -> Bool {
        while buffer.count - position < count {
            if sourceDone { return false }
            guard let chunk = try source.nextChunk() else {
                sourceDone = true
                return false
            }
            if position > 0 {
                buffer.removeSubrange(0..<position)
                bufferStart += position
                position = 0
            }
            buffer.append(contentsOf: chunk)
        }
        return true
    }

    /// The byte `ahead` positions after the cursor; call `request` first.
    public func peek(_ ahead: Int = 0) -> UInt8 { buffer[position + ahead] }

    /// Consumes one byte; call `request` first.
    public mutating func byte() -> UInt8 {
        defer { position += 1 }
        return buffer[position]
    }

    /// The next `count` bytes without consuming them; call `request` first.
    public func peekBytes(_ count: Int) -> ArraySlice<UInt8> { buffer[position..<(position + count)] }

    /// Consumes `count` bytes; call `request` first.
    public mutating func bytes(_ count: Int) -> ArraySlice<UInt8> {
        defer { position += count }
        return buffer[position..<(position + count)]
    }

    /// Skips `count` bytes; call `request` first.
    public mutating func skip(_ count: Int) { position += count }

    /// Consumes the remaining bytes up to the next count (used after a failed `request`).
    public mutating func rest() -> ArraySlice<UInt8> {
        defer { position = buffer.count }
        return buffer[position...]
    }

    /// Reads one line without its `\n` (and `\r`), or nil at the end of input.
    ///
    /// - Throws: `.malformed` when a line is longer than `maximumLength` bytes.
    public mutating func line(maximumLength: Int, lineNumber: Int) throws(TraceError) -> ArraySlice<UInt8>? {
        var scanned = 0
        while true {
            // The scan for `\n` without bounds checks per byte (a day of CSV is 3 MB).
            let limit = min(buffer.count - position, maximumLength + 1)
            let found: Int? = scanned >= limit ? nil : buffer.withUnsafeBufferPointer { b in
                var i = position + scanned
                let end = position + limit
                while i < end {
                    if b[i] == UInt8(ascii: "\n") { return i - position }
                    i += 1
                }
                return nil
            }
            if let found, found <= maximumLength {
                var line = buffer[position..<(position + found)]
                position += found + 1
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                return line
            }
            scanned = limit
            if scanned > maximumLength {
                throw TraceError(.malformed, at: .line(lineNumber),
                                 "line is longer than \(maximumLength) bytes (binary data given as text?)")
            }
            if !(try request(buffered + 1)) {
                if buffered == 0 { return nil }
                var line = rest()
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                return line
            }
        }
    }

    /// The line after line `lineNumber`, its errors naming `source` (a reader's usual call).
    public mutating func line(after lineNumber: Int, maximumLength: Int, source: String) throws(TraceError) -> ArraySlice<UInt8>? {
        do {
            return try line(maximumLength: maximumLength, lineNumber: lineNumber + 1)
        } catch {
            throw error.naming(source)
        }
    }
}
