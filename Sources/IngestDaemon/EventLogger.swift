import Ingest
import SystemdKit

/// Writes each event as a structured journal entry when a journald listens, and as a line on
/// standard error unless systemd already routes standard error to the journal — the same words
/// either way.
public final class EventLogger: PipelineSink {
    private let toJournal: Bool
    private let toStandardError: Bool
    /// Journal writes that failed (reported once on stderr).
    public private(set) var journalFailures = 0

    /// Entries emitted (whether or not anything wrote them).
    public private(set) var emitted = 0

    /// A logger that decides from the environment.
    public init() {
        toJournal = Journal.isAvailable
        toStandardError = !Journal.standardErrorIsJournal
    }

    /// A logger that writes nowhere and only counts (the receive-path fuzzer and benchmark).
    public init(silent: Void) {
        toJournal = false
        toStandardError = false
    }

    public func receive(_ event: PipelineEvent) {
        emit(EventMessage(event))
    }

    /// Logs one event message.
    public func emit(_ message: EventMessage) {
        emitted += 1
        if toJournal {
            do {
                try Journal.send(message.journalFields)
            } catch {
                journalFailures += 1
                if journalFailures == 1 { StandardError.write("ingestd: journal write failed: \(error)\n") }
            }
        }
        if toStandardError || (toJournal && journalFailures > 0) {
            StandardError.write("ingestd: \(message.message)\n")
        }
    }

    /// Logs a plain line as an event of `kind` (info priority unless given).
    public func log(_ line: String, kind: EventMessage.Kind,
                    priority: EventMessage.Priority = .info, fields: [(name: String, value: String)] = []) {
        emit(EventMessage(kind: kind, priority: priority, message: line, fields: fields))
    }
}
