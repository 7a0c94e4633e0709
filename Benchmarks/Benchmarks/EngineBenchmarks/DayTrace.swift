import Foundation
import HeartRateWire

/// A day of real beats as 0x2A37 notifications, built once before measuring.
struct DayTrace: Sendable {
    var beats: [Double] = []
    var times: [Double] = []
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]

    var notificationCount: Int { times.count }

    func notification(_ i: Int) -> ArraySlice<UInt8> { bytes[offsets[i]..<offsets[i + 1]] }

    /// The FatMaxxer Polar H10 log, range-checked, rescaled to mean 800 ms, tiled to 24 h.
    static func load() -> DayTrace {
        let here = URL(fileURLWithPath: #filePath)
        let path = here.deletingLastPathComponent().appendingPathComponent(
            "../../../../shared/data/real/fatmaxxer/FatMaxOptimiser.20210606_161059.rr.csv").standardized.path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            fatalError("cannot read \(path): the benchmarks use the shared real recordings")
        }
        var source: [Double] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            if f.count >= 2, let v = Double(f[1]), v >= 250, v <= 2000 { source.append(v) }
        }
        let scale = 800 / (source.reduce(0, +) / Double(source.count))
        source = source.map { $0 * scale }.filter { $0 >= 250 && $0 <= 2000 }  // as the comparison script does
        var day = DayTrace()
        var total = 0.0
        while total < 86_400_000 {
            for v in source where total < 86_400_000 {
                day.beats.append(v)
                total += v
            }
        }
        // One notification per second of beat time carrying the beats that ended in it.
        var clock = 0.0, pending: [Double] = [], second = 1.0
        for rr in day.beats {
            clock += rr / 1000
            pending.append(rr)
            if clock >= second {
                let mean = pending.reduce(0, +) / Double(pending.count)
                let m = HeartRateMeasurement(heartRate: UInt16((60_000 / mean).rounded()), sensorContact: .detected,
                                             rrIntervals: RRIntervals(pending))
                day.bytes += m.encoded()
                day.offsets.append(day.bytes.count)
                day.times.append(1_700_000_000 + clock)
                pending.removeAll()
                second = clock.rounded(.down) + 1
            }
        }
        return day
    }
}
