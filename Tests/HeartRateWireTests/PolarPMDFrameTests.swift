import Testing
import TestSupport
@testable import HeartRateWire

/// PMD ECG frames laid out as the Polar BLE SDK documents them.
@Suite struct PolarPMDFrameTests {
    @Test func decodesAnECGFrame() throws {
        // type 0 (ECG), timestamp 0x0102030405060708 ns, frame type 0, samples -1, 1000, -8388608 µV.
        let bytes: [UInt8] = [0x00, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x00,
                              0xFF, 0xFF, 0xFF, 0xE8, 0x03, 0x00, 0x00, 0x00, 0x80]
        let frame = try PolarPMDFrame(decoding: bytes)
        #expect(frame.type == .ecg)
        #expect(frame.timestamp == 0x0102030405060708)
        #expect(frame.microvolts == [-1, 1000, -8_388_608])
        #expect(frame.encoded() == bytes)
    }

    @Test("other frames are typed errors", arguments: [
        ([UInt8](repeating: 0, count: 9), "a frame header is 10"),
        ([0x04] + [UInt8](repeating: 0, count: 9), "unknown measurement type 4"),
        ([0x02] + [UInt8](repeating: 0, count: 9), "measurement type acceleration is not decoded"),
        ([UInt8](repeating: 0, count: 9) + [0x80, 1, 2, 3], "compressed ECG frame"),
        ([UInt8](repeating: 0, count: 9) + [0x03], "unknown ECG frame type 3"),
        ([UInt8](repeating: 0, count: 10) + [1, 2, 3, 4], "not whole 3-byte samples"),
    ])
    func rejects(bytes: [UInt8], message: String) {
        #expect(throws: PolarPMDError.self) { try PolarPMDFrame(decoding: bytes) }
        do { _ = try PolarPMDFrame(decoding: bytes) } catch { #expect(error.description.contains(message), "\(error)") }
    }

    @Test func controlPointResponses() {
        #expect(PolarPMDFrame.controlPointProblem([0xF0, 0x02, 0x00, 0x00, 0x00]) == nil)
        #expect(PolarPMDFrame.controlPointProblem([0xF0, 0x02, 0x00, 0x05])?.contains("invalid parameter") == true)
        #expect(PolarPMDFrame.controlPointProblem([0x01]) != nil)
    }

    @Test func randomFramesNeverCrash() {
        var rng = SplitMix64(seed: 0x5C82)
        for _ in 0..<100_000 {
            var bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if bytes.count > 9, Bool.random(using: &rng) { bytes[0] = 0; bytes[9] = 0 }
            if let frame = try? PolarPMDFrame(decoding: bytes) { #expect(frame.encoded() == bytes) }
        }
    }

    // MARK: PolarECGClock

    static func frame(lastAt ns: UInt64, samples: Int) -> PolarPMDFrame {
        PolarPMDFrame(type: .ecg, timestamp: ns, microvolts: Array(repeating: 0, count: samples))
    }

    @Test func theFirstFrameUsesTheNominalRateAndLaterOnesTheMeasuredSpacing() {
        var clock = PolarECGClock()
        let nominal = 1e9 / 130
        let first = clock.times(of: Self.frame(lastAt: 1_000_000_000_000, samples: 73))
        #expect(first.count == 73 && first.last == 1_000_000_000_000)
        #expect(Double(first[72] - first[0]) == (72 * nominal).rounded())
        // The strap's clock runs 1 % fast: the spacing follows it.
        let next = clock.times(of: Self.frame(lastAt: 1_000_000_000_000 + UInt64(73 * nominal * 1.01), samples: 73))
        #expect(abs(Double(next[1] - next[0]) - nominal * 1.01) <= 1)
        #expect(next[0] > first[72])
    }

    @Test("a gap, a clock step back, an empty frame or a frame near the epoch fall back to the nominal rate without trapping")
    func oddTimestamps() {
        var clock = PolarECGClock()
        let nominal = 1e9 / 130
        _ = clock.times(of: Self.frame(lastAt: 5_000_000_000, samples: 10))
        let afterGap = clock.times(of: Self.frame(lastAt: 60_000_000_000, samples: 10))
        #expect(abs(Double(afterGap[1] - afterGap[0]) - nominal) <= 1)
        let backwards = clock.times(of: Self.frame(lastAt: 1_000_000_000, samples: 10))
        #expect(abs(Double(backwards[1] - backwards[0]) - nominal) <= 1 && backwards.last == 1_000_000_000)
        #expect(clock.times(of: Self.frame(lastAt: 7, samples: 0)).isEmpty)
        #expect(clock.times(of: Self.frame(lastAt: 10, samples: 5)) == [0, 0, 0, 0, 10], "no sample before the epoch")
    }
}
