/// The FIT file CRC-16 (Garmin FIT SDK, `FitCRC_Get16`): nibble-wise with a 16-entry table.
public struct FITCRC: Sendable {
    private static let table: [UInt16] = [
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    ]

    /// The running value.
    public private(set) var value: UInt16 = 0

    /// A fresh CRC (0).
    public init() {}

    /// Folds one byte in.
    public mutating func update(_ byte: UInt8) {
        var crc = value
        var tmp = Self.table[Int(crc & 0xF)]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ Self.table[Int(byte & 0xF)]
        tmp = Self.table[Int(crc & 0xF)]
        crc = (crc >> 4) & 0x0FFF
        value = crc ^ tmp ^ Self.table[Int((byte >> 4) & 0xF)]
    }

    /// Folds bytes in.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        for b in bytes { update(b) }
    }

    /// The CRC of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc = FITCRC()
        crc.update(bytes)
        return crc.value
    }
}
