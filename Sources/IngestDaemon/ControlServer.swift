import SystemCall
import Glibc
import Ingest
import SystemdKit

/// The control socket: a Unix stream socket speaking line-delimited JSON, served from the event
/// loop. One request line per connection, one response line, then the server closes. Peers are
/// checked with SO_PEERCRED: root, the daemon's own user, or members of its group.
///
/// Nothing a client does can hold the loop: reads and writes never block, a reply the client
/// does not read yet waits in that client's own buffer (at most `maximumResponse` bytes) and
/// goes out as the socket drains, and every connection is closed `deadline` seconds after it
/// was accepted, finished or not.
public final class ControlServer {
    /// Longest request line accepted.
    public static let maximumRequest = 4096
    /// Longest reply kept for a client; a longer one is answered with an error instead.
    public static let maximumResponse = 16 << 20
    /// Connections served at once; the oldest is dropped beyond it (a silent client cannot pin
    /// the daemon's descriptors).
    public static let maximumClients = 16
    /// Seconds a connection may live, from accept to the last byte of its reply.
    public static let deadline = 10.0

    public let path: String
    private let fd: Int32
    /// Whether this server made (and so removes) the socket file; not when systemd passed it.
    private let ownsPath: Bool
    private var listener: EventSource?
    private var clients: [Int32: Client] = [:]
    private var serial = 0
    private var retired: [Client] = []
    private let handle: (String) -> String

    /// Binds `path` (replacing a stale socket) with mode 0660; `handle` maps a request line to a
    /// response line (without newlines).
    public init(path: String, handle: @escaping (String) -> String) throws(SystemCallError) {
        self.path = path
        self.handle = handle
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .last("socket", on: "control socket \(path)") }
        var st = stat()
        if lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFSOCK { unlink(path) }
        guard let r = UnixSocketAddress.with(path, { bind(fd, $0, $1) }) else {
            close(fd)
            throw SystemCallError("bind", on: "control socket \(path)", errno: .fileNameTooLong, detail: "path too long")
        }
        guard r == 0 else {
            let failure = SystemCallError.last("bind", on: "control socket \(path)")
            close(fd)
            throw failure
        }
        chmod(path, 0o660)
        guard listen(fd, 16) == 0 else {
            let failure = SystemCallError.last("listen", on: "control socket \(path)")
            close(fd)
            throw failure
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
    public static func make(path: String, handle: @escaping (String) -> String) throws(SystemCallError) -> ControlServer {
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
    public func attach(to loop: EventLoop) throws(SystemCallError) {
        listener = try loop.addReadable(fd: fd) { [unowned self] _ in self.accept(loop) }
    }

    /// One connection: what it sent so far, the reply waiting for it, and its sources.
    private final class Client {
        let fd: Int32
        let serial: Int
        var input: [UInt8] = []
        var output: [UInt8] = []
        var sent = 0
        var reader: EventSource?
        var writer: EventSource?
        var deadline: EventSource?
        init(fd: Int32, serial: Int) {
            self.fd = fd
            self.serial = serial
        }
        func cancel() {
            reader?.cancel()
            writer?.cancel()
            deadline?.cancel()
        }
    }

    private func accept(_ loop: EventLoop) {
        retired.removeAll()
        while true {
            let fd = Glibc.accept(self.fd, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            guard Self.peerAllowed(fd) else {
                // A few bytes into an empty socket buffer: a non-blocking send always takes them.
                let line = Array(#"{"ok":false,"error":"permission denied: root, the ingestd user or its group only"}"#.utf8) + [10]
                _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                close(fd)
                continue
            }
            if clients.count >= Self.maximumClients, let oldest = clients.values.min(by: { $0.serial < $1.serial }) {
                finish(oldest)
            }
            serial += 1
            let client = Client(fd: fd, serial: serial)
            do {
                client.reader = try loop.addReadable(fd: fd) { [unowned self, unowned client] _ in self.read(client, loop) }
                client.deadline = try loop.addDeadline(after: Self.deadline) { [unowned self, unowned client] in self.finish(client) }
                clients[fd] = client
            } catch {
                client.cancel()
                close(fd)
            }
        }
    }

    private func read(_ client: Client, _ loop: EventLoop) {
        var chunk = [UInt8](repeating: 0, count: 1024)
        let n = chunk.withUnsafeMutableBytes { Glibc.recv(client.fd, $0.baseAddress, 1024, Int32(MSG_DONTWAIT)) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        guard n > 0 else { return finish(client) }
        client.input.append(contentsOf: chunk[0..<n])
        if let newline = client.input.firstIndex(of: UInt8(ascii: "\n")) {
            var reply = handle(String(decoding: client.input[..<newline], as: UTF8.self))
            if reply.utf8.count > Self.maximumResponse {
                reply = #"{"ok":false,"error":"the answer is longer than the control socket sends (16 MiB)"}"#
            }
            respond(client, reply, loop)
        } else if client.input.count > Self.maximumRequest {
            respond(client, #"{"ok":false,"error":"request longer than 4096 bytes"}"#, loop)
        }
    }

    /// Queues the reply and sends what the socket takes now; the rest goes as it drains.
    private func respond(_ client: Client, _ line: String, _ loop: EventLoop) {
        client.reader?.cancel()
        client.output = Array(line.utf8) + [UInt8(ascii: "\n")]
        client.sent = 0
        guard !flush(client) else { return finish(client) }
        do {
            client.writer = try loop.addWritable(fd: client.fd) { [unowned self, unowned client] _ in
                if self.flush(client) { self.finish(client) }
            }
        } catch {
            finish(client)
        }
    }

    /// Sends without blocking; true when the reply is out or the client has gone.
    private func flush(_ client: Client) -> Bool {
        while client.sent < client.output.count {
            let n = client.output.withUnsafeBytes {
                send(client.fd, $0.baseAddress! + client.sent, client.output.count - client.sent, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if n < 0 {
                if errno == EINTR { continue }
                return errno != EAGAIN  // EAGAIN: wait for EPOLLOUT; anything else: the client is gone
            }
            client.sent += n
        }
        return true
    }

    private func finish(_ client: Client) {
        guard clients.removeValue(forKey: client.fd) != nil else { return }
        client.cancel()
        retired.append(client)  // released on the next accept, never inside its own callback
        close(client.fd)
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
        // Start at 64 groups; ERANGE says how many bytes the peer's list needs (up to
        // NGROUPS_MAX, 65 536), so a member of many groups is not refused for it.
        var count = 64
        while true {
            var groups = [gid_t](repeating: 0, count: count)
            var length = socklen_t(count * MemoryLayout<gid_t>.size)
            let r = groups.withUnsafeMutableBytes { getsockopt(client, SOL_SOCKET, soPeerGroups, $0.baseAddress, &length) }
            if r == 0 { return Array(groups.prefix(Int(length) / MemoryLayout<gid_t>.size)) }
            let needed = Int(length) / MemoryLayout<gid_t>.size
            guard errno == ERANGE, needed > count, needed <= 65_536 else { return [] }
            count = needed
        }
    }
}
