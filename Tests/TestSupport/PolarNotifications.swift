import Foundation
import HeartRateWire

/// 0x2A37 values built from the real Polar H10 RR log (shared/data/real/fatmaxxer): two beats per
/// notification, contact detected — what the simulated strap plays in the BlueZ tests.
public enum PolarNotifications {
    /// The first `count` notifications.
    public static func first(_ count: Int) throws -> [[UInt8]] {
        let text = String(decoding: try FileBytes.read(TestPaths.shared("fatmaxxer/FatMaxOptimiser.20210606_161059.rr.csv")), as: UTF8.self)
        let beats = text.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",").dropFirst().first ?? "") }
            .filter { $0 >= 250 && $0 <= 2000 }.prefix(2 * count)
        return stride(from: beats.startIndex, to: beats.endIndex - 1, by: 2).map { i in
            HeartRateMeasurement(heartRate: UInt16((120_000 / (beats[i] + beats[i + 1])).rounded()), sensorContact: .detected,
                                 rrIntervals: RRIntervals([beats[i], beats[i + 1]])).encoded()
        }
    }

    /// Writes values as one hex string per line (the format `Tests/Peripherals/hr_strap.py` reads).
    public static func writeHex(_ values: [[UInt8]], to path: String) throws {
        try Data(values.map { $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n").utf8)
            .write(to: URL(fileURLWithPath: path))
    }
}
