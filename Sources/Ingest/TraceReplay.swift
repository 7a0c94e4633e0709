import Traces

/// Feeds a recording through a strap pipeline: the one loop both `ingestd --replay` and
/// `ingestctl analyze` run, so both give the same sessions for the same file.
public enum TraceReplay {
    /// How a replay ended.
    public enum Outcome: Sendable, Equatable {
        /// The whole trace was read.
        case completed
        /// `pace` asked to stop (shutdown signal).
        case interrupted
        /// The trace is bad from here on; everything before was processed.
        case failed(TraceError)
    }

    /// Reads `reader` to the end through `pipeline`, then ends any open session.
    ///
    /// - Parameter pace: called before each event with its trace time (nil for metadata);
    ///   returns false to stop early. The daemon sleeps in it to replay at a chosen speed.
    public static func run(_ reader: inout some TraceReader, into pipeline: StrapPipeline,
                           pace: (Double?) -> Bool = { _ in true }) -> Outcome {
        var outcome = Outcome.completed
        while true {
            let event: TraceEvent?
            do {
                event = try reader.next()
            } catch {
                outcome = .failed(error)
                break
            }
            guard let event else { break }
            let time: Double? = switch event {
            case .sample(let s): s.time
            case .notification(let n): n.time
            case .metadata: nil
            }
            if !pace(time) {
                outcome = .interrupted
                break
            }
            pipeline.handle(event)
        }
        pipeline.finish()
        return outcome
    }
}
