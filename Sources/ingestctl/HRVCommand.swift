import ArgumentParser
import Ingest
import IngestDaemon
import Traces

/// `ingestctl hrv FILE`: windowed HRV of a recording's RR intervals.
struct HRVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hrv",
        abstract: "Print RMSSD, SDNN and DFA α1 of a sliding window of beats, every few seconds of beat time."
    )

    @Argument(help: "The recording (needs RR intervals).")
    var file: String

    @Option(name: .long, help: "Window length in seconds of beat time.")
    var window: Double = 120

    @Option(name: .long, help: "Step between windows in seconds of beat time.")
    var every: Double = 5

    @Flag(name: .long, help: "Use every beat in 250–2000 ms as given (no live artifact gate).")
    var noGate = false

    @Option(name: .long, help: "Correct artifacts with Lipponen–Tarvainen (Kubios) in fixed blocks of N beats instead of the live gate.")
    var correct: Int?

    @Flag(name: .long, help: "Also compute the neurokit2-compatible α1 (overlapping boxes).")
    var overlapping = false

    @Flag(name: .long, help: "One JSON object per line (\"kind\": \"hrv\").")
    var json = false

    @Flag(name: .long, help: "Read the whole file first, then time only the windowed HRV work (stderr).")
    var timing = false

    func validate() throws {
        guard window >= 30 && window <= 3600 else { throw ValidationError("--window must be 30…3600 s") }
        guard every > 0 && every <= window else { throw ValidationError("--every must be in (0, window]") }
        if let correct, !(100...20_000).contains(correct) { throw ValidationError("--correct takes a block of 100…20000 beats") }
    }

    func run() throws {
        var opened = try openTrace(file)
        var rows = 0
        var failure: TraceError? = nil
        if timing {
            var events: [TraceEvent] = []
            do {
                while let e = try opened.reader.next() { events.append(e) }
            } catch {
                failure = error
            }
            var memory = InMemoryTraceReader(events)
            var checksum = 0.0
            let start = WallClock.monotonic()
            _ = HRVReport.run(&memory, window: window, step: every, gate: !noGate, overlapping: overlapping) { row in
                rows += 1
                checksum += (row.rmssdMs ?? 0) + (row.sdnnMs ?? 0) + (row.dfaAlpha1 ?? 0)
            }
            let seconds = WallClock.monotonic() - start
            StandardError.write("compute_seconds=\(seconds) windows=\(rows) checksum=\(checksum)\n")
            if let failure {
                StandardError.write("ingestctl: \(failure)\n")
                throw ExitCode(1)
            }
            return
        }
        if !json { print("time                      beats  RMSSD ms   SDNN ms   α1     artifacts %  repeated %") }
        var output = BufferedLines()
        defer { output.flush() }
        failure = HRVReport.run(&opened.reader, window: window, step: every, gate: !noGate,
                                    overlapping: overlapping, correctionBlock: correct) { row in
            rows += 1
            if json {
                output.write(row.jsonLine)
            } else {
                func f(_ v: Double?, _ width: Int) -> String {
                    let s = v.map { String(($0 * 100).rounded() / 100) } ?? "–"
                    return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
                }
                print("\(ISO8601.format(row.time))  \(String(repeating: " ", count: max(0, 5 - String(row.beats).count)))\(row.beats)  \(f(row.rmssdMs, 8))  \(f(row.sdnnMs, 8))  \(f(row.dfaAlpha1, 5))  \(f(row.artifactPercent, 6))  \(f(row.repeatedPercent, 10))")
            }
        }
        if rows == 0 && !json { print("no RR intervals in \(file): HRV needs a strap or file that records them") }
        if let failure {
            StandardError.write("ingestctl: \(failure)\n")
            throw ExitCode(1)
        }
    }
}
