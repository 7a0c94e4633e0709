import HeartRateWire

/// Reads the CSV trace format of DESIGN.md, one line at a time.
///
/// ```
/// # comment
/// timestamp,hr,rr
/// 1623000000.5,72,812 830
/// 2021-06-06T16:10:59Z,,815
/// ```
/// `timestamp` is Unix seconds (decimals allowed) or ISO 8601; a file whose first Unix
/// timestamp is above 10^11 is read in milliseconds throughout (FatMaxxer and many loggers
/// write epoch milliseconds; 10^11 s would be the year 5138); `hr` is an integer bpm or empty
/// (0 means the sensor had no reading, as straps send without skin contact); `rr` holds RR
/// intervals in milliseconds separated by spaces, or is empty. Columns may come in any order;
/// other columns are ignored. Time may step back by up to `backwardTolerance` seconds (real BLE
/// loggers stamp batched notifications with jitter); a larger step back is an error.
public struct CSVTraceReader<Source: ByteChunkSource>: TraceReader {
    /// Accepted heart-rate range in bpm; anything else is an error naming the line.
    public static var heartRateRange: ClosedRange<Int> { 20...250 }
    /// Accepted RR range in ms (the engine's artifact gate is narrower; this rejects nonsense only).
    public static var rrRange: ClosedRange<Double> { 1...60_000 }
    /// How far time may step back between rows (s) before it is an error.
    public static var backwardTolerance: Double { 5 }
    /// Longest accepted line.
    public static var maximumLineLength: Int { 64 * 1024 }

    private var reader: ByteReader<Source>
    private let name: String
    private var lineNumber = 0
    private var columns: (time: Int, hr: Int?, rr: Int?)? = nil
    private var lastTime = -Double.infinity
    private var unixScale: Double? = nil
    /// The fast path's field ranges, reused row to row.
    private var fieldRanges: [Range<Int>] = []

    /// Unix timestamps above this on the first data row mean the file is in milliseconds.
    public static var millisecondThreshold: Double { 1e11 }

    /// Reads from `source`; `name` (usually the path) appears in errors.
    public init(_ source: Source, name: String) {
        reader = ByteReader(source)
        self.name = name
    }

    /// The 1-based number of the last line read.
    public var currentLine: Int { lineNumber }

    public mutating func next() throws(TraceError) -> TraceEvent? {
        while true {
            guard var bytes = try reader.line(after: lineNumber, maximumLength: Self.maximumLineLength, source: name) else {
                if columns == nil {
                    throw TraceError(.empty, source: name, at: .line(max(lineNumber, 1)),
                                     lineNumber == 0 ? "no data" : "no header line `timestamp,hr,rr` before the end")
                }
                return nil
            }
            lineNumber += 1
            if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            // The common row straight from its bytes; anything unusual takes the text path.
            if CSVFastRow.isASCII(bytes) {
                let t = CSVFastRow.trimmed(bytes, bytes.startIndex..<bytes.endIndex)
                if t.isEmpty || bytes[t.lowerBound] == UInt8(ascii: "#") { continue }
                if let columns, let sample = fastRow(bytes, columns) { return .sample(sample) }
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw fail(.malformed, "not UTF-8 text (binary data given as CSV?)")
            }
            let trimmed = text.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let columns else {
                try readHeader(trimmed)
                continue
            }
            return .sample(try readRow(trimmed, columns))
        }
    }

    private mutating func readHeader(_ line: Substring) throws(TraceError) {
        let names = line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingSpaces().lowercased()
        }
        guard let t = names.firstIndex(of: "timestamp") else {
            throw fail(.malformed, "expected the header `timestamp,hr,rr`, found `\(line.printable(80))`")
        }
        let hr = names.firstIndex(of: "hr")
        let rr = names.firstIndex(of: "rr")
        guard hr != nil || rr != nil else {
            throw fail(.malformed, "the header names neither an `hr` nor an `rr` column")
        }
        columns = (t, hr, rr)
    }

    /// `readRow` for a plain row, from bytes: nil (nothing changed) whenever the text path must
    /// decide, so both give the same samples and the text path words every error.
    private mutating func fastRow(_ line: ArraySlice<UInt8>, _ c: (time: Int, hr: Int?, rr: Int?)) -> TraceSample? {
        let needed = max(c.time, c.hr ?? 0, c.rr ?? 0) + 1
        guard CSVFastRow.split(line, count: needed, into: &fieldRanges) else { return nil }
        guard let unix = CSVFastRow.decimal(line, CSVFastRow.trimmed(line, fieldRanges[c.time])) else { return nil }
        let scale = unixScale ?? (unix > Self.millisecondThreshold ? 0.001 : 1)
        let time = unix * scale
        guard TraceTime.isPlausible(time), time >= lastTime - Self.backwardTolerance else { return nil }
        var heartRate: UInt16? = nil
        if let h = c.hr {
            let r = CSVFastRow.trimmed(line, fieldRanges[h])
            if !r.isEmpty {
                guard let value = CSVFastRow.integer(line, r) else { return nil }
                if value != 0 {
                    guard Self.heartRateRange.contains(value) else { return nil }
                    heartRate = UInt16(value)
                }
            }
        }
        var rr = RRIntervals()
        if let rc = c.rr {
            let field = fieldRanges[rc]
            var start = field.lowerBound
            var i = start
            while i <= field.upperBound {
                if i == field.upperBound || line[i] == 0x20 {
                    if i > start {
                        guard let ms = CSVFastRow.decimal(line, start..<i), Self.rrRange.contains(ms), rr.append(ms) else { return nil }
                    }
                    start = i + 1
                } else if line[i] == 0x09 {
                    return nil
                }
                i += 1
            }
        }
        unixScale = scale
        lastTime = max(lastTime, time)
        return TraceSample(time: time, heartRate: heartRate, rrIntervals: rr)
    }

    private mutating func readRow(_ line: Substring, _ c: (time: Int, hr: Int?, rr: Int?)) throws(TraceError) -> TraceSample {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        let needed = max(c.time, c.hr ?? 0, c.rr ?? 0) + 1
        guard fields.count >= needed else {
            throw fail(.malformed, "\(fields.count) fields, the header needs \(needed)")
        }
        let timeText = fields[c.time].trimmingSpaces()
        let time: Double
        if let unix = Double(timeText), unix.isFinite {
            let scale = unixScale ?? (unix > Self.millisecondThreshold ? 0.001 : 1)
            unixScale = scale
            time = unix * scale
        } else if let iso = ISO8601.parse(timeText) {
            time = iso
        } else {
            throw fail(.malformed, "timestamp `\(timeText.printable(40))` is neither Unix seconds nor ISO 8601")
        }
        guard TraceTime.isPlausible(time) else {
            throw fail(.outOfRange, "timestamp `\(timeText.printable(40))` is outside the years 0000–9999")
        }
        guard time >= lastTime - Self.backwardTolerance else {
            throw fail(.timeOrder, "timestamp \(time) is earlier than the previous \(lastTime)")
        }
        lastTime = max(lastTime, time)

        var heartRate: UInt16? = nil
        if let h = c.hr {
            let text = fields[h].trimmingSpaces()
            if !text.isEmpty {
                // `Int(exactly:)` keeps 1e300 or 99999999999999999999999 from trapping: they are
                // numbers, only not heart rates, and fail the range check below.
                guard let number = Int(text).map(Double.init) ?? Double(text), number.isFinite, number == number.rounded() else {
                    throw fail(.malformed, "hr `\(text.printable(40))` is not an integer bpm")
                }
                let value = Int(exactly: number) ?? Int.max
                if value != 0 {
                    guard Self.heartRateRange.contains(value) else {
                        throw fail(.outOfRange, "hr \(value) bpm is outside \(Self.heartRateRange.lowerBound)–\(Self.heartRateRange.upperBound)")
                    }
                    heartRate = UInt16(value)
                }
            }
        }
        var rr = RRIntervals()
        if let r = c.rr {
            for part in fields[r].split(separator: " ") where !part.isEmpty {
                guard let ms = Double(part), ms.isFinite else {
                    throw fail(.malformed, "rr `\(part.printable(40))` is not a number of milliseconds")
                }
                guard Self.rrRange.contains(ms) else {
                    throw fail(.outOfRange, "rr \(part) ms is outside \(Int(Self.rrRange.lowerBound))–\(Int(Self.rrRange.upperBound)) ms")
                }
                guard rr.append(ms) else {
                    throw fail(.outOfRange, "more than \(RRIntervals.capacity) RR intervals on one line")
                }
            }
        }
        return TraceSample(time: time, heartRate: heartRate, rrIntervals: rr)
    }

    private func fail(_ code: TraceError.Code, _ reason: String) -> TraceError {
        TraceError(code, source: name, at: .line(lineNumber), reason)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }

    /// The text cut to `limit` characters with control characters shown as `?`, for messages.
    func printable(_ limit: Int) -> String {
        var out = ""
        for ch in self.prefix(limit) {
            out.append(ch.isASCII && (ch.asciiValue! < 32 || ch.asciiValue! == 127) ? "?" : ch)
        }
        return self.count > limit ? out + "…" : out
    }
}
