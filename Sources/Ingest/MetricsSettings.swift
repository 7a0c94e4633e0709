/// The `[metrics]` part of the config: Prometheus text files for node_exporter's textfile
/// collector. Off unless a directory is given; the daemon never opens a network port.
public struct MetricsSettings: Sendable, Equatable {
    /// The directory `ingestd.prom` is written to; empty means no metrics.
    public var textfileDirectory = ""
    /// Seconds between writes.
    public var interval = 15.0

    /// The defaults (off).
    public init() {}

    /// Whether metrics are written.
    public var enabled: Bool { !textfileDirectory.isEmpty }
}
