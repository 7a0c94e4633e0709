import Testing
@testable import HeartRateWire

@Suite struct HeartRateMeasurementTests {
    /// Builds a value for `flags` with fixed field values, and the fields it should decode to.
    static func vector(flags: UInt8) -> (bytes: [UInt8], hr: UInt16, energy: UInt16?, rr: [Double]) {
        var bytes: [UInt8] = [flags]
        let hr: UInt16 = flags & 0x01 != 0 ? 0x012C : 72  // 300 bpm needs the uint16 form
        if flags & 0x01 != 0 { bytes += [0x2C, 0x01] } else { bytes.append(72) }
        var energy: UInt16? = nil
        if flags & 0x08 != 0 {
            bytes += [0x34, 0x12]
            energy = 0x1234
        }
        var rr: [Double] = []
        if flags & 0x10 != 0 {
            bytes += [0x00, 0x04, 0x01, 0x00, 0x3A, 0x03]  // 1024, 1, 826 (1/1024 s)
            rr = [1000, 0.9765625, 806.640625]
        }
        return (bytes, hr, energy, rr)
    }

    @Test("every combination of the five defined flag bits decodes", arguments: 0..<32)
    func everyFlagCombination(flags: Int) throws {
        let v = Self.vector(flags: UInt8(flags))
        let m = try HeartRateMeasurement(decoding: v.bytes)
        #expect(m.heartRate == v.hr)
        #expect(m.energyExpended == v.energy)
        #expect(Array(m.rrIntervals) == v.rr)
        switch (flags & 0x04 != 0, flags & 0x02 != 0) {
        case (false, _): #expect(m.sensorContact == .notSupported)
        case (true, true): #expect(m.sensorContact == .detected)
        case (true, false): #expect(m.sensorContact == .notDetected)
        }
        #expect(m.encoded() == v.bytes)
    }

    @Test("reserved bits 5–7 are ignored", arguments: [0x20, 0x40, 0x80, 0xE0] as [UInt8])
    func reservedBitsIgnored(bit: UInt8) throws {
        let v = Self.vector(flags: 0x16 | bit)
        let m = try HeartRateMeasurement(decoding: v.bytes)
        #expect(m.heartRate == 72)
        #expect(Array(m.rrIntervals) == v.rr)
        #expect(m.sensorContact == .detected)
    }

    @Test func rrIntervalsConvertExactlyToMilliseconds() {
        #expect(HeartRateMeasurement.milliseconds(fromRaw: 1024) == 1000)
        #expect(HeartRateMeasurement.milliseconds(fromRaw: 512) == 500)
        #expect(HeartRateMeasurement.milliseconds(fromRaw: 1) == 0.9765625)
        #expect(HeartRateMeasurement.milliseconds(fromRaw: 0xFFFF) == 63_999.0234375)
    }

    @Test func rrFlagWithNoIntervalsIsAllowed() throws {
        let m = try HeartRateMeasurement(decoding: [0x10, 60])
        #expect(m.rrIntervals.isEmpty)
        #expect(m.heartRate == 60)
    }

    @Test func emptyValueIsAnError() {
        #expect(throws: WireError.self) { try HeartRateMeasurement(decoding: [UInt8]()) }
        do {
            _ = try HeartRateMeasurement(decoding: [UInt8]())
        } catch {
            #expect(error.code == .empty)
        }
    }

    @Test("truncated values name what is missing", arguments: [
        ([0x01, 0x2C] as [UInt8], 1, "uint16 heart rate"),
        ([0x00] as [UInt8], 1, "uint8 heart rate"),
        ([0x08, 72, 0x34] as [UInt8], 2, "energy expended"),
        ([0x10, 72, 0x00, 0x04, 0x01] as [UInt8], 2, "RR intervals"),
    ])
    func truncated(bytes: [UInt8], offset: Int, mentions: String) {
        do {
            _ = try HeartRateMeasurement(decoding: bytes)
            Issue.record("decoded truncated bytes \(bytes)")
        } catch {
            #expect(error.code == .truncated)
            #expect(error.offset == offset)
            #expect(error.description.contains(mentions))
            #expect(error.characteristic == .heartRateMeasurement)
        }
    }

    @Test func trailingBytesWithoutRRFlagAreAnError() {
        do {
            _ = try HeartRateMeasurement(decoding: [0x00, 72, 0x99])
            Issue.record("accepted trailing bytes")
        } catch {
            #expect(error.code == .trailingBytes)
            #expect(error.offset == 2)
        }
    }

    @Test func encodesWithTheSmallestHeartRateForm() {
        let m = HeartRateMeasurement(heartRate: 150, sensorContact: .detected, rrIntervals: RRIntervals([400]))
        #expect(m.encoded() == [0x16, 150, 0x9A, 0x01])  // 400 ms = 409.6/1024 s → 410
    }
}
