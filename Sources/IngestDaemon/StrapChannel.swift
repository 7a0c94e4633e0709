import Ingest
import Traces

/// Where one strap's notifications go, whichever source reads them: its raw log of the day,
/// then its pipeline (engine and sinks). A source keeps one per strap and hands each value to
/// `DaemonShell.receive(_:on:fields:)`.
public final class StrapChannel {
    /// The strap.
    public let address: DeviceAddress
    /// Its engine and sinks.
    public let pipeline: StrapPipeline
    /// Its append-only raw log.
    let rawLog: DailyRawLog

    init(address: DeviceAddress, pipeline: StrapPipeline, rawLog: DailyRawLog) {
        self.address = address
        self.pipeline = pipeline
        self.rawLog = rawLog
    }

    /// Makes the raw log durable (once a second, and at stop).
    public func sync() { rawLog.sync() }
}
