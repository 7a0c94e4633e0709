/// A notification of Polar's Measurement Data (PMD) data characteristic, as documented in the
/// open Polar BLE SDK: measurement type (1 byte), timestamp of the frame's last sample (8 bytes,
/// little-endian nanoseconds since 2000-01-01 00:00 UTC), frame type (1 byte), samples.
///
/// Decoded here: the ECG stream (measurement type 0) in frame type 0, each sample a signed 24-bit
/// little-endian value in µV (Polar H10: 130 Hz). Other measurement types, compressed (delta)
/// frames (bit 7 of the frame type) and unknown frame types are typed errors, never guesses.
public struct PolarPMDFrame: Equatable, Sendable {
    /// PMD measurement types (SDK `PmdMeasurementType`).
    public enum MeasurementType: UInt8, Sendable {
        case ecg = 0, ppg = 1, acceleration = 2, ppInterval = 3, gyroscope = 5, magnetometer = 6
    }

    /// PMD service and characteristics.
    public static let service = ATTUUID(string: "FB005C80-02E7-F387-1CAD-8ACD2D8DF0C8")!
    public static let controlPoint = ATTUUID(string: "FB005C81-02E7-F387-1CAD-8ACD2D8DF0C8")!
    public static let data = ATTUUID(string: "FB005C82-02E7-F387-1CAD-8ACD2D8DF0C8")!
    /// Seconds from 1970-01-01 to the PMD epoch, 2000-01-01 UTC.
    public static let epochOffset: Double = 946_684_800

    /// The measurement type.
    public var type: MeasurementType
    /// Nanoseconds since 2000-01-01 of the last sample in the frame.
    public var timestamp: UInt64
    /// ECG samples in µV, oldest first.
    public var microvolts: [Int32]

    /// A frame.
    public init(type: MeasurementType, timestamp: UInt64, microvolts: [Int32]) {
        self.type = type
        self.timestamp = timestamp
        self.microvolts = microvolts
    }

    /// Decodes one notification value of the PMD data characteristic.
    public init(decoding bytes: [UInt8]) throws(PolarPMDError) {
        guard bytes.count >= 10 else {
            throw PolarPMDError(offset: bytes.count, detail: "\(bytes.count) bytes; a frame header is 10")
        }
        guard let type = MeasurementType(rawValue: bytes[0]) else {
            throw PolarPMDError(offset: 0, detail: "unknown measurement type \(bytes[0])")
        }
        guard type == .ecg else { throw PolarPMDError(offset: 0, detail: "measurement type \(type) is not decoded") }
        var timestamp: UInt64 = 0
        for i in (1...8).reversed() { timestamp = timestamp << 8 | UInt64(bytes[i]) }
        let frameType = bytes[9]
        guard frameType & 0x80 == 0 else {
            throw PolarPMDError(offset: 9, detail: "compressed ECG frame (type 0x\(String(frameType, radix: 16))) is not decoded")
        }
        guard frameType == 0 else { throw PolarPMDError(offset: 9, detail: "unknown ECG frame type \(frameType)") }
        let body = bytes.count - 10
        guard body % 3 == 0 else {
            throw PolarPMDError(offset: 10 + body / 3 * 3, detail: "\(body) sample bytes are not whole 3-byte samples")
        }
        var samples: [Int32] = []
        samples.reserveCapacity(body / 3)
        var i = 10
        while i < bytes.count {
            let raw = Int32(bytes[i]) | Int32(bytes[i + 1]) << 8 | Int32(bytes[i + 2]) << 16
            samples.append((raw << 8) >> 8)
            i += 3
        }
        self.init(type: type, timestamp: timestamp, microvolts: samples)
    }

    /// The notification bytes of this frame (uncompressed, frame type 0).
    public func encoded() -> [UInt8] {
        var bytes = [type.rawValue]
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: timestamp >> (8 * UInt64(i)))) }
        bytes.append(0)
        for v in microvolts {
            bytes += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16)]
        }
        return bytes
    }

    /// The control-point request that starts ECG at 130 Hz, 14-bit resolution (the H10's only
    /// setting): op 0x02 start, type 0; setting 0 (sample rate) ×1 = 130; setting 1 (resolution) ×1 = 14.
    public static let startECG: [UInt8] = [0x02, 0x00, 0x00, 0x01, 0x82, 0x00, 0x01, 0x01, 0x0E, 0x00]
    /// The control-point request that stops ECG.
    public static let stopECG: [UInt8] = [0x03, 0x00]

    /// Reads a control-point response (0xF0, op code, measurement type, status …): nil when it
    /// reports success, else why not.
    public static func controlPointProblem(_ response: [UInt8]) -> String? {
        guard response.count >= 4, response[0] == 0xF0 else { return "not a PMD control-point response: \(response)" }
        let statuses = [1: "invalid op code", 2: "invalid measurement type", 3: "not supported", 4: "invalid length",
                        5: "invalid parameter", 6: "already in state", 7: "invalid resolution", 8: "invalid sample rate",
                        9: "invalid range", 10: "invalid MTU", 11: "invalid number of channels", 12: "invalid state",
                        13: "device in charger"]
        return response[3] == 0 ? nil : "PMD status \(response[3]): \(statuses[Int(response[3])] ?? "unknown")"
    }
}
