import HeartRateWire

/// Reads a native raw log (see `RawLogFormat`), stopping at a torn or corrupt tail.
///
/// A damaged tail is not an error: everything before it is good data, the damage is reported
/// in `tailDamage` once `next()` has returned nil. A bad file header is an error.
public struct RawLogReader<Source: ByteChunkSource>: TraceReader {
    private var reader: ByteReader<Source>
    private let name: String
    private var headerRead = false
    private var finished = false

    /// Set when the log ends in a torn or corrupt record; nil for a clean end.
    public private(set) var tailDamage: RawLogTailDamage? = nil
    /// Offset just past the last good record.
    public private(set) var validLength = 0
    /// Records read.
    public private(set) var recordCount = 0

    /// Reads from `source`; `name` appears in errors.
    public init(_ source: Source, name: String) {
        reader = ByteReader(source)
        self.name = name
    }

    public mutating func next() throws(TraceError) -> TraceEvent? {
        guard let n = try nextNotification() else { return nil }
        return .notification(n)
    }

    /// The next record, or nil at the end (clean or damaged).
    public mutating func nextNotification() throws(TraceError) -> RawNotification? {
        if finished { return nil }
        if !headerRead { try readHeader() }
        let start = reader.offset
        guard try reader.request(2) else {
            if reader.buffered > 0 { damage(start, "a record length is cut off") }
            finished = true
            return nil
        }
        let length = Int(reader.peek(0)) | Int(reader.peek(1)) << 8
        guard length >= 24, length <= RawLogFormat.maximumPayloadLength else {
            damage(start, "record length \(length) is outside 24…\(RawLogFormat.maximumPayloadLength)")
            return nil
        }
        let total = 2 + length + 4
        guard try reader.request(total) else {
            damage(start, "the last record is torn (\(reader.buffered) of \(total) bytes)")
            return nil
        }
        let record = Array(reader.bytes(total))
        let stored = UInt32(record[total - 4]) | UInt32(record[total - 3]) << 8
            | UInt32(record[total - 2]) << 16 | UInt32(record[total - 1]) << 24
        let computed = CRC32.checksum(record[0..<(total - 4)])
        guard stored == computed else {
            damage(start, "record CRC mismatch (stored \(stored), computed \(computed))")
            return nil
        }
        func i64(_ at: Int) -> Int64 {
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(record[at + k]) << UInt64(8 * k) }
            return Int64(bitPattern: v)
        }
        let device = DeviceAddress(record[18], record[19], record[20], record[21], record[22], record[23])
        let code = UInt16(record[24]) | UInt16(record[25]) << 8
        var characteristic = ATTUUID.short(code)
        var valueStart = 26
        if code == RawLogFormat.vendorCharacteristic {
            guard length >= 24 + 16 else {
                damage(start, "vendor record of \(length - 24) bytes has no room for its 16-byte UUID")
                return nil
            }
            characteristic = ATTUUID(bigEndian: Array(record[26..<42]))
            valueStart = 42
        } else if length > 24 + RawLogFormat.maximumValueLength {
            damage(start, "record length \(length) is outside 24…\(24 + RawLogFormat.maximumValueLength)")
            return nil
        }
        validLength = reader.offset
        recordCount += 1
        return RawNotification(receiveTimeMicros: i64(2), monotonicMicros: i64(10), device: device,
                               characteristic: characteristic, value: Array(record[valueStart..<(total - 4)]))
    }

    private mutating func readHeader() throws(TraceError) {
        headerRead = true
        guard try reader.request(1) else {
            throw TraceError(.empty, source: name, at: .whole, "no raw-log header")
        }
        guard try reader.request(RawLogFormat.headerSize) else {
            throw TraceError(.truncated, source: name, at: .offset(0), "file ends inside the 16-byte raw-log header")
        }
        let header = Array(reader.bytes(RawLogFormat.headerSize))
        guard Array(header[0..<8]) == RawLogFormat.magic else {
            throw TraceError(.malformed, source: name, at: .offset(0), "missing the WIRAWLOG magic")
        }
        let version = UInt16(header[8]) | UInt16(header[9]) << 8
        guard version == RawLogFormat.version else {
            throw TraceError(.malformed, source: name, at: .offset(8),
                             "raw-log version \(version); this build reads version \(RawLogFormat.version)")
        }
        let size = Int(header[10]) | Int(header[11]) << 8
        guard size == RawLogFormat.headerSize else {
            throw TraceError(.malformed, source: name, at: .offset(10), "header size \(size), expected 16")
        }
        validLength = reader.offset
    }

    private mutating func damage(_ at: Int, _ reason: String) {
        finished = true
        while (try? reader.request(reader.buffered + 1)) == true {}
        let end = reader.offset + reader.buffered
        tailDamage = RawLogTailDamage(validLength: at, discardedBytes: end - at, reason: reason)
    }
}
