import Glibc
import Ingest
import Storage
import SystemCall

/// What one running ingestd holds so a second cannot share its files: an exclusive `flock` on
/// `STATE/ingestd.lock` and, with a control socket, on `SOCKET.lock` beside it (a second daemon
/// used to take the socket over silently and delete it on exit). The kernel drops the locks
/// when the process dies, so a SIGKILLed daemon never blocks its restart.
///
/// Claiming also checks the state directory: it must be a directory owned by this user (or
/// root) and writable by no one else, since a directory others can write lets them plant links
/// at the daemon's file names.
final class InstanceLock {
    private var descriptors: [Int32] = []

    /// Why the daemon may not start here.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    deinit { for fd in descriptors { close(fd) } }

    /// Checks and locks `stateDirectory` and, when given, the control socket's path; creates
    /// the state directory (0700) when missing.
    static func claim(stateDirectory: String, controlSocket: String?) throws(Refused) -> InstanceLock {
        do {
            try AtomicFile.makeDirectories(stateDirectory)
        } catch {
            throw Refused(description: "state directory \(stateDirectory): \(error)")
        }
        var st = stat()
        guard lstat(stateDirectory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw Refused(description: "state directory \(stateDirectory) is not a directory (a symbolic link?)")
        }
        guard st.st_uid == geteuid() || st.st_uid == 0 else {
            throw Refused(description: "state directory \(stateDirectory) belongs to uid \(st.st_uid), not to this user (uid \(geteuid()))")
        }
        guard st.st_mode & 0o022 == 0 else {
            throw Refused(description: "state directory \(stateDirectory) is writable by group or others (mode \(String(st.st_mode & 0o7777, radix: 8))); "
                          + "another user could plant links at its file names: chmod go-w it")
        }
        let lock = InstanceLock()
        try lock.take(stateDirectory + "/ingestd.lock", what: "state directory \(stateDirectory)")
        if let controlSocket { try lock.take(controlSocket + ".lock", what: "control socket \(controlSocket)") }
        return lock
    }

    private func take(_ path: String, what: String) throws(Refused) {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Refused(description: "cannot open the lock file: \(SystemCallError.last("open", on: path))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).filter(\.isNumber) : "?"
            close(fd)
            throw Refused(description: "another ingestd (pid \(holder)) already uses the \(what); not starting a second")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptors.append(fd)
    }
}
