import Benchmark
import HeartRateWire
import Traces

/// The decoders of the direct backend and of captures: a day of notifications as ATT PDUs, the
/// same day as a btmon capture read by `BtsnoopReader`, and an hour of Polar ECG frames.
func wireBenchmarks(_ day: DayTrace) {
    let pdus = (0..<day.notificationCount).map { ATTPDU.handleValueNotification(handle: 0x0C, value: Array(day.notification($0))).encoded() }
    let capture = btsnoopCapture(day, fragment: 27)
    var ecg: [[UInt8]] = []  // an hour at 130 Hz, 73 samples a frame
    for f in 0..<6_411 {
        let samples: [Int32] = (0..<73).map { (i: Int) -> Int32 in Int32((i * 7_919 + f) % 4_001) - 2_000 }
        ecg.append(PolarPMDFrame(type: .ecg, timestamp: UInt64(f) * 561_538_462, microvolts: samples).encoded())
    }

    // (d) What the direct backend does per notification: ATT decode, then 0x2A37 decode.
    Benchmark("ATTDecode24h", configuration: .init(timeUnits: .milliseconds)) { benchmark in
        var beats = 0
        benchmark.startMeasurement()
        for pdu in pdus {
            guard case .handleValueNotification(_, let value) = try! ATTPDU(decoding: pdu) else { fatalError("not a notification") }
            beats += try! HeartRateMeasurement(decoding: value).rrIntervals.count
        }
        benchmark.stopMeasurement()
        blackHole(beats)
    }

    // (e) `ingestctl analyze day.btsnoop` without the engine: records, ACL reassembly of
    // 27-byte fragments, ATT, and the handle filter.
    Benchmark("BtsnoopRead24h", configuration: .init(timeUnits: .milliseconds)) { benchmark in
        var notifications = 0
        benchmark.startMeasurement()
        var reader = BtsnoopReader(InMemoryByteSource(capture), name: "day.btsnoop")
        while let event = try! reader.next() {
            if case .notification = event { notifications += 1 }
        }
        benchmark.stopMeasurement()
        precondition(notifications == day.notificationCount)
        blackHole(notifications)
    }

    // (f) `ingestctl ecg`'s decoding: an hour of H10 ECG frames with per-sample times.
    Benchmark("PolarECGDecode1h", configuration: .init(timeUnits: .milliseconds)) { benchmark in
        var clock = PolarECGClock()
        var checksum: Int64 = 0
        benchmark.startMeasurement()
        for bytes in ecg {
            let frame = try! PolarPMDFrame(decoding: bytes)
            let times = clock.times(of: frame)
            checksum &+= Int64(frame.microvolts.last ?? 0) &+ Int64(truncatingIfNeeded: times.last ?? 0)
        }
        benchmark.stopMeasurement()
        blackHole(checksum)
    }
}

/// A btmon (datalink 2001) capture of the day: LE Connection Complete, the measurement's
/// characteristic declaration, then each value as a Handle Value Notification in ACL packets
/// of at most `fragment` bytes.
func btsnoopCapture(_ day: DayTrace, fragment: Int) -> [UInt8] {
    func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    func le(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    var out = Array("btsnoop\0".utf8) + be(1) + be(2001)
    func record(_ opcode: UInt32, _ payload: [UInt8], micros: Int64) {
        let ts = UInt64(micros + 0x00DC_DDB3_0F2F_8000)
        out += be(UInt32(payload.count)) + be(UInt32(payload.count)) + be(opcode) + be(0)
        out += (0..<8).map { UInt8(truncatingIfNeeded: ts >> (56 - 8 * UInt64($0))) } + payload
    }
    func att(_ pdu: ATTPDU, opcode: UInt32, micros: Int64) {
        let bytes = pdu.encoded()
        let frame = le(UInt16(bytes.count)) + le(4) + bytes
        for (n, i) in stride(from: 0, to: frame.count, by: fragment).enumerated() {
            let chunk = Array(frame[i..<min(i + fragment, frame.count)])
            record(opcode, le(0x0040 | (n == 0 ? 0x2000 : 0x1000)) + le(UInt16(chunk.count)) + chunk, micros: micros)
        }
    }
    let start = Int64(day.times[0] * 1e6)
    record(3, [0x3E, 19, 0x01, 0x00, 0x40, 0x00, 0x00, 0x00, 0x56, 0x34, 0x12, 0x1A, 0x9E, 0xA0, 24, 0, 0, 0, 0x90, 0x01, 0], micros: start)
    att(.readByTypeResponse([ATTHandleValue(handle: 11, value: [0x10, 0x0C, 0x00, 0x37, 0x2A])]), opcode: 5, micros: start)
    for i in 0..<day.notificationCount {
        att(.handleValueNotification(handle: 0x0C, value: Array(day.notification(i))), opcode: 5, micros: Int64(day.times[i] * 1e6))
    }
    return out
}
