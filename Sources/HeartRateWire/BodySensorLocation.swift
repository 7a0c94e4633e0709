/// Body Sensor Location (characteristic 0x2A38): where the strap sits.
public struct BodySensorLocation: Hashable, Sendable, CustomStringConvertible {
    /// The raw enumeration value (0…6 defined; others reserved).
    public var rawValue: UInt8

    /// Wraps a raw value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Decodes a 0x2A38 value: exactly one byte.
    public init(decoding bytes: some Collection<UInt8>) throws(WireError) {
        guard let first = bytes.first else {
            throw WireError(.empty, characteristic: .bodySensorLocation, offset: 0, detail: "expected 1 byte")
        }
        guard bytes.count == 1 else {
            throw WireError(.trailingBytes, characteristic: .bodySensorLocation, offset: 1,
                            detail: "expected 1 byte, got \(bytes.count)")
        }
        rawValue = first
    }

    public static let other = BodySensorLocation(rawValue: 0)
    public static let chest = BodySensorLocation(rawValue: 1)
    public static let wrist = BodySensorLocation(rawValue: 2)
    public static let finger = BodySensorLocation(rawValue: 3)
    public static let hand = BodySensorLocation(rawValue: 4)
    public static let earLobe = BodySensorLocation(rawValue: 5)
    public static let foot = BodySensorLocation(rawValue: 6)

    public var description: String {
        switch rawValue {
        case 0: "other"
        case 1: "chest"
        case 2: "wrist"
        case 3: "finger"
        case 4: "hand"
        case 5: "ear lobe"
        case 6: "foot"
        default: "reserved (\(rawValue))"
        }
    }
}
