import Ingest
import Storage

/// Every storage failure of a running daemon, said once per cause: the first occurrence goes to
/// the journal as an error, repeats are counted (and said again at 10, 100, 1 000, … with the
/// count), and a cause that clears says so with its total. `status` shows the count and the
/// latest error, the metrics count them (`ingestd_storage_errors_total`).
final class StorageReport {
    private let logger: EventLogger
    private var counts: [String: Int] = [:]
    /// Storage errors since the daemon started.
    private(set) var total = 0
    /// Called with each new error (the status snapshot keeps the latest).
    var onChange: ((_ total: Int, _ latest: String) -> Void)?

    init(logger: EventLogger) { self.logger = logger }

    /// One failure of `cause` (stable across repeats: the file and the failing step).
    func report(cause: String, _ message: String, fields: [(name: String, value: String)] = []) {
        total += 1
        let n = (counts[cause] ?? 0) + 1
        counts[cause] = n
        onChange?(total, message)
        let decade = n >= 10 && String(n).dropFirst().allSatisfy { $0 == "0" }
        guard n == 1 || decade else { return }
        let text = n == 1 ? "storage error: \(message)" : "storage error (\(n) times so far): \(message)"
        logger.log(text, kind: .storageError, priority: .error,
                   fields: fields + [("STORAGE_CAUSE", cause), ("STORAGE_ERROR_COUNT", String(n))])
    }

    /// `cause` works again: said once, with how many failures it had.
    func cleared(cause: String, fields: [(name: String, value: String)] = []) {
        guard let n = counts.removeValue(forKey: cause) else { return }
        logger.log("storage recovered: \(cause) works again after \(n) error\(n == 1 ? "" : "s")", kind: .storageError,
                   priority: .notice, fields: fields + [("STORAGE_CAUSE", cause), ("STORAGE_ERROR_COUNT", String(n))])
    }

    /// A handler for the file-writing sinks.
    var handler: StorageErrorHandler { { [weak self] cause, message in self?.report(cause: cause, message) } }

    /// Hears every file-writing sink of a daemon, and keeps `status` told: its count and latest
    /// error, and which ended sessions the store really wrote.
    func watch(store: SessionStore, status: StatusWriter) {
        store.onError = handler
        status.onError = handler
        status.store = store
        onChange = { [unowned status] total, latest in status.storageFailed(total: total, latest: latest) }
    }

    /// Reports a strap's session files' write failures too.
    func watch(files: SessionFiles) {
        files.onError = handler
    }
}
