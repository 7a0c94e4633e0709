import Foundation
import HeartRateWire

/// 0x2A37 values built from real beat-to-beat intervals: the graded cycling test of PhysioNet E4
/// session AEROBIC/S02 (2 768 beats, HR 104-167), two beats per notification as a Polar H10
/// sends them, contact detected — what the simulated strap plays in the BlueZ tests. More than
/// one session's worth (1 384) repeats the recording from its start.
public enum PolarNotifications {
    /// The first `count` notifications.
    public static func first(_ count: Int) throws -> [[UInt8]] { try of("AEROBIC", "S02", count) }

    /// `count` notifications of another E4 session (`kind`/`subject`, e.g. ANAEROBIC/S03): a
    /// different person's beats for a strap that must not mix with the others.
    public static func of(_ kind: String, _ subject: String, _ count: Int) throws -> [[UInt8]] {
        let beats = try RealRecordings.e4(kind, subject).intervals
        let pairs = beats.count / 2
        return (0..<count).map { n in
            let (a, b) = (beats[2 * (n % pairs)], beats[2 * (n % pairs) + 1])
            return HeartRateMeasurement(heartRate: UInt16((120_000 / (a + b)).rounded()), sensorContact: .detected,
                                        rrIntervals: RRIntervals([a, b])).encoded()
        }
    }

    /// `count` Polar PMD ECG frames of 73 samples (what an H10 sends at MTU 232), built from the
    /// SDK's documented layout: 130 Hz strap times from 2026-01-01, and samples that sweep the
    /// signed 24-bit range's ends and a beat-like spike, so sign extension and byte order show.
    public static func ecgFrames(_ count: Int) -> [[UInt8]] {
        let start: UInt64 = 820_540_800_000_000_000  // 2026-01-01 00:00 UTC in ns since 2000-01-01
        return (0..<count).map { f in
            let samples: [Int32] = (0..<73).map { i in
                let k = f * 73 + i
                switch k % 130 {
                case 0: return 8_388_607
                case 1: return -8_388_608
                case 40...44: return Int32(1_500 - abs(42 - k % 130) * 600)
                default: return Int32(k % 97) * 7 - 300
                }
            }
            let last = start + UInt64((Double(f * 73 + 72) / 130 * 1e9).rounded())
            return PolarPMDFrame(type: .ecg, timestamp: last, microvolts: samples).encoded()
        }
    }

    /// Writes values as one hex string per line (the format `Tests/Peripherals/hr_strap.py` reads).
    public static func writeHex(_ values: [[UInt8]], to path: String) throws {
        try Data(values.map { $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n").utf8)
            .write(to: URL(fileURLWithPath: path))
    }
}
