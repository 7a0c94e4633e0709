/// The value of a Characteristic declaration (0x2803) as a Read By Type Response carries it:
/// properties (1 byte), value handle (2), characteristic UUID (2 or 16).
public struct ATTCharacteristicDeclaration: Equatable, Sendable {
    public var properties: UInt8
    public var valueHandle: UInt16
    public var type: ATTUUID

    /// A declaration.
    public init(properties: UInt8, valueHandle: UInt16, type: ATTUUID) {
        self.properties = properties
        self.valueHandle = valueHandle
        self.type = type
    }

    /// Reads a declaration value; nil when it is not 5 or 19 bytes.
    public init?(_ value: [UInt8]) {
        guard value.count == 5 || value.count == 19, let type = ATTUUID(wire: value[3...]) else { return nil }
        properties = value[0]
        valueHandle = le16(value[...], 1)
        self.type = type
    }

    /// Whether the characteristic can notify (property bit 0x10).
    public var notifies: Bool { properties & 0x10 != 0 }
    /// Whether the Indicate property is set.
    public var indicates: Bool { properties & 0x20 != 0 }
}
