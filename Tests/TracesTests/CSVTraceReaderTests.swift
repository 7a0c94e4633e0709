import HeartRateWire
import Testing
import TestSupport
@testable import Traces

@Suite struct CSVTraceReaderTests {
    func read(_ text: String, chunk: Int = 64 * 1024) -> (samples: [TraceSample], error: TraceError?) {
        var reader = CSVTraceReader(InMemoryByteSource(Array(text.utf8), chunkSize: chunk), name: "t.csv")
        var samples: [TraceSample] = []
        do {
            while let e = try reader.next() {
                if case .sample(let s) = e { samples.append(s) }
            }
            return (samples, nil)
        } catch {
            return (samples, error)
        }
    }

    @Test func readsUnixAndISOTimesHeartRatesAndRR() {
        let text = """
            # a comment
            timestamp,hr,rr
            1623000000.5,72,812 830
            2021-06-06T17:20:01Z,,815

            1623000002,0,
            """
        let (samples, error) = read(text)
        #expect(error == nil)
        #expect(samples.count == 3)
        #expect(samples[0] == TraceSample(time: 1_623_000_000.5, heartRate: 72, rrIntervals: RRIntervals([812, 830])))
        #expect(samples[1].time == 1_623_000_001)
        #expect(samples[1].heartRate == nil)
        #expect(Array(samples[1].rrIntervals) == [815])
        #expect(samples[2].heartRate == nil, "0 bpm means no reading")
    }

    @Test("one-byte chunks read the same as one big chunk")
    func chunkingDoesNotMatter() {
        let text = "timestamp,hr,rr\r\n" + (0..<500).map { "\(1000 + $0),\(60 + $0 % 90),\(700 + $0)" }.joined(separator: "\r\n")
        #expect(read(text, chunk: 1).samples == read(text).samples)
        #expect(read(text, chunk: 7).samples.count == 500)
    }

    @Test("bad values name the line and keep what was read", arguments: [
        ("timestamp,hr,rr\n1,70,\n2,900,\n", 3, TraceError.Code.outOfRange, "900"),
        ("timestamp,hr,rr\n1,70,\n2,70,-5\n", 3, .outOfRange, "-5"),
        ("timestamp,hr,rr\n1,70,\n2,seventy,\n", 3, .malformed, "seventy"),
        ("timestamp,hr,rr\n15,70,\n14,70,\n2,70,\n", 4, .timeOrder, "earlier"),
        ("timestamp,hr,rr\n1,70,\nyesterday,70,\n", 3, .malformed, "yesterday"),
        ("time,pulse\n1,70\n", 1, .malformed, "timestamp,hr,rr"),
        ("", 1, .empty, "no data"),
    ])
    func badInput(text: String, line: Int, code: TraceError.Code, mentions: String) {
        let (samples, error) = read(text)
        #expect(error?.code == code)
        #expect(error?.location == .line(line))
        #expect(error?.description.contains(mentions) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("t.csv:\(line):") == true)
        #expect(samples.count == max(0, line - 2))
    }

    @Test func binaryGarbageIsRejectedOnTheFirstLine() {
        var rng = SplitMix64(seed: 1)
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var reader = CSVTraceReader(InMemoryByteSource(garbage), name: "garbage.csv")
        #expect(throws: TraceError.self) { while try reader.next() != nil {} }
    }

    @Test func anOverlongLineIsAnError() {
        let text = "timestamp,hr,rr\n" + String(repeating: "1", count: 70_000)
        #expect(read(text).error?.code == .malformed)
    }

    @Test func isoTimesRoundTrip() {
        #expect(ISO8601.parse("1970-01-01T00:00:00Z") == 0)
        #expect(ISO8601.parse("2021-06-06T16:10:59.250+02:00") == 1_622_988_659.25)
        #expect(ISO8601.parse("2021-02-30T00:00:00Z") == nil)
        #expect(ISO8601.format(1_622_988_659.25) == "2021-06-06T14:10:59.250Z")
        #expect(ISO8601.format(-1) == "1969-12-31T23:59:59Z")
        for t in stride(from: -100_000_000.0, to: 4_000_000_000, by: 86_399.5) {
            #expect(ISO8601.parse(ISO8601.format(t)) == t)
        }
    }

    @Test("huge numbers and far-off times are errors naming the line, never traps", arguments: [
        ("1700000000,1e300,", TraceError.Code.outOfRange),
        ("1700000000,99999999999999999999999,", .outOfRange),
        ("1700000000,-99999999999999999999999,", .outOfRange),
        ("1e19,80,", .outOfRange),
        ("-1e19,80,", .outOfRange),
        ("9999-12-31T23:59:59Z,80,", nil),
    ])
    func hostileNumbers(row: String, code: TraceError.Code?) {
        let (samples, error) = read("timestamp,hr,rr\n1699999999,70,\n" + row + "\n")
        #expect(error?.code == code, "\(row): \(String(describing: error))")
        if code != nil {
            #expect(error?.location == .line(3), "\(row): the error names line 3")
            #expect(samples.count == 1, "the good line before it is kept")
        }
    }
}
