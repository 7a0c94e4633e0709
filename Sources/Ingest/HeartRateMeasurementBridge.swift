import HeartRateWire

/// Decodes a 0x2A37 value to its RR intervals (for code that needs only the beats).
enum HeartRateMeasurementBridge {
    static func decode(_ value: [UInt8]) throws -> RRIntervals {
        try HeartRateMeasurement(decoding: value).rrIntervals
    }
}
