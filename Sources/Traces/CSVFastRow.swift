import HeartRateWire

/// The common CSV row read straight from its bytes: ASCII, a Unix timestamp, an integer `hr`,
/// plain decimal RR values. Anything else (ISO 8601 time, exponents, more than 15 significant
/// digits, a value out of range, stray characters) answers nil, and the reader takes the
/// text path, which parses the exotic and words every error. No allocation.
enum CSVFastRow {
    /// Exact powers of ten up to 10^22 (every one is a double exactly).
    private static let powersOfTen: [Double] = (0...22).reduce(into: []) { p, i in p.append(i == 0 ? 1 : p[i - 1] * 10) }

    /// Field ranges `[start, end)` of `line` for the first `count` fields, written into
    /// `ranges` (reused); false when the line has fewer fields.
    static func split(_ line: ArraySlice<UInt8>, count: Int, into ranges: inout [Range<Int>]) -> Bool {
        ranges.removeAll(keepingCapacity: true)
        var start = line.startIndex
        var i = start
        while i < line.endIndex && ranges.count < count {
            if line[i] == UInt8(ascii: ",") {
                ranges.append(start..<i)
                start = i + 1
            }
            i += 1
        }
        if ranges.count < count { ranges.append(start..<line.endIndex) }
        return ranges.count >= count
    }

    /// The range without surrounding spaces and tabs.
    static func trimmed(_ line: ArraySlice<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, line[lo] == 0x20 || line[lo] == 0x09 { lo += 1 }
        while hi > lo, line[hi - 1] == 0x20 || line[hi - 1] == 0x09 { hi -= 1 }
        return lo..<hi
    }

    /// A plain decimal (`-`? digits, optionally `.` digits) as the nearest double, exactly as
    /// `Double(String)` gives it: the digits as an integer below 2^53 divided by an exact power
    /// of ten is one correctly rounded operation (Clinger's fast path). Nil for anything else.
    static func decimal(_ line: ArraySlice<UInt8>, _ r: Range<Int>) -> Double? {
        var i = r.lowerBound
        guard i < r.upperBound else { return nil }
        var negative = false
        if line[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0
        var seenPoint = false
        while i < r.upperBound {
            let b = line[i]
            if b >= 0x30 && b <= 0x39 {
                if mantissa == 0 && b == 0x30 && !seenPoint {
                    // a leading zero adds no significant digit
                } else {
                    digits += 1
                    guard digits <= 15 else { return nil }
                    mantissa = mantissa * 10 + UInt64(b - 0x30)
                }
                if seenPoint { fraction += 1 }
            } else if b == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            i += 1
        }
        // "-", ".", "-." and "5." are left to the text path (which decides what they are).
        guard i > r.lowerBound + (negative ? 1 : 0), fraction <= 22, line[r.upperBound - 1] != UInt8(ascii: ".") else {
            return nil
        }
        guard line[r.lowerBound + (negative ? 1 : 0)] != UInt8(ascii: ".") else { return nil }
        let value = Double(mantissa) / powersOfTen[fraction]
        return negative ? -value : value
    }

    /// A non-negative integer of at most 9 digits, nil for anything else.
    static func integer(_ line: ArraySlice<UInt8>, _ r: Range<Int>) -> Int? {
        guard !r.isEmpty, r.count <= 9 else { return nil }
        var v = 0
        for i in r {
            let b = line[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    /// Whether every byte is ASCII (else the text path validates UTF-8).
    static func isASCII(_ line: ArraySlice<UInt8>) -> Bool {
        for b in line where b >= 0x80 { return false }
        return true
    }
}
