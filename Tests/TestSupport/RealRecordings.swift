import Foundation

/// The real recordings in `Tests/Fixtures` that hold beat-to-beat intervals (see ATTRIBUTION.md):
/// Empatica E4 sessions of the PhysioNet wearable exercise dataset (ODC-By) and ten minutes of a
/// Polar H10 with premature beats (kbroman/detectPVC, MIT).
public enum RealRecordings {
    /// One E4 session: its `IBI.csv` start time and the beats as (seconds after it, ms).
    public struct E4Session {
        public var name: String
        public var start: Double
        public var beats: [(offset: Double, ms: Double)]

        /// The beats inside the engine's RR range (250–2000 ms), in order.
        public var intervals: [Double] { beats.map(\.ms).filter { $0 >= 250 && $0 <= 2000 } }

        /// The beats as the 0x2A37 notifications a strap would send: two beats each, stamped with
        /// the second beat's time, the heart rate from their mean (bpm, rounded).
        public var notifications: [(time: Double, heartRate: Int, rr: [Double])] {
            stride(from: 0, to: beats.count, by: 2).map { i in
                let pair = beats[i..<min(i + 2, beats.count)]
                let rr = pair.map(\.ms)
                return (start + pair.last!.offset, Int((60_000 * Double(rr.count) / rr.reduce(0, +)).rounded()), rr)
            }
        }

        /// The notifications as a CSV trace of DESIGN.md, one line each.
        public var csvTrace: String {
            "timestamp,hr,rr\n" + notifications.map { n in
                String(format: "%.6f,%d,", n.time, n.heartRate) + n.rr.map { String(format: "%.3f", $0) }.joined(separator: " ")
            }.joined(separator: "\n") + "\n"
        }

        /// Writes `csvTrace` into a fresh temporary directory; the file's path.
        public func writeTrace() throws -> String {
            let path = try FileBytes.temporaryDirectory("e4") + "/" + name.lowercased().replacingOccurrences(of: "/", with: "-") + ".csv"
            try Data(csvTrace.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// Reads `Tests/Fixtures/physionet-wearable-exercise/Wearable_Dataset/KIND/SUBJECT/IBI.csv`: line 1 is `start,start` (`2013-02-23 18:12:41`, UTC),
    /// then `offset_s,ibi_s` rows.
    public static func e4(_ kind: String, _ subject: String) throws -> E4Session {
        let path = TestPaths.fixture("physionet-wearable-exercise/Wearable_Dataset/\(kind)/\(subject)/IBI.csv")
        let lines = String(decoding: try FileBytes.read(path), as: UTF8.self)
            .split(whereSeparator: \.isNewline)
        guard let first = lines.first,
              let date = ISO8601DateFormatter().date(from: first.split(separator: ",")[0].trimmingCharacters(in: .whitespaces)
                .replacingOccurrences(of: " ", with: "T") + "Z") else {
            throw FixtureError("\(path):1: no start time")
        }
        var beats: [(Double, Double)] = []
        for (i, line) in lines.dropFirst().enumerated() {
            let f = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count >= 2, let t = Double(f[0]), let s = Double(f[1]) else { throw FixtureError("\(path):\(i + 2): not offset,ibi") }
            beats.append((t, s * 1000))
        }
        return E4Session(name: "\(kind)/\(subject)", start: date.timeIntervalSince1970, beats: beats)
    }

    /// `Tests/Fixtures/detectpvc-polar-h10/polar_h10.rr.csv` (our CSV format, one line per notification).
    public static var polarH10Path: String { TestPaths.fixture("detectpvc-polar-h10/polar_h10.rr.csv") }

    /// The Polar H10's notifications as logged: (Unix time, bpm, RR ms).
    public static func polarH10() throws -> [(time: Double, heartRate: Int, rr: [Double])] {
        let text = String(decoding: try FileBytes.read(polarH10Path), as: UTF8.self)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("timestamp") }.map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 3, let t = Double(f[0]), let hr = Int(f[1]) else { throw FixtureError("\(polarH10Path): bad line \(line)") }
            return (t, hr, f[2].split(separator: " ").compactMap { Double($0) })
        }
    }

    /// Every FIT recording in the fixtures.
    public static var fitFiles: [String] { FileBytes.files(under: TestPaths.fixtures, suffix: ".fit") }
}

/// A fixture that does not read as its format says.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
