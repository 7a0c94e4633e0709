/// The error code of an ATT Error Response (Core Specification Vol 3 Part F, 3.4.1.1), by name.
public struct ATTErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The code on the wire.
    public var rawValue: UInt8

    /// Wraps a code.
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let invalidHandle = ATTErrorCode(0x01)
    public static let readNotPermitted = ATTErrorCode(0x02)
    public static let writeNotPermitted = ATTErrorCode(0x03)
    public static let invalidPDU = ATTErrorCode(0x04)
    public static let insufficientAuthentication = ATTErrorCode(0x05)
    public static let requestNotSupported = ATTErrorCode(0x06)
    public static let attributeNotFound = ATTErrorCode(0x0A)
    public static let insufficientEncryption = ATTErrorCode(0x0F)
    public static let unlikelyError = ATTErrorCode(0x0E)

    private static let names: [UInt8: String] = [
        0x01: "Invalid Handle", 0x02: "Read Not Permitted", 0x03: "Write Not Permitted", 0x04: "Invalid PDU",
        0x05: "Insufficient Authentication", 0x06: "Request Not Supported", 0x07: "Invalid Offset",
        0x08: "Insufficient Authorization", 0x09: "Prepare Queue Full", 0x0A: "Attribute Not Found",
        0x0B: "Attribute Not Long", 0x0C: "Encryption Key Size Too Short", 0x0D: "Invalid Attribute Value Length",
        0x0E: "Unlikely Error", 0x0F: "Insufficient Encryption", 0x10: "Unsupported Group Type",
        0x11: "Insufficient Resources", 0x12: "Database Out Of Sync", 0x13: "Value Not Allowed",
        0xFC: "Write Request Rejected", 0xFD: "CCCD Improperly Configured", 0xFE: "Procedure Already In Progress",
        0xFF: "Out Of Range",
    ]

    public var description: String {
        let hex = (rawValue < 16 ? "0x0" : "0x") + String(rawValue, radix: 16, uppercase: true)
        if let name = Self.names[rawValue] { return "\(name) (\(hex))" }
        return (0x80...0x9F).contains(rawValue) ? "application error \(hex)" : "reserved error \(hex)"
    }
}
