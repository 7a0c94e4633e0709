import HeartRateWire
import Testing
import TestSupport
@testable import Traces

/// The byte-level row reader gives exactly what the text path gives, errors included.
@Suite struct CSVFastRowTests {
    static func read(_ text: String) -> (samples: [TraceSample], error: String?) {
        let (samples, error) = CSVTraceReaderTests().read(text, chunk: 4096)
        return (samples, error.map { "\($0)" })
    }

    /// Every decimal the fast path accepts is the double `Double(String)` makes of it.
    @Test func decimalsAreTheNearestDouble() {
        var rng = SplitMix64(seed: 0xC5F)
        let fixed = ["0", "-0", "007", "0.1", "0.05", "812.5", "1623000000.5", "1700000000123.456", "999999999999999",
                     "0.30000000000000004", "123456789.012345", "5e3", "1.", ".5", "-", "", "1,2", "0x10", "1_0"]
        var cases = fixed
        for _ in 0..<20_000 {
            let intDigits = Int(rng.next() % 14), fracDigits = Int(rng.next() % 8)
            var t = rng.next() % 3 == 0 ? "-" : ""
            t += (0...intDigits).map { _ in String(rng.next() % 10) }.joined()
            if fracDigits > 0 { t += "." + (0..<fracDigits).map { _ in String(rng.next() % 10) }.joined() }
            cases.append(t)
        }
        for text in cases {
            let bytes = ArraySlice(Array(text.utf8))
            if let fast = CSVFastRow.decimal(bytes, bytes.startIndex..<bytes.endIndex) {
                #expect(Double(text) == fast, "\(text)")
                #expect(fast.sign == Double(text)!.sign, "\(text)")
            }
        }
        for accepted in ["0.1", "812.5", "1623000000.5", "-0", "007"] {
            let bytes = ArraySlice(Array(accepted.utf8))
            #expect(CSVFastRow.decimal(bytes, bytes.startIndex..<bytes.endIndex) != nil, "\(accepted)")
        }
    }

    /// The same rows read through the fast path and through the text path (a non-ASCII note
    /// column sends a row down the text path) give the same samples, and the same error at
    /// the same line.
    @Test func bothPathsReadTheSameRows() {
        var rng = SplitMix64(seed: 0xFA57)
        var rows: [String] = []
        var t = 1_700_000_000.0
        for _ in 0..<3000 {
            t += Double(rng.next() % 2000) / 1000
            var hr = ""
            switch rng.next() % 10 {
            case 0: hr = ""
            case 1: hr = "0"
            case 2: hr = " 72 "
            case 3: hr = "72.0"
            default: hr = String(40 + rng.next() % 150)
            }
            let rr = (0..<Int(rng.next() % 4)).map { _ in String(format3(Double(300 + rng.next() % 1200) + Double(rng.next() % 1000) / 1000)) }
            rows.append("\(t),\(hr),\(rr.joined(separator: rng.next() % 7 == 0 ? "  " : " "))")
        }
        rows.insert("2023-11-14T22:13:20Z,70,850", at: 0)  // = 1_700_000_000, before every row
        let header = "# a day\ntimestamp,hr,rr,note\n"
        let fast = Self.read(header + rows.map { $0 + ",plain" }.joined(separator: "\n"))
        let text = Self.read(header + rows.map { $0 + ",é" }.joined(separator: "\n"))
        #expect(fast.error == nil && text.error == nil, "\(fast.error ?? "") \(text.error ?? "")")
        #expect(fast.samples.count == rows.count)
        #expect(fast.samples == text.samples)

        for bad in ["1700000000,300,800", "1700000000,72,0.5", "1e400,72,", "1700000000,72,800\t810", "99999999999999,72,800",
                    "1700000000,72,800 abc", "1700000000,-5,"] {
            let body = header + "1700000000,70,800,x\n" + bad + ",x\n"
            let f = Self.read(body), s = Self.read(body.replacingOccurrences(of: ",x\n", with: ",é\n"))
            #expect(f.error != nil && f.error == s.error, "\(bad): \(f.error ?? "nil") vs \(s.error ?? "nil")")
            #expect(f.samples == s.samples)
        }
    }
}

/// Three decimals, as loggers write RR.
private func format3(_ v: Double) -> String {
    let scaled = Int((v * 1000).rounded())
    let frac = scaled % 1000
    return "\(scaled / 1000)." + String(repeating: "0", count: 3 - String(frac).count) + String(frac)
}
