import Glibc
import Ingest
import Storage
import Physiology
import SystemdKit
import Traces

/// `ingestd --replay FILE`: a recording stands in for a strap, through the same shell,
/// pipeline and sinks as a live one. Time comes from the trace; `speed` only sets how fast it is
/// fed (`max`: as fast as the machine goes, a batch per loop iteration so the loop stays
/// responsive).
public final class ReplaySource: DaemonSource {
    /// Replay pacing.
    public enum Speed: Sendable, Equatable, CustomStringConvertible {
        /// As fast as the machine goes.
        case maximum
        /// `factor` × real time (1 = as recorded).
        case factor(Double)

        /// Parses `max` or a positive number.
        public init?(_ text: String) {
            if text == "max" {
                self = .maximum
            } else if let v = Double(text), v.isFinite, v > 0 {
                self = .factor(v)
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .maximum: "max"
            case .factor(let f): f == f.rounded() ? String(Int(f)) : String(f)
            }
        }
    }

    /// The file to replay.
    public let path: String
    /// Pacing.
    public let pacing: Speed
    /// Keep running (serving the control socket) after the trace ends, until SIGTERM.
    public let keepRunning: Bool
    /// The strap a recording without addresses (CSV, FIT) came from (`--device`).
    public let device: DeviceAddress
    private var shell: DaemonShell!
    private var stepper: TraceStepper!

    /// A replay of `path` at `speed`; samples without an address of their own are `device`'s.
    public init(path: String, speed: Speed, keepRunning: Bool = false, device: DeviceAddress = .replay) {
        self.path = path
        self.pacing = speed
        self.keepRunning = keepRunning
        self.device = device
    }

    public var description: String { path }
    public var mode: String { "replay" }
    public var speed: String? { pacing.description }
    public var recordsRawLogs: Bool { false }
    public var storageErrorsFail: Bool { true }
    public var reloadAppliesTo: String { "the next session" }
    public var progress: String { " after \(stepper?.samples ?? 0) samples" }

    /// Events fed per loop iteration at `--speed max`, so the loop stays responsive.
    static let batch = 2000

    public func start(in shell: DaemonShell) throws -> DaemonStart? {
        self.shell = shell
        let opened: (format: TraceFormat, reader: any TraceReader)
        do {
            opened = try TraceFile.open(path)
        } catch {
            shell.logger.log("cannot replay: \(error)", kind: .daemonStopped, priority: .error)
            shell.status.set(state: "failed", error: error.description)
            return nil
        }
        // One pipeline per strap in the recording, each watched by the status as it appears.
        stepper = TraceStepper(opened.reader, device: device) { [unowned shell] address in
            let pipeline = shell.pipeline(for: address)
            shell.status.watch(pipeline)
            return pipeline
        }
        let stepper = stepper!
        var firstTraceTime: Double? = nil
        var wallStart = 0.0
        // 1 µs accuracy: sd-event's default (250 ms) would make `max` wait, not work.
        try shell.loop.addTimer(after: 0, accuracy: 0.000_001) { [unowned self] in
            guard stepper.outcome == nil else { return nil }
            switch pacing {
            case .maximum:
                shell.timed({ stepper.samples }) { stepper.step(limit: Self.batch) }
                shell.status.write()
                if stepper.outcome != nil { ended(); return nil }
                return 0
            case .factor(let f):
                let now = WallClock.monotonic()
                if firstTraceTime == nil {
                    firstTraceTime = stepper.nextTime()
                    wallStart = now
                }
                var due = (firstTraceTime ?? 0) + (now - wallStart) * f
                // A gap longer than the end-of-session gap ends the session whatever its
                // length: it is skipped, not waited out (a jump of years must not stall).
                if let next = stepper.nextTime(), next - due > shell.configuration.engine.endGapSeconds {
                    firstTraceTime = (firstTraceTime ?? 0) + (next - due)
                    due = next
                }
                shell.timed({ stepper.samples }) { stepper.step(limit: Self.batch, until: due) }
                shell.status.write()
                if stepper.outcome != nil { ended(); return nil }
                guard let next = stepper.nextTime(), let t0 = firstTraceTime else { return 0 }
                return min(max((next - t0) / f - (now - wallStart), 0), 0.25)
            }
        }
        return DaemonStart(readyStatus: "replaying \(path)",
                           message: "replaying \(path) (\(opened.format.rawValue)) at speed \(pacing)",
                           fields: [("REPLAY_FILE", path), ("REPLAY_SPEED", pacing.description)])
    }

    /// The trace ended (or its data went bad): say so, and exit unless asked to keep running.
    private func ended() {
        let logger = shell.logger
        for damage in stepper.damage {
            logger.log("damaged recording, skipped: \(damage)", kind: .storageError, priority: .warning)
        }
        var code = shell.cleanExitCode
        let written = shell.sessionsWritten
        switch stepper.outcome {
        case .completed?:
            let samples = stepper.samples
            let straps = stepper.pipelines.count == 1 ? "" : " from \(stepper.pipelines.count) straps"
            logger.log("replay finished: \(samples) samples\(straps), \(written) sessions", kind: .daemonStopped,
                       fields: [("SAMPLES", String(samples)), ("STRAPS", String(stepper.pipelines.count)), ("SESSIONS", String(written))])
            shell.status.set(state: "finished")
        case .failed(let error)?:
            logger.log("bad data, replay stopped: \(error)", kind: .daemonStopped, priority: .error)
            shell.status.set(state: "failed", error: error.description)
            code = 1
        case .interrupted?, nil:
            break
        }
        shell.writeFinalMetrics()
        shell.notifier.status("replay of \(path) ended; \(written) sessions")
        if !keepRunning {
            shell.notifier.stopping()
            shell.loop.exit(code: code)
        }
    }

    public var failed: Bool {
        if case .failed? = stepper?.outcome { return true }
        return false
    }

    public func finish() -> Bool {
        guard stepper?.outcome == nil else { return false }
        stepper?.interrupt()
        return true
    }
}
