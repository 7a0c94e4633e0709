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

    /// Reads `reader` to the end through `pipeline`, then ends any open session; `damage` gets
    /// each stretch the reader skipped or cut (named by file and offset) at the end.
    public static func run(_ reader: inout some TraceReader, into pipeline: StrapPipeline,
                           damage: (String) -> Void = { _ in }) -> Outcome {
        let stepper = TraceStepper(reader, into: pipeline)
        while stepper.outcome == nil { stepper.step(limit: .max) }
        stepper.damage.forEach(damage)
        return stepper.outcome ?? .completed
    }

    /// Reads `reader` to the end with one pipeline per strap (see `TraceStepper`), made by
    /// `pipelineFor`; returns how it ended and the pipelines in the order their straps appeared.
    public static func run(_ reader: inout some TraceReader, device: DeviceAddress,
                           pipelineFor: @escaping (DeviceAddress) -> StrapPipeline,
                           damage: (String) -> Void = { _ in }) -> (outcome: Outcome, pipelines: [StrapPipeline]) {
        let stepper = TraceStepper(reader, device: device, pipelineFor: pipelineFor)
        while stepper.outcome == nil { stepper.step(limit: .max) }
        stepper.damage.forEach(damage)
        return (stepper.outcome ?? .completed, stepper.pipelines)
    }
}
