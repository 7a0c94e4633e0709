/// The native raw log: the replayable record of every notification a strap sent.
///
/// All integers little-endian.
/// ```
/// file header (16 bytes):
///   0  magic "WIRAWLOG"                 8 bytes
///   8  version                           uint16 = 1
///  10  header size                       uint16 = 16
///  12  reserved                          uint32 = 0
/// record (repeated):
///   0  payload length L                  uint16 (24 + value bytes)
///   2  receive time, Unix µs             int64  (CLOCK_REALTIME)
///  10  monotonic time, µs                int64  (CLOCK_MONOTONIC, 0 if unknown)
///  18  device address                    6 bytes, most significant first
///  24  characteristic                    uint16 (0x2A37, 0x2A19, …)
///  26  value                             L − 24 bytes
///  2+L CRC-32 (IEEE) of bytes 0 ..< 2+L   uint32
/// ```
/// A vendor characteristic with a 128-bit UUID (Polar PMD data) is written with characteristic
/// 0x0000 (`vendorCharacteristic`, never a SIG characteristic) and its value prefixed by the
/// 16-byte UUID, most significant byte first: L = 24 + 16 + value bytes. A reader that knows
/// only SIG characteristics sees an unknown characteristic and skips it, so logs with ECG stay
/// readable as heart-rate logs.
/// A record is written with one `write` call; a crash can leave at most a torn last record,
/// which the reader finds (short record or bad CRC) and the writer cuts before appending. A
/// record damaged inside the file (a flipped bit on disk) is skipped: the reader resynchronises
/// on the next position where a whole record passes its CRC.
public enum RawLogFormat {
    /// The file magic.
    public static let magic: [UInt8] = Array("WIRAWLOG".utf8)
    /// The format version this code writes and reads.
    public static let version: UInt16 = 1
    /// The header length in bytes.
    public static let headerSize = 16
    /// Bytes in a record besides the value: length, times, address, characteristic, CRC.
    public static let recordOverhead = 2 + 24 + 4
    /// The longest value accepted (the largest legal ATT attribute value).
    public static let maximumValueLength = 512
    /// The characteristic field of a record whose value starts with a 128-bit UUID.
    public static let vendorCharacteristic: UInt16 = 0x0000
    /// The longest payload (`L`): a vendor record with the longest value.
    public static let maximumPayloadLength = 24 + 16 + maximumValueLength

    /// The file header bytes.
    public static func header() -> [UInt8] {
        var out = magic
        out.append(contentsOf: le(version))
        out.append(contentsOf: le(UInt16(headerSize)))
        out.append(contentsOf: [0, 0, 0, 0])
        return out
    }

    /// Why a notification cannot be logged.
    public struct EncodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong with it.
        public var reason: String
        public var description: String { "cannot log the notification: \(reason)" }
    }

    /// The bytes of one record.
    public static func encode(_ n: RawNotification) throws(EncodingError) -> [UInt8] {
        var out: [UInt8] = []
        try encode(n, into: &out)
        return out
    }

    /// Appends the bytes of one record to `out` (a buffer the caller reuses: no allocation once
    /// its capacity has grown to a record). Throws, leaving `out` as it was, for a value longer
    /// than `maximumValueLength` (a strap that negotiated a large MTU may send one) or a vendor
    /// marker without its UUID.
    public static func encode(_ n: RawNotification, into out: inout [UInt8]) throws(EncodingError) {
        guard n.value.count <= maximumValueLength else {
            throw EncodingError(reason: "a value of \(n.value.count) bytes is longer than \(maximumValueLength)")
        }
        let code: UInt16
        var uuid: [UInt8]? = nil
        switch n.characteristic {
        case .short(let v):
            guard v != vendorCharacteristic else { throw EncodingError(reason: "characteristic 0x0000 is the vendor marker") }
            code = v
        case .long(let bytes):
            guard bytes.count == 16 else { throw EncodingError(reason: "a 128-bit UUID of \(bytes.count) bytes") }
            code = vendorCharacteristic
            uuid = bytes
        }
        let start = out.count
        let payload = 24 + (uuid?.count ?? 0) + n.value.count
        out.reserveCapacity(start + 2 + payload + 4)
        append(UInt16(payload), to: &out)
        append(UInt64(bitPattern: n.receiveTimeMicros), to: &out)
        append(UInt64(bitPattern: n.monotonicMicros), to: &out)
        withUnsafeBytes(of: n.device.bytes) { out.append(contentsOf: $0) }
        append(code, to: &out)
        if let uuid { out.append(contentsOf: uuid) }
        out.append(contentsOf: n.value)
        append(CRC32.checksum(out[start...]), to: &out)
    }

    private static func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        for k in 0..<(T.bitWidth / 8) { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
    }
}

/// What the raw-log reader found wrong at the end of a log.
public struct RawLogTailDamage: Sendable, Equatable, CustomStringConvertible {
    /// Offset of the first byte that is not part of a valid record: truncate the file here.
    public var validLength: Int
    /// Bytes after `validLength`.
    public var discardedBytes: Int
    /// What was wrong.
    public var reason: String

    public var description: String {
        "damaged tail at offset \(validLength): \(reason); \(discardedBytes) bytes cut"
    }
}

/// A damaged range inside a raw log that the reader skipped to reach the next good record.
public struct RawLogSkippedRange: Sendable, Equatable, CustomStringConvertible {
    /// Offset of the first byte skipped.
    public var offset: Int
    /// Bytes skipped.
    public var length: Int
    /// What was wrong with the first of them.
    public var reason: String

    public var description: String { "damaged record at offset \(offset): \(reason); \(length) bytes skipped" }
}
