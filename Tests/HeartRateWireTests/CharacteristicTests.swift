import Testing
@testable import HeartRateWire

@Suite struct CharacteristicTests {
    @Test func bodySensorLocation() throws {
        #expect(try BodySensorLocation(decoding: [1]) == .chest)
        #expect(try BodySensorLocation(decoding: [9]).description == "reserved (9)")
        #expect(throws: WireError.self) { try BodySensorLocation(decoding: [UInt8]()) }
        #expect(throws: WireError.self) { try BodySensorLocation(decoding: [1, 2]) }
    }

    @Test func batteryLevel() throws {
        #expect(try BatteryLevel(decoding: [87]).percent == 87)
        do {
            _ = try BatteryLevel(decoding: [101])
            Issue.record("accepted 101 %")
        } catch {
            #expect(error.code == .invalidValue)
            #expect(error.characteristic == .batteryLevel)
        }
        #expect(throws: WireError.self) { try BatteryLevel(decoding: [UInt8]()) }
    }

    @Test func identifiers() {
        #expect(GATTIdentifier.heartRateMeasurement.uuidString == "00002a37-0000-1000-8000-00805f9b34fb")
        #expect(GATTIdentifier.heartRateService.description == "0x180D")
    }
}

@Suite struct RRIntervalsTests {
    @Test func spillsPastTheInlineCapacityAndKeepsOrder() {
        var rr = RRIntervals()
        for i in 0..<40 { let ok = rr.append(Double(i)); #expect(ok) }
        #expect(Array(rr) == (0..<40).map(Double.init))
        var full = RRIntervals((0..<255).map(Double.init))
        #expect(full.count == 255)
        let added = full.append(1)
        #expect(!added, "a 256th interval cannot come from a legal value")
        #expect(RRIntervals([1, 2]) == RRIntervals([1.0, 2.0]))
        #expect(RRIntervals([1, 2]) != RRIntervals([1, 3]))
    }
}
