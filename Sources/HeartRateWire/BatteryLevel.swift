/// Battery Level (characteristic 0x2A19): remaining charge in percent, 0…100.
public struct BatteryLevel: Hashable, Sendable, CustomStringConvertible {
    /// Percent, 0…100.
    public var percent: UInt8

    /// Decodes a 0x2A19 value: exactly one byte, at most 100.
    public init(decoding bytes: some Collection<UInt8>) throws(WireError) {
        guard let first = bytes.first else {
            throw WireError(.empty, characteristic: .batteryLevel, offset: 0, detail: "expected 1 byte")
        }
        guard bytes.count == 1 else {
            throw WireError(.trailingBytes, characteristic: .batteryLevel, offset: 1,
                            detail: "expected 1 byte, got \(bytes.count)")
        }
        guard first <= 100 else {
            throw WireError(.invalidValue, characteristic: .batteryLevel, offset: 0,
                            detail: "\(first) % is above 100 %")
        }
        percent = first
    }

    /// Wraps a percentage (0…100).
    public init?(percent: UInt8) {
        guard percent <= 100 else { return nil }
        self.percent = percent
    }

    public var description: String { "\(percent) %" }
}
