import HeartRateWire

/// Reads a native raw log (see `RawLogFormat`), skipping damaged records and stopping at a torn
/// or corrupt tail.
///
/// Damage is not an error: a bad record inside the log is skipped and listed in `skipped`, a
/// damaged tail is reported in `tailDamage` once `next()` has returned nil; every good record
/// is delivered. A bad file header is an error.
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
    /// Damaged ranges inside the log that were skipped (the first `maximumReportedSkips`).
    public private(set) var skipped: [RawLogSkippedRange] = []
    /// Bytes skipped inside the log, over all damaged ranges.
    public private(set) var skippedBytes = 0

    /// What the reader skipped or cut, one line each, for a warning.
    public var damage: [String] {
        skipped.map { "\(name)@\($0.offset): \($0)" } + (skipped.count < skippedCount ? ["\(name): \(skippedCount - skipped.count) more damaged ranges"] : [])
            + (tailDamage.map { ["\(name)@\($0.validLength): \($0)"] } ?? [])
    }
    private var skippedCount = 0

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
    ///
    /// A record that fails its checks (length out of range, CRC mismatch) is not the end: the
    /// reader moves on byte by byte until a whole record checks again (a CRC-32 over the record
    /// makes a false match about 2^-32 per position), reports the bytes it skipped in
    /// `skipped`, and goes on. Only damage that runs to the end of the file is a tail.
    public mutating func nextNotification() throws(TraceError) -> RawNotification? {
        if finished { return nil }
        if !headerRead { try readHeader() }
        var damaged: (offset: Int, reason: String)? = nil
        while true {
            let start = reader.offset
            switch try examine() {
            case .end:
                finished = true
                if let damaged {
                    tailDamage = RawLogTailDamage(validLength: damaged.offset, discardedBytes: start - damaged.offset,
                                                  reason: damaged.reason)
                }
                return nil
            case .invalid(let reason):
                if damaged == nil { damaged = (start, reason) }
                reader.skip(1)
            case .record(let total, let valueStart):
                if let damaged {
                    skippedBytes += start - damaged.offset
                    skippedCount += 1
                    if skipped.count < Self.maximumReportedSkips {
                        skipped.append(RawLogSkippedRange(offset: damaged.offset, length: start - damaged.offset,
                                                          reason: damaged.reason))
                    }
                }
                let record = reader.bytes(total)
                let base = record.startIndex
                func i64(_ at: Int) -> Int64 {
                    var v: UInt64 = 0
                    for k in 0..<8 { v |= UInt64(record[base + at + k]) << UInt64(8 * k) }
                    return Int64(bitPattern: v)
                }
                let device = DeviceAddress(record[base + 18], record[base + 19], record[base + 20], record[base + 21],
                                           record[base + 22], record[base + 23])
                let code = UInt16(record[base + 24]) | UInt16(record[base + 25]) << 8
                let characteristic = valueStart == 42 ? ATTUUID(bigEndian: Array(record[(base + 26)..<(base + 42)]))
                    : ATTUUID.short(code)
                validLength = reader.offset
                recordCount += 1
                return RawNotification(receiveTimeMicros: i64(2), monotonicMicros: i64(10), device: device,
                                       characteristic: characteristic,
                                       value: Array(record[(base + valueStart)..<(base + total - 4)]))
            }
        }
    }

    /// Damaged ranges listed in `skipped` at most; `skippedBytes` counts them all.
    public static var maximumReportedSkips: Int { 100 }

    private enum Examined {
        case end
        case invalid(String)
        case record(total: Int, valueStart: Int)
    }

    /// Checks the record at the cursor without consuming it.
    private mutating func examine() throws(TraceError) -> Examined {
        guard try reader.request(2) else {
            return reader.buffered == 0 ? .end : .invalid("a record length is cut off")
        }
        let length = Int(reader.peek(0)) | Int(reader.peek(1)) << 8
        guard length >= 24, length <= RawLogFormat.maximumPayloadLength else {
            return .invalid("record length \(length) is outside 24…\(RawLogFormat.maximumPayloadLength)")
        }
        let total = 2 + length + 4
        guard try reader.request(total) else {
            return .invalid("the record is torn (\(reader.buffered) of \(total) bytes)")
        }
        let record = reader.peekBytes(total)
        let base = record.startIndex
        let stored = UInt32(record[base + total - 4]) | UInt32(record[base + total - 3]) << 8
            | UInt32(record[base + total - 2]) << 16 | UInt32(record[base + total - 1]) << 24
        let computed = CRC32.checksum(record[base..<(base + total - 4)])
        guard stored == computed else {
            return .invalid("record CRC mismatch (stored \(stored), computed \(computed))")
        }
        let code = UInt16(record[base + 24]) | UInt16(record[base + 25]) << 8
        if code == RawLogFormat.vendorCharacteristic {
            guard length >= 24 + 16 else {
                return .invalid("vendor record of \(length - 24) bytes has no room for its 16-byte UUID")
            }
            return .record(total: total, valueStart: 42)
        }
        guard length <= 24 + RawLogFormat.maximumValueLength else {
            return .invalid("record length \(length) is outside 24…\(24 + RawLogFormat.maximumValueLength)")
        }
        return .record(total: total, valueStart: 26)
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
}
