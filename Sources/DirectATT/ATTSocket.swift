import CBluetooth
import Glibc
import SystemCall
import SystemPackage

/// A non-blocking SOCK_SEQPACKET socket carrying ATT PDUs, one per packet: an LE L2CAP
/// connection on the ATT fixed channel (CID 4) to a strap, or — for tests and simulation — an
/// AF_UNIX connection to an ATT server that stands in for one. The caller watches `fd` for
/// input and asks `finishConnect()` once the loop reports the socket writable.
public final class ATTSocket {
    /// Why a socket could not be made, connected or used: the call, the peer (the error's
    /// subject) and the errno, with a hint for the errnos a gateway meets.
    static func failure(_ call: String, _ peer: String, _ code: Int32) -> SystemCallError {
        let hint = code == EAFNOSUPPORT ? " (this kernel has no Bluetooth sockets)" : code == ENODEV ? " (no such adapter)" : ""
        return SystemCallError(call, on: peer, errno: Errno(rawValue: code), hint: hint)
    }

    /// The socket.
    public private(set) var fd: Int32
    /// What the socket is connected to, for messages.
    public let peer: String
    private var buffer = [UInt8](repeating: 0, count: 1024)
    private var pdu: [UInt8] = []

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
        pdu.reserveCapacity(buffer.count)
    }

    deinit { close() }

    /// Starts an LE connection to `address` (public or random) on the ATT channel, from
    /// `adapter` (`hci1`), or from any adapter when it is empty (BDADDR_ANY: the kernel picks
    /// the first that is up).
    public static func l2cap(to address: String, random: Bool, adapter: String = "") throws(SystemCallError) -> ATTSocket {
        var source = bdaddr_t()  // BDADDR_ANY
        if !adapter.isEmpty {
            guard adapter.hasPrefix("hci"), let index = Int32(adapter.dropFirst(3)) else {
                throw Self.failure("adapter name \"\(adapter)\" is not hciN", address, EINVAL)
            }
            // hci_devba asks the kernel for the adapter's address (HCIGETDEVINFO on an HCI socket).
            guard hci_devba(index, &source) == 0 else {
                throw Self.failure("address of adapter \(adapter) (hci_devba)", address, errno)
            }
        }
        let fd = socket(AF_BLUETOOTH, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), BTPROTO_L2CAP)
        guard fd >= 0 else { throw Self.failure("socket(AF_BLUETOOTH, BTPROTO_L2CAP)", address, errno) }
        let s = ATTSocket(fd: fd, peer: address)
        var local = sockaddr_l2()
        local.l2_family = sa_family_t(AF_BLUETOOTH)
        local.l2_cid = UInt16(4).littleEndian
        local.l2_bdaddr_type = UInt8(BDADDR_LE_PUBLIC)
        local.l2_bdaddr = source
        guard withUnsafePointer(to: &local, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_l2>.size)) } }) == 0 else {
            throw Self.failure("bind(CID 4)", address, errno)
        }
        var remote = sockaddr_l2()
        remote.l2_family = sa_family_t(AF_BLUETOOTH)
        remote.l2_cid = UInt16(4).littleEndian
        remote.l2_bdaddr_type = UInt8(random ? BDADDR_LE_RANDOM : BDADDR_LE_PUBLIC)
        guard str2ba(address, &remote.l2_bdaddr) == 0 else { throw Self.failure("str2ba", address, EINVAL) }
        let r = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_l2>.size)) } }
        guard r == 0 || errno == EINPROGRESS else { throw Self.failure("connect", address, errno) }
        return s
    }

    /// Connects to an ATT server listening on the AF_UNIX SOCK_SEQPACKET socket at `path`.
    public static func unix(path: String, peer: String) throws(SystemCallError) -> ATTSocket {
        let fd = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Self.failure("socket(AF_UNIX)", peer, errno) }
        let s = ATTSocket(fd: fd, peer: peer)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Self.failure("socket path too long", path, ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let r = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard r == 0 || errno == EINPROGRESS else { throw Self.failure("connect(\(path))", peer, errno) }
        return s
    }

    /// The outcome of the pending connect, asked once the loop says the socket is writable:
    /// returns when connected, throws why not.
    public func finishConnect() throws(SystemCallError) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { throw Self.failure("connect", peer, error) }
    }

    /// Sends one PDU.
    public func send(_ pdu: [UInt8]) throws(SystemCallError) {
        let n = pdu.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard n == pdu.count else { throw Self.failure("send", peer, n < 0 ? errno : EMSGSIZE) }
    }

    /// Hands each PDU waiting to `deliver`, in order, in one reused array (valid only during the
    /// call: nothing is allocated per PDU); returns why the link closed when the peer has gone
    /// (EOF or an error), nil when the queue is empty.
    public func receive(_ deliver: ([UInt8]) -> Void) -> SystemCallError? {
        while fd >= 0 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { return nil }
                return .last("recv", on: peer)
            }
            if n == 0 { return Self.failure("recv", peer, ECONNRESET) }
            pdu.removeAll(keepingCapacity: true)
            pdu.append(contentsOf: buffer[0..<n])
            deliver(pdu)
        }
        return nil
    }

    /// Closes the socket (safe twice).
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}
