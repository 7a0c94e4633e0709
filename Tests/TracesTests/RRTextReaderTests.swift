import Testing
import TestSupport
@testable import Traces

/// RR text files (our `.rr.txt` export, Kubios text): one interval per line, read as beats.
struct RRTextReaderTests {
    static func read(_ text: String, name: String = "x.rr.txt", chunk: Int = 7) throws(TraceError) -> [TraceSample] {
        var reader = RRTextReader(InMemoryByteSource(Array(text.utf8), chunkSize: chunk), name: name)
        var out: [TraceSample] = []
        while let e = try reader.next() {
            guard case .sample(let s) = e else { continue }
            out.append(s)
        }
        return out
    }

    @Test func eachLineIsOneBeatEndingAtTheSumOfTheIntervals() throws {
        let samples = try Self.read("rr_ms\n800\n# a comment\n\n  812.5 \r\n0.79\n", name: "/var/lib/ingestd/sessions/20250301T180000Z-A09E1A000001.rr.txt")
        let start = try #require(ISO8601.parse("2025-03-01T18:00:00Z"))
        #expect(samples.map { Array($0.rrIntervals) } == [[800], [812.5], [790]], "seconds below 10 are converted")
        #expect(samples.map(\.time) == [start + 0.8, start + 1.6125, start + 2.4025])
        #expect(samples.allSatisfy { $0.heartRate == nil }, "the engine takes HR from the beats")
        #expect(try Self.read("1000\n1000\n", name: "no-id.txt").map(\.time) == [1, 2], "no session ID in the name: from 0")
    }

    @Test func badLinesNameTheFileAndLine() {
        for (text, line, words) in [("800\nabc\n", 2, "expected one RR interval"), ("800\n900\n70000\n", 3, "outside"),
                                    ("800\n-5\n", 2, "expected one RR interval"), ("", 1, "no intervals")] {
            do {
                _ = try Self.read(text, name: "f.txt")
                Issue.record("\(text.debugDescription) was accepted")
            } catch {
                #expect(error.location == .line(line) && error.source == "f.txt" && error.reason.contains(words), "\(error)")
            }
        }
    }

    @Test func sniffingTellsRRTextFromCSVAndTheBinaryFormats() {
        for text in ["800\n812\n", "rr_ms\n800\n", "rr_ms\r\n800\r\n", "812.5\n"] {
            #expect(TraceFormat.sniff(Array(text.utf8)) == .rrText, "\(text.debugDescription)")
        }
        for text in ["timestamp,hr,rr\n", "1622995859,120,812\n", "2021-06-06T16:10:59Z,120\n", "rr_ms,hr\n"] {
            #expect(TraceFormat.sniff(Array(text.utf8)) == .csv, "\(text.debugDescription)")
        }
        #expect(TraceFormat.sniff(RawLogFormat.magic + [0, 0, 0, 0]) == .rawLog)
    }

    @Test("random bytes never crash the reader")
    func fuzz() {
        var rng = SplitMix64(seed: 0x5252_0001)
        let alphabet = Array("0123456789.\n\r #e-x".utf8)
        for _ in 0..<3_000 {
            let bytes = (0..<Int(rng.next() % 60)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            var reader = RRTextReader(InMemoryByteSource(bytes.isEmpty ? [0x0A] : bytes, chunkSize: 5), name: "fuzz")
            var last = -Double.infinity
            while let e = try? reader.next() {
                guard case .sample(let s) = e else { continue }
                #expect(s.time > last && s.rrIntervals.count == 1 && (1...60_000).contains(s.rrIntervals[0]))
                last = s.time
            }
        }
    }
}
