/// One decoded FIT data message: its global number and the fields this product reads.
///
/// Values are kept raw (as in the file, base-type invalid values removed); scaling and
/// meaning belong to `FITTraceReader`. Array fields (such as `hrv.time`) keep every element.
public struct FITMessage: Sendable, Equatable {
    /// The FIT profile's global message number (20 = record, 78 = hrv, 18 = session, …).
    public var globalNumber: UInt16
    /// The message timestamp (field 253), in FIT seconds since 1989-12-31T00:00:00Z,
    /// including one reconstructed from a compressed-timestamp header.
    public var timestamp: UInt32?
    /// Field number → valid element values (unsigned, widened to UInt64). Invalid elements
    /// (0xFF…, per base type) are dropped.
    public var fields: [UInt8: [UInt64]]
    /// Byte offset of the record header in the file.
    public var offset: Int

    /// The first valid value of a field.
    public subscript(field: UInt8) -> UInt64? { fields[field]?.first }

    /// FIT epoch (1989-12-31T00:00:00Z) as Unix seconds.
    public static let epochOffset: Double = 631_065_600

    /// A FIT `date_time` as Unix seconds.
    public static func unixTime(_ fitSeconds: UInt32) -> Double { Double(fitSeconds) + epochOffset }
}

/// Well-known FIT global message numbers (FIT profile).
public enum FITGlobalMessage {
    public static let fileID: UInt16 = 0
    public static let userProfile: UInt16 = 3
    public static let zonesTarget: UInt16 = 7
    public static let sport: UInt16 = 12
    public static let session: UInt16 = 18
    public static let lap: UInt16 = 19
    public static let record: UInt16 = 20
    public static let event: UInt16 = 21
    public static let activity: UInt16 = 34
    public static let deviceInfo: UInt16 = 23
    public static let hrv: UInt16 = 78
}
