/// An attribute type as ATT carries it: a 16-bit SIG number or a full 128-bit UUID.
///
/// 128-bit UUIDs are kept in the order they are written (`FB005C80-02E7-…`); on the wire ATT sends
/// them little-endian, which `wireBytes` and `init(wire:)` handle.
public enum ATTUUID: Hashable, Sendable, CustomStringConvertible {
    case short(UInt16)
    /// 16 bytes, most significant first.
    case long([UInt8])

    /// Primary Service declaration.
    public static let primaryService = ATTUUID.short(0x2800)
    /// Characteristic declaration.
    public static let characteristic = ATTUUID.short(0x2803)
    /// Client Characteristic Configuration descriptor.
    public static let clientConfiguration = ATTUUID.short(0x2902)

    /// A SIG-assigned identifier.
    public init(_ identifier: GATTIdentifier) { self = .short(identifier.rawValue) }

    /// Parses `0000180d-0000-1000-8000-00805f9b34fb` or `FB005C80-02E7-F387-1CAD-8ACD2D8DF0C8`; SIG
    /// base UUIDs become `.short`.
    public init?(string: String) {
        let hex = string.filter { $0 != "-" }
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let b = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(b)
            index = next
        }
        self.init(bigEndian: bytes)
    }

    /// From 16 bytes in written order; SIG base UUIDs become `.short`.
    public init(bigEndian bytes: [UInt8]) {
        precondition(bytes.count == 16, "a 128-bit UUID is 16 bytes")
        let base: [UInt8] = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0x80, 0x5F, 0x9B, 0x34, 0xFB]
        if bytes[0] == 0, bytes[1] == 0, Array(bytes[4...]) == base {
            self = .short(UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
        } else {
            self = .long(bytes)
        }
    }

    /// From the wire: 2 or 16 bytes, little-endian.
    public init?(wire bytes: ArraySlice<UInt8>) {
        switch bytes.count {
        case 2: self = .short(UInt16(bytes[bytes.startIndex]) | UInt16(bytes[bytes.startIndex + 1]) << 8)
        case 16: self.init(bigEndian: bytes.reversed())
        default: return nil
        }
    }

    /// The bytes ATT sends (little-endian; 2 bytes for `.short`).
    public var wireBytes: [UInt8] {
        switch self {
        case .short(let v): [UInt8(v & 0xFF), UInt8(v >> 8)]
        case .long(let b): b.reversed()
        }
    }

    /// The lowercase 128-bit form BlueZ uses (`fb005c81-02e7-f387-1cad-8acd2d8df0c8`).
    public var uuidString: String {
        switch self {
        case .short(let v): GATTIdentifier(v).uuidString
        case .long: description.lowercased()
        }
    }

    public var description: String {
        switch self {
        case .short(let v): return GATTIdentifier(v).description
        case .long(let b):
            let hex = b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }
            return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
        }
    }
}
