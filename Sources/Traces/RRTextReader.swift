import HeartRateWire

/// An RR-interval text file: one interval per line, in milliseconds — the product's own
/// `sessions/ID.rr.txt` export and the text files Kubios HRV imports. A value below
/// `secondsBelow` is in seconds (Kubios accepts both) and is converted. A first line `rr_ms`
/// (the header `ingestctl export --format csv` adds), empty lines and lines starting with `#`
/// are skipped; anything else is an error naming the line.
///
/// The file holds no clock: each interval becomes one sample at the time its beat ends, counted
/// from `start` — the session ID's start when the file's name begins with one
/// (`20250301T180000Z-…`), else Unix time 0. Samples carry no heart rate: the engine takes it
/// from the intervals, as for a strap that sends RR only.
public struct RRTextReader<Source: ByteChunkSource>: TraceReader {
    /// Intervals allowed, ms (as the CSV reader's `rr`).
    public static var rrRange: ClosedRange<Double> { 1...60_000 }
    /// Values below this are seconds, not milliseconds.
    public static var secondsBelow: Double { 10 }
    /// The longest line read (a line this long is not an interval).
    public static var maximumLineLength: Int { 256 }

    private var reader: ByteReader<Source>
    private let name: String
    private var lineNumber = 0
    private var time: Double

    /// Reads from `source`; `name` (usually the path) appears in errors and may give the start.
    public init(_ source: Source, name: String, start: Double? = nil) {
        reader = ByteReader(source)
        self.name = name
        time = start ?? Self.start(fromName: name) ?? 0
    }

    /// The start time a session ID at the front of the file's name gives (`20250301T180000Z`).
    public static func start(fromName path: String) -> Double? {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let stamp = Array(file.utf8.prefix(16))
        guard stamp.count == 16, stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "Z") else { return nil }
        func digits(_ r: Range<Int>) -> String? {
            let s = stamp[r]
            return s.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? String(decoding: s, as: UTF8.self) : nil
        }
        guard let y = digits(0..<4), let mo = digits(4..<6), let d = digits(6..<8),
              let h = digits(9..<11), let mi = digits(11..<13), let s = digits(13..<15) else { return nil }
        return ISO8601.parse("\(y)-\(mo)-\(d)T\(h):\(mi):\(s)Z")
    }

    /// The column name a first line may hold.
    public static var header: String { "rr_ms" }

    /// Whether `prefix` (a file's first bytes) looks like an RR text file: after an optional
    /// `rr_ms` line, digits, points and line breaks only, starting with a digit.
    public static func looksLikeRRText(_ prefix: some Collection<UInt8>) -> Bool {
        var prefix = Array(prefix)
        if prefix.starts(with: Array((header + "\n").utf8)) { prefix.removeFirst(header.utf8.count + 1) }
        if prefix.starts(with: Array((header + "\r\n").utf8)) { prefix.removeFirst(header.utf8.count + 2) }
        guard let first = prefix.first, first >= 0x30 && first <= 0x39 else { return false }
        return prefix.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == 0x0A || $0 == 0x0D
            || $0 == 0x20 || $0 == 0x09 }
    }

    public mutating func next() throws(TraceError) -> TraceEvent? {
        while true {
            guard let bytes = try reader.line(after: lineNumber, maximumLength: Self.maximumLineLength, source: name) else {
                if lineNumber == 0 { throw TraceError(.empty, source: name, at: .line(1), "no intervals") }
                return nil
            }
            lineNumber += 1
            let r = CSVFastRow.trimmed(bytes, bytes.startIndex..<bytes.endIndex)
            if r.isEmpty || bytes[r.lowerBound] == UInt8(ascii: "#") { continue }
            if lineNumber == 1 && bytes[r].elementsEqual(Self.header.utf8) { continue }
            // The exact fast path for plain decimals; the text parser for the rest (exponents, long digits).
            let text = String(decoding: bytes[r].prefix(Self.maximumLineLength), as: UTF8.self)
            guard let value = CSVFastRow.decimal(bytes, r) ?? Double(text), value >= 0 else {
                throw TraceError(.malformed, source: name, at: .line(lineNumber), "expected one RR interval in ms, found `\(text.prefix(40))`")
            }
            let ms = value < Self.secondsBelow ? value * 1000 : value
            guard ms.isFinite, Self.rrRange.contains(ms) else {
                throw TraceError(.outOfRange, source: name, at: .line(lineNumber), "RR interval \(value) is outside 1…60000 ms")
            }
            time += ms / 1000
            guard TraceTime.isPlausible(time) else {
                throw TraceError(.outOfRange, source: name, at: .line(lineNumber), "the intervals run past the year 9999")
            }
            return .sample(TraceSample(time: time, heartRate: nil, rrIntervals: RRIntervals([ms])))
        }
    }
}
