/// A 16-bit Bluetooth SIG assigned number for a GATT service or characteristic.
///
/// Open-ended on purpose (a struct with `static let` values rather than an enum), so callers can
/// name identifiers this module does not know.
public struct GATTIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// The 16-bit assigned number, for example `0x2A37`.
    public var rawValue: UInt16

    /// Wraps an assigned number.
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// Heart Rate service.
    public static let heartRateService = GATTIdentifier(0x180D)
    /// Battery service.
    public static let batteryService = GATTIdentifier(0x180F)
    /// Heart Rate Measurement characteristic (notify).
    public static let heartRateMeasurement = GATTIdentifier(0x2A37)
    /// Body Sensor Location characteristic (read).
    public static let bodySensorLocation = GATTIdentifier(0x2A38)
    /// Battery Level characteristic (read, notify).
    public static let batteryLevel = GATTIdentifier(0x2A19)

    /// The full 128-bit UUID string BlueZ uses, e.g. `00002a37-0000-1000-8000-00805f9b34fb`.
    public var uuidString: String {
        let hex = String(rawValue, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex + "-0000-1000-8000-00805f9b34fb"
    }

    public var description: String {
        let hex = String(rawValue, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
