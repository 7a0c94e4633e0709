/// One decoded Heart Rate Measurement (characteristic 0x2A37) value.
///
/// Layout (Bluetooth SIG Heart Rate Service 1.0, GATT Specification Supplement):
/// - byte 0, flags: bit 0 heart-rate format (0 = uint8, 1 = uint16); bits 1–2 sensor contact
///   status; bit 3 energy expended present; bit 4 RR intervals present; bits 5–7 reserved.
/// - heart rate: uint8 or little-endian uint16, bpm.
/// - energy expended: little-endian uint16, kilojoules, when bit 3 is set.
/// - RR intervals: zero or more little-endian uint16 in 1/1024 s, when bit 4 is set.
public struct HeartRateMeasurement: Sendable, Equatable {
    /// Heart rate in beats per minute as the sensor reported it.
    public var heartRate: UInt16
    /// Whether skin contact is supported and detected.
    public var sensorContact: SensorContact
    /// Accumulated energy expended in kilojoules, when present.
    public var energyExpended: UInt16?
    /// RR intervals in milliseconds, oldest first (converted exactly from 1/1024 s).
    public var rrIntervals: RRIntervals
    /// The flags byte as received (reserved bits kept for diagnostics, otherwise ignored).
    public var flags: UInt8

    /// Creates a measurement from its fields.
    public init(
        heartRate: UInt16,
        sensorContact: SensorContact = .notSupported,
        energyExpended: UInt16? = nil,
        rrIntervals: RRIntervals = RRIntervals(),
        flags: UInt8? = nil
    ) {
        self.heartRate = heartRate
        self.sensorContact = sensorContact
        self.energyExpended = energyExpended
        self.rrIntervals = rrIntervals
        self.flags = flags ?? Self.flags(heartRate: heartRate, contact: sensorContact,
                                         energy: energyExpended != nil, rr: !rrIntervals.isEmpty)
    }

    /// Flag bits, named.
    public enum Flag {
        /// Bit 0: heart rate is a uint16.
        public static let heartRateIsUInt16: UInt8 = 0x01
        /// Bit 1: sensor contact detected (meaningful only with bit 2).
        public static let contactDetected: UInt8 = 0x02
        /// Bit 2: sensor contact feature supported.
        public static let contactSupported: UInt8 = 0x04
        /// Bit 3: energy expended field present.
        public static let energyExpendedPresent: UInt8 = 0x08
        /// Bit 4: one or more RR intervals present.
        public static let rrIntervalsPresent: UInt8 = 0x10
    }

    /// Converts an RR interval in 1/1024 s to milliseconds, exactly (1000/1024 = 125/128).
    @inlinable
    public static func milliseconds(fromRaw raw: UInt16) -> Double {
        Double(raw) * 125.0 / 128.0
    }

    /// Decodes a Heart Rate Measurement value.
    ///
    /// - Throws: `WireError` when the value is empty, shorter than its flags require, or has an
    ///   odd number of bytes left for RR intervals. Never guesses. Contiguous input (arrays,
    ///   slices) decodes without allocating.
    public init(decoding bytes: some Collection<UInt8>) throws(WireError) {
        let result = bytes.withContiguousStorageIfAvailable { Self.parse($0) }
            ?? Array(bytes).withUnsafeBufferPointer { Self.parse($0) }
        self = try result.get()
    }

    private static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Result<HeartRateMeasurement, WireError> {
        let id = GATTIdentifier.heartRateMeasurement
        let total = p.count
        guard total > 0 else {
            return .failure(WireError(.empty, characteristic: id, offset: 0, detail: "no flags byte"))
        }
        let flags = p[0]
        var offset = 1
        func truncated(_ n: Int, _ what: String, at offset: Int) -> WireError {
            WireError(.truncated, characteristic: id, offset: offset,
                      detail: "flags 0x\(String(flags, radix: 16)) announce \(what) (\(n) bytes) but only \(total - offset) remain of \(total)")
        }

        let heartRate: UInt16
        if flags & Flag.heartRateIsUInt16 != 0 {
            guard total - offset >= 2 else { return .failure(truncated(2, "a uint16 heart rate", at: offset)) }
            heartRate = UInt16(p[offset]) | UInt16(p[offset + 1]) << 8
            offset += 2
        } else {
            guard total - offset >= 1 else { return .failure(truncated(1, "a uint8 heart rate", at: offset)) }
            heartRate = UInt16(p[offset])
            offset += 1
        }

        let contact: SensorContact
        if flags & Flag.contactSupported == 0 {
            contact = .notSupported
        } else {
            contact = flags & Flag.contactDetected != 0 ? .detected : .notDetected
        }

        var energy: UInt16? = nil
        if flags & Flag.energyExpendedPresent != 0 {
            guard total - offset >= 2 else { return .failure(truncated(2, "energy expended", at: offset)) }
            energy = UInt16(p[offset]) | UInt16(p[offset + 1]) << 8
            offset += 2
        }

        var rr = RRIntervals()
        if flags & Flag.rrIntervalsPresent != 0 {
            let remaining = total - offset
            if remaining % 2 != 0 {
                return .failure(WireError(.truncated, characteristic: id, offset: offset,
                                          detail: "\(remaining) bytes left for RR intervals, not a multiple of 2"))
            }
            if remaining / 2 > RRIntervals.capacity {
                return .failure(WireError(
                    .tooManyRRIntervals, characteristic: id, offset: offset,
                    detail: "\(remaining / 2) RR intervals, at most \(RRIntervals.capacity) fit a legal attribute value"))
            }
            while offset < total {
                rr.append(milliseconds(fromRaw: UInt16(p[offset]) | UInt16(p[offset + 1]) << 8))
                offset += 2
            }
        } else if offset != total {
            return .failure(WireError(.trailingBytes, characteristic: id, offset: offset,
                                      detail: "\(total - offset) bytes after the last field the flags announce"))
        }
        var m = HeartRateMeasurement(heartRate: heartRate, sensorContact: contact, energyExpended: energy, rrIntervals: rr)
        m.flags = flags
        return .success(m)
    }

    /// Encodes the measurement as a 0x2A37 value (used by replay of CSV/FIT traces into the
    /// raw log, by the test peripheral and by fuzz round trips).
    ///
    /// RR intervals are rounded to the nearest 1/1024 s, so a value decoded from the wire
    /// encodes back to the same bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(5 + 2 * rrIntervals.count)
        var f = flags & 0xE0  // keep reserved bits as received
        if heartRate > 0xFF || flags & Flag.heartRateIsUInt16 != 0 { f |= Flag.heartRateIsUInt16 }
        switch sensorContact {
        case .notSupported: f |= flags & Flag.contactDetected  // meaningless without bit 2; kept as received
        case .detected: f |= Flag.contactSupported | Flag.contactDetected
        case .notDetected: f |= Flag.contactSupported
        }
        if energyExpended != nil { f |= Flag.energyExpendedPresent }
        if !rrIntervals.isEmpty || flags & Flag.rrIntervalsPresent != 0 { f |= Flag.rrIntervalsPresent }
        out.append(f)
        if f & Flag.heartRateIsUInt16 != 0 {
            out.append(UInt8(truncatingIfNeeded: heartRate))
            out.append(UInt8(truncatingIfNeeded: heartRate >> 8))
        } else {
            out.append(UInt8(heartRate))
        }
        if let energyExpended {
            out.append(UInt8(truncatingIfNeeded: energyExpended))
            out.append(UInt8(truncatingIfNeeded: energyExpended >> 8))
        }
        for ms in rrIntervals {
            let raw = UInt16(clamping: Int((ms * 128.0 / 125.0).rounded()))
            out.append(UInt8(truncatingIfNeeded: raw))
            out.append(UInt8(truncatingIfNeeded: raw >> 8))
        }
        return out
    }

    private static func flags(heartRate: UInt16, contact: SensorContact, energy: Bool, rr: Bool) -> UInt8 {
        var f: UInt8 = heartRate > 0xFF ? Flag.heartRateIsUInt16 : 0
        switch contact {
        case .notSupported: break
        case .detected: f |= Flag.contactSupported | Flag.contactDetected
        case .notDetected: f |= Flag.contactSupported
        }
        if energy { f |= Flag.energyExpendedPresent }
        if rr { f |= Flag.rrIntervalsPresent }
        return f
    }
}
