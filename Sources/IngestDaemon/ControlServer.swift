import Glibc
import Ingest
import SystemdKit

/// The control socket: a Unix stream socket speaking line-delimited JSON, served from the event
/// loop. One request line per connection, one response line, then the server closes. Peers are
/// checked with SO_PEERCRED: root, the daemon's own user, or members of its group.
public final class ControlServer {
    /// Longest request line accepted.
    public static let maximumRequest = 4096
    /// Connections served at once; the oldest is dropped beyond it (a silent client cannot pin
    /// the daemon's descriptors).
    public static let maximumClients = 16

    public let path: String
    private let fd: Int32
    /// Whether this server made (and so removes) the socket file; not when systemd passed it.
    private let ownsPath: Bool
    private var listener: EventSource?
    private var clients: [Int32: (source: EventSource, buffer: [UInt8], serial: Int)] = [:]
    private var serial = 0
    private var retired: [EventSource] = []
    private let handle: (String) -> String

    /// Binds `path` (replacing a stale socket) with mode 0660; `handle` maps a request line to a
    /// response line (without newlines).
    public init(path: String, handle: @escaping (String) -> String) throws(ControlServerError) {
        self.path = path
        self.handle = handle
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw ControlServerError(path: path, step: "socket", errno: errno) }
        var st = stat()
        if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFSOCK { unlink(path) }
        guard let r = UnixSocketAddress.with(path, { bind(fd, $0, $1) }) else {
            close(fd)
            throw ControlServerError(path: path, step: "bind (path too long)", errno: ENAMETOOLONG)
        }
        guard r == 0 else {
            let e = errno
            close(fd)
            throw ControlServerError(path: path, step: "bind", errno: e)
        }
        chmod(path, 0o660)
        guard listen(fd, 16) == 0 else {
            let e = errno
            close(fd)
            throw ControlServerError(path: path, step: "listen", errno: e)
        }
        self.fd = fd
        ownsPath = true
    }

    /// Serves a listening socket systemd passed (socket activation by `ingestd.socket`).
    public init(listening fd: Int32, path: String, handle: @escaping (String) -> String) {
        self.path = path
        self.handle = handle
        self.fd = fd
        ownsPath = false
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// The control server for `path`: systemd's socket when ingestd was socket-activated,
    /// otherwise a socket bound here.
    public static func make(path: String, handle: @escaping (String) -> String) throws(ControlServerError) -> ControlServer {
        if let passed = SocketActivation.listeningDescriptors().first {
            return ControlServer(listening: passed, path: path, handle: handle)
        }
        return try ControlServer(path: path, handle: handle)
    }

    deinit {
        close(fd)
        if ownsPath { unlink(path) }
    }

    /// Starts serving from `loop`.
    public func attach(to loop: EventLoop) throws(SystemdError) {
        listener = try loop.addReadable(fd: fd) { [unowned self] _ in self.accept(loop) }
    }

    private func accept(_ loop: EventLoop) {
        retired.removeAll()
        while true {
            let client = Glibc.accept(fd, nil, nil)
            guard client >= 0 else { return }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            guard Self.peerAllowed(client) else {
                respond(client, #"{"ok":false,"error":"permission denied: root, the ingestd user or its group only"}"#)
                close(client)
                continue
            }
            if clients.count >= Self.maximumClients,
               let oldest = clients.min(by: { $0.value.serial < $1.value.serial })?.key {
                finish(oldest)
            }
            do {
                let source = try loop.addReadable(fd: client) { [unowned self] _ in self.read(client) }
                serial += 1
                clients[client] = (source, [], serial)
            } catch {
                close(client)
            }
        }
    }

    private func read(_ client: Int32) {
        var chunk = [UInt8](repeating: 0, count: 1024)
        let n = chunk.withUnsafeMutableBytes { Glibc.read(client, $0.baseAddress, 1024) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        guard n > 0 else { return finish(client) }
        clients[client]?.buffer.append(contentsOf: chunk[0..<n])
        guard let buffer = clients[client]?.buffer else { return }
        if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            respond(client, handle(String(decoding: buffer[..<newline], as: UTF8.self)))
            finish(client)
        } else if buffer.count > Self.maximumRequest {
            respond(client, #"{"ok":false,"error":"request longer than 4096 bytes"}"#)
            finish(client)
        }
    }

    private func finish(_ client: Int32) {
        if let c = clients.removeValue(forKey: client) {
            c.source.cancel()
            retired.append(c.source)  // released on the next accept, never inside its own callback
        }
        close(client)
    }

    /// Writes the response; the socket goes blocking with a 1-s send timeout for it.
    private func respond(_ client: Int32, _ line: String) {
        let flags = fcntl(client, F_GETFL)
        _ = fcntl(client, F_SETFL, flags & ~O_NONBLOCK)
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array((line + "\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(client, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// SO_PEERCRED: root, this process's user, or a member of its group (primary, or
    /// supplementary through SO_PEERGROUPS).
    static func peerAllowed(_ client: Int32) -> Bool {
        // struct ucred (glibc hides it behind _GNU_SOURCE): pid, uid, gid.
        struct PeerCredentials { var pid: Int32 = 0; var uid: UInt32 = 0; var gid: UInt32 = 0 }
        var credentials = PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(client, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return false }
        if credentials.uid == 0 || credentials.uid == getuid() || credentials.gid == getgid() { return true }
        return peerGroups(client).contains(getgid())
    }

    /// The peer's supplementary groups (SO_PEERGROUPS, Linux 4.13+), empty when unavailable.
    static func peerGroups(_ client: Int32) -> [gid_t] {
        let soPeerGroups: Int32 = 59  // <asm-generic/socket.h>; not exported by Glibc's module
        var groups = [gid_t](repeating: 0, count: 64)
        var length = socklen_t(groups.count * MemoryLayout<gid_t>.size)
        let r = groups.withUnsafeMutableBytes { getsockopt(client, SOL_SOCKET, soPeerGroups, $0.baseAddress, &length) }
        guard r == 0 else { return [] }
        return Array(groups.prefix(Int(length) / MemoryLayout<gid_t>.size))
    }
}

/// A control-socket setup failure naming the path, the step and errno.
public struct ControlServerError: Error, CustomStringConvertible {
    public var path: String
    public var step: String
    public var errno: Int32
    public var description: String { "control socket \(path): \(step) failed: \(String(cString: strerror(errno)))" }
}
