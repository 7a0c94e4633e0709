import HeartRateWire
import Physiology
import Traces

/// What the pipeline tells its sinks: engine events with the strap and session ID attached,
/// and problems with individual notifications.
public enum PipelineEvent: Sendable {
    /// A session was confirmed; `athlete` is who wears the strap (nil when nobody in particular).
    case sessionStarted(id: String, device: DeviceAddress, start: Double, athlete: String?)
    /// The provisional class of a running session changed.
    case classChanged(id: String, device: DeviceAddress, at: Double, from: SessionClass, to: SessionClass,
                      confidence: Double)
    /// A session ended.
    case sessionEnded(SessionRecord)
    /// One notification could not be decoded; the session goes on.
    case badNotification(device: DeviceAddress, time: Double, error: WireError)
}

/// Receives pipeline events. Called on the thread that drives the pipeline.
public protocol PipelineSink: AnyObject {
    /// Handles one event.
    func receive(_ event: PipelineEvent)
}
