import Foundation
import Glibc
import SystemCall
import SystemPackage

/// `ingestctl`'s side of the control socket: one request line, one answer line.
public enum ControlClient {
    /// The default socket path (systemd's RuntimeDirectory=ingestd).
    public static let defaultPath = "/run/ingestd/control"

    /// Why a request could not be answered.
    public enum Failure: Error, CustomStringConvertible {
        /// Nothing listens there: the daemon is not running (or runs without a socket).
        case notRunning(String)
        /// The daemon answered with an error.
        case refused(String)
        /// The exchange failed midway.
        case broken(String)
        /// The daemon accepted but did not answer in time (hung, or overloaded).
        case timedOut(String)

        public var description: String {
            switch self {
            case .notRunning(let s), .refused(let s), .broken(let s), .timedOut(let s): s
            }
        }
    }

    /// Seconds `request` waits for the answer by default.
    public static let defaultTimeout = 5.0

    /// Sends `request` (a JSON object) and returns the answer's `result` as JSON bytes; waits at
    /// most `timeout` seconds for the answer.
    public static func request(_ request: [String: String], socketPath: String,
                               timeout seconds: Double = defaultTimeout) throws(Failure) -> Data {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .broken(SystemCallError.last("socket").description) }
        defer { close(fd) }
        guard let r = UnixSocketAddress.with(socketPath, { connect(fd, $0, $1) }) else { throw .broken("socket path too long") }
        guard r == 0 else {
            let e = errno
            if e == ENOENT || e == ECONNREFUSED {
                throw .notRunning("ingestd is not running (nothing listens on \(socketPath))")
            }
            throw .broken(SystemCallError("connect", on: socketPath, errno: Errno(rawValue: e)).description)
        }
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let line = (try? JSONSerialization.data(withJSONObject: request)) ?? Data()
        let out = [UInt8](line) + [UInt8(ascii: "\n")]
        // A refused peer is answered and closed at once, maybe before the request is sent: then
        // read the answer anyway, it says why.
        let sent = out.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let sendError = sent == out.count ? nil : SystemCallError.last("send").reason
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw .timedOut("ingestd did not answer on \(socketPath) within \(seconds) s (hung or overloaded?)")
            }
            if n <= 0 { break }
            answer += chunk[0..<n]
            if answer.last == UInt8(ascii: "\n") { break }
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any] else {
            throw .broken(sendError.map { "send failed: \($0)" } ?? "unreadable answer from ingestd")
        }
        guard object["ok"] as? Bool == true, let result = object["result"] else {
            throw .refused(object["error"] as? String ?? "ingestd refused the request")
        }
        return (try? JSONSerialization.data(withJSONObject: result, options: [.fragmentsAllowed])) ?? Data()
    }
}
