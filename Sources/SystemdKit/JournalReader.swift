import SystemCall
import CSystemd

/// Reads journal files with sd-journal: a directory of them (a gateway's, or what
/// systemd-journal-remote collected), field matches, entries in time order, fields by name.
public final class JournalReader {
    private var journal: OpaquePointer?

    /// Opens every journal file under `directory` (`sd_journal_open_directory`).
    public init(directory: String) throws(SystemCallError) {
        let r = sd_journal_open_directory(&journal, directory, 0)
        try SystemCallError.check(r, "sd_journal_open_directory(\(directory))")
    }

    deinit { sd_journal_close(journal) }

    /// Keeps only entries with `field=value` (matches on different fields are ANDed).
    public func match(_ field: String, _ value: String) throws(SystemCallError) {
        let text = field + "=" + value
        let r = text.withCString { sd_journal_add_match(journal, $0, 0) }
        try SystemCallError.check(r, "sd_journal_add_match(\(text))")
    }

    /// Starts at the first entry at or after `microseconds` of wall time (Unix epoch).
    public func seek(realtime microseconds: UInt64) throws(SystemCallError) {
        try SystemCallError.check(sd_journal_seek_realtime_usec(journal, microseconds), "sd_journal_seek_realtime_usec")
    }

    /// Moves to the next entry; false at the end.
    public func next() throws(SystemCallError) -> Bool {
        let r = sd_journal_next(journal)
        try SystemCallError.check(r, "sd_journal_next")
        return r > 0
    }

    /// The current entry's value of `field`, if it has one (text; invalid UTF-8 is repaired).
    public func field(_ name: String) -> String? {
        var data: UnsafeRawPointer?
        var length = 0
        let r = name.withCString { sd_journal_get_data(journal, $0, &data, &length) }
        guard r >= 0, let data, length > name.utf8.count else { return nil }
        let bytes = UnsafeRawBufferPointer(start: data, count: length).dropFirst(name.utf8.count + 1)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The current entry's wall time in microseconds since the epoch.
    public var realtime: UInt64 {
        var usec: UInt64 = 0
        _ = sd_journal_get_realtime_usec(journal, &usec)
        return usec
    }

}
