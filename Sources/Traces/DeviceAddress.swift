/// A Bluetooth device address, stored most significant byte first (as printed: `A0:9E:1A:…`).
public struct DeviceAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six bytes, most significant first.
    public var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)

    /// Creates an address from six bytes, most significant first.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8) {
        bytes = (b0, b1, b2, b3, b4, b5)
    }

    /// The address used for replayed traces that carry no address of their own.
    public static let replay = DeviceAddress(0, 0, 0, 0, 0, 0)

    /// The address a replay gives the device of a FIT file with serial number `serial`:
    /// `F2:17:` and the serial's four bytes (F2: a locally administered address, never a real
    /// strap's; 17 for FIT), so a FIT file's sessions carry the same strap every replay.
    public init(fitSerial serial: UInt32) {
        self.init(0xF2, 0x17, UInt8(truncatingIfNeeded: serial >> 24), UInt8(truncatingIfNeeded: serial >> 16),
                  UInt8(truncatingIfNeeded: serial >> 8), UInt8(truncatingIfNeeded: serial))
    }

    /// Parses `AA:BB:CC:DD:EE:FF` (case-insensitive); nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var values: [UInt8] = []
        for part in parts {
            guard part.count == 2, let v = UInt8(part, radix: 16) else { return nil }
            values.append(v)
        }
        self.init(values[0], values[1], values[2], values[3], values[4], values[5])
    }

    /// The six bytes as an array, most significant first.
    public var array: [UInt8] { [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5] }

    public var description: String {
        array.map { b in
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: ":")
    }

    // Byte by byte, without building arrays: compared and hashed per notification on the hot path.
    public static func == (a: DeviceAddress, b: DeviceAddress) -> Bool { a.bytes == b.bytes }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.0); hasher.combine(bytes.1); hasher.combine(bytes.2)
        hasher.combine(bytes.3); hasher.combine(bytes.4); hasher.combine(bytes.5)
    }
}
