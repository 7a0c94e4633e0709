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
