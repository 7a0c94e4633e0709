import Testing
import TestSupport
@testable import HeartRateWire

@Suite struct HeartRateMeasurementFuzzTests {
    @Test func randomBytesNeverCrashAndRoundTripWhenAccepted() {
        var rng = SplitMix64(seed: 0x2A37)
        var accepted = 0
        for _ in 0..<200_000 {
            let length = Int.random(in: 0...24, using: &rng)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if let m = try? HeartRateMeasurement(decoding: bytes) {
                accepted += 1
                #expect(m.encoded() == bytes, "round trip of \(bytes)")
            }
        }
        #expect(accepted > 1000)
    }

    @Test func mutatedValidValuesNeverCrash() {
        var rng = SplitMix64(seed: 7)
        let seeds: [[UInt8]] = (0..<32).map { HeartRateMeasurementTests.vector(flags: UInt8($0)).bytes }
        for _ in 0..<100_000 {
            var bytes = seeds.randomElement(using: &rng)!
            switch Int.random(in: 0..<3, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
            default:
                bytes.append(UInt8.random(in: 0...255, using: &rng))
            }
            do {
                let m = try HeartRateMeasurement(decoding: bytes)
                #expect(m.rrIntervals.count <= RRIntervals.capacity)
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
    }

    @Test func largestLegalValueDecodes() throws {
        // 512-byte attribute: flags + uint8 HR + 255 RR intervals.
        let bytes: [UInt8] = [0x10, 70] + Array(repeating: [0x00, 0x04], count: 255).joined()
        let m = try HeartRateMeasurement(decoding: bytes)
        #expect(m.rrIntervals.count == 255)
        #expect(m.rrIntervals.allSatisfy { $0 == 1000 })
    }
}
