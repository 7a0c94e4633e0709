import Ingest

/// What feeds a `DaemonShell`: BlueZ straps (`BlueZSource`), direct ATT straps
/// (`DirectATTSource`) or a recorded trace (`ReplaySource`). The shell owns the loop, signals,
/// reload, watchdog, status, control socket, sinks and storage; a source only adds its own fds
/// and timers to the shell's loop and hands each notification to `DaemonShell.receive` (live)
/// or feeds its pipeline (replay). One direction: fd → source → shell → pipeline.
public protocol DaemonSource: AnyObject {
    /// How status and the journal describe what is read ("BlueZ (org.bluez …)", a file path).
    var description: String { get }
    /// `live` or `replay` (status.json's `mode`).
    var mode: String { get }
    /// The replay pacing, nil for live straps.
    var speed: String? { get }
    /// Live sources write a raw log per strap; the shell then resumes open sessions from those
    /// logs at start and syncs them once a second.
    var recordsRawLogs: Bool { get }
    /// Storage errors make the exit code 1 (a replay is a batch job; a live daemon stopped by
    /// SIGTERM exits 0 and says in the journal what was not saved).
    var storageErrorsFail: Bool { get }
    /// The source met bad data and stopped: the exit code is 1.
    var failed: Bool { get }
    /// What a SIGHUP reload applies to, for the journal.
    var reloadAppliesTo: String { get }

    /// Checks made before anything is opened; an exit code (with the reason logged) refuses to
    /// start. Default: none.
    func refusal(configuration: IngestConfiguration, logger: EventLogger) -> Int32?
    /// Adds the source's fds and timers to `shell.loop`; returns how to announce the start, or
    /// nil when it cannot start (it has logged why and set the status).
    func start(in shell: DaemonShell) throws -> DaemonStart?
    /// A SIGHUP applied a new configuration (`shell.configuration`).
    func reloaded()
    /// Ends every open session (at stop). Returns false when nothing was running any more (a
    /// replay that already finished), so the shell leaves the final state as it was.
    func finish() -> Bool
    /// Makes the raw logs durable (once a second, and at stop).
    func sync()
    /// Appended to "stopped by signal" in the journal (a replay says how far it got).
    var progress: String { get }
}

extension DaemonSource {
    public func refusal(configuration: IngestConfiguration, logger: EventLogger) -> Int32? { nil }
    public func reloaded() {}
    public func sync() {}
    public var progress: String { "" }
    public var storageErrorsFail: Bool { false }
    public var failed: Bool { false }
}

/// How a started source is announced: the notify STATUS=, the journal message and its fields.
public struct DaemonStart {
    public var readyStatus: String
    public var message: String
    public var fields: [(name: String, value: String)]

    public init(readyStatus: String, message: String, fields: [(name: String, value: String)] = []) {
        self.readyStatus = readyStatus
        self.message = message
        self.fields = fields
    }
}
