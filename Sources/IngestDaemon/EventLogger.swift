import Glibc
import Ingest
import Traces

/// Writes one line per pipeline event to standard error, in the words the journal entries use.
public final class EventLogger: PipelineSink {
    /// A logger to standard error.
    public init() {}

    public func receive(_ event: PipelineEvent) {
        let line: String
        switch event {
        case .sessionStarted(let id, let device, let start):
            line = "session \(id) started at \(ISO8601.format(start)) on \(device)"
        case .classChanged(let id, _, let at, let from, let to, let confidence):
            line = "session \(id) class changed \(from.rawValue) → \(to.rawValue) (confidence \(format2(confidence))) at \(ISO8601.format(at))"
        case .sessionEnded(let r):
            line = "session \(r.id) ended: \(r.class.rawValue) (confidence \(format2(r.confidence))), \(Int(r.durationSeconds / 60)) min, mean HR \(Int(r.meanHr)), max HR \(Int(r.maxHr)), TRIMP \(r.trimp.banister)"
        case .badNotification(let device, let time, let error):
            line = "bad notification from \(device) at \(ISO8601.format(time)): \(error)"
        }
        log(line)
    }

    /// Writes one line to standard error, prefixed like a daemon's log.
    public func log(_ line: String) {
        StandardError.write("ingestd: \(line)\n")
    }
}

func format2(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    var s = String(r)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
    }
    return s
}
