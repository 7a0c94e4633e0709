import ArgumentParser
import HeartRateWire
import Ingest
import IngestDaemon
import Traces

/// `ingestctl ecg FILE`: the Polar ECG samples a raw log holds, one per line.
struct ECGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecg",
        abstract: "Print the Polar ECG samples recorded in a raw log (with [bluetooth] polar_ecg = true) as CSV.",
        discussion: """
            Columns: receive_time (Unix s, when the frame arrived), strap_time (Unix s on the strap's \
            own clock, per sample: a frame stamps its last sample, the others are spaced as Polar's SDK \
            does), microvolts. Frames that are not uncompressed ECG are counted on stderr and skipped.
            """
    )

    @Argument(help: "A raw log (.wiraw) from ingestd.")
    var file: String

    func run() throws {
        var opened = try openTrace(file)
        var clock = PolarECGClock()
        var frames = 0, skipped = 0
        var firstProblem: PolarPMDError? = nil
        var out = "receive_time,strap_time,microvolts\n"
        var failure: TraceError? = nil
        do {
            while let event = try opened.reader.next() {
                guard case .notification(let n) = event, n.characteristic == PolarPMDFrame.data else { continue }
                let frame: PolarPMDFrame
                do {
                    frame = try PolarPMDFrame(decoding: n.value)
                } catch {
                    skipped += 1
                    if firstProblem == nil { firstProblem = error }
                    continue
                }
                frames += 1
                let received = Self.seconds(micros: n.receiveTimeMicros)
                for (time, uv) in zip(clock.times(of: frame), frame.microvolts) {
                    out += received + "," + Self.seconds(micros: Int64(time / 1_000) + Int64(PolarPMDFrame.epochOffset) * 1_000_000)
                        + "," + String(uv) + "\n"
                }
                if out.utf8.count > 1 << 16 {
                    print(out, terminator: "")
                    out = ""
                }
            }
        } catch {
            failure = error
        }
        print(out, terminator: "")
        if let firstProblem { StandardError.write("ingestctl: \(skipped) PMD frames skipped; the first: \(firstProblem)\n") }
        if let failure {
            StandardError.write("ingestctl: \(failure)\n")
            throw ExitCode(1)
        }
        if frames == 0 {
            StandardError.write("ingestctl: \(file) holds no Polar ECG frames (they are recorded with [bluetooth] polar_ecg = true on a Polar strap)\n")
            throw ExitCode(1)
        }
    }

    /// Unix seconds with six decimals, from microseconds.
    static func seconds(micros: Int64) -> String {
        let whole = micros / 1_000_000, fraction = String(abs(micros % 1_000_000))
        return (micros < 0 && whole == 0 ? "-" : "") + String(whole) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
