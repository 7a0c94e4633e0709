import Glibc
import Ingest
import SystemCall

/// A JSON state file under the state directory (`weekly.json`, `athletes.json`): read only when
/// it is a regular file, and when it cannot be decoded reported and, for the daemon, kept as
/// `.corrupt` — never silently dropped.
enum StateFile {
    /// The decoded file, nil when there is none or it cannot be used; `what` names it in
    /// `problems` ("weekly state"); `keepingAside` copies an unreadable file to `.corrupt`.
    static func load<T: Decodable>(_ type: T.Type, path: String, what: String, keepingAside: Bool,
                                   problems: inout [String]) -> T? {
        var st = stat()
        if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
            // A link (or anything else) planted there is not our state: neither read nor copied.
            problems.append("\(path): not a regular file (a symbolic link?); ignored, starting afresh")
            return nil
        }
        guard let bytes = try? WholeFile.read(path, followingSymlinks: false) else { return nil }
        do {
            return try JSONLines.decode(T.self, from: bytes)
        } catch {
            guard keepingAside else {
                problems.append("\(path): unreadable \(what) (\(error))")
                return nil
            }
            problems.append("\(path): unreadable \(what) (\(error)); kept as \(path).corrupt, starting afresh")
            _ = try? AtomicFile.write(bytes, to: path + ".corrupt")
            return nil
        }
    }
}
