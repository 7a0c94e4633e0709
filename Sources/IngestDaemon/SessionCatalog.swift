import Glibc
import Ingest
import Storage

/// The stored sessions as the control socket's `sessions` answer, kept between requests: each
/// request lists `sessions/` and stats its summaries, decodes only files that are new or
/// changed since the last request, and reuses the rendered answer when nothing changed. Twenty
/// clients asking at once cost twenty directory listings, not twenty decodes of every file.
final class SessionCatalog {
    private let directory: String
    private var entries: [String: (stamp: Stamp, record: SessionRecord?)] = [:]
    private var rendered: String?

    private struct Stamp: Equatable {
        var size: Int
        var seconds: Int
        var nanoseconds: Int
    }

    init(stateDirectory: String) { directory = stateDirectory + "/sessions" }

    /// The JSON array of every readable session, oldest first.
    func json() -> String {
        var seen: Set<String> = []
        var changed = false
        for name in SessionStore.names(in: directory) where name.hasSuffix(".json") {
            var st = stat()
            guard lstat(directory + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let stamp = Stamp(size: Int(st.st_size), seconds: st.st_mtim.tv_sec, nanoseconds: st.st_mtim.tv_nsec)
            seen.insert(name)
            if entries[name]?.stamp == stamp { continue }
            let record = try? JSONLines.decode(SessionRecord.self, from: WholeFile.read(directory + "/" + name, followingSymlinks: false))
            entries[name] = (stamp, record)
            changed = true
        }
        if entries.count != seen.count {
            entries = entries.filter { seen.contains($0.key) }
            changed = true
        }
        if changed || rendered == nil {
            let sessions = entries.values.compactMap(\.record).sorted { ($0.startUnix, $0.id) < ($1.startUnix, $1.id) }
            rendered = JSONLines.line(sessions)
        }
        return rendered ?? "[]"
    }
}
