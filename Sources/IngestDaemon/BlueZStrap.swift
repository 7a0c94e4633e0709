import BlueZ
import Glibc
import HeartRateWire
import Ingest
import SystemCall
import SystemdKit
import Traces

/// One adopted strap in the live daemon: its link machine, its pipeline, what is in flight on
/// the bus, its notification stream and its raw log of the day. Owned and driven by
/// `BlueZSource` on the loop thread.
final class BlueZStrap: RadioStrap {
    /// The Device1 object path; it changes when the strap is found again under another adapter.
    var path: String
    let address: DeviceAddress
    var name: String?
    var machine: StrapLinkMachine
    /// Where its notifications go.
    let channel: StrapChannel
    var pipeline: StrapPipeline { channel.pipeline }
    var rawLog: DailyRawLog { channel.rawLog }
    /// Pending bus calls by purpose (a newer call of the same purpose replaces the older).
    var calls: [String: BusSlot] = [:]
    var stream: EventSource?
    /// Fires at the link machine's next deadline.
    var alarm: EventAlarm?
    var fd: Int32 = -1
    var measurementPath: String?
    var batteryPath: String?
    var battery: Int?
    var location: String?
    /// Polar ECG, when `polar_ecg` is on: its state, and the PMD characteristics' paths once
    /// subscribed on this connection.
    var ecg: ECGRecording?
    var ecgControlPath: String?
    var ecgDataPath: String?
    private var buffer = [UInt8](repeating: 0, count: 512)
    /// The value handed on, reused: no allocation per notification while nobody keeps it.
    private var value: [UInt8] = {
        var v = [UInt8]()
        v.reserveCapacity(512)
        return v
    }()

    init(path: String, address: DeviceAddress, name: String?, machine: StrapLinkMachine, channel: StrapChannel) {
        self.path = path
        self.address = address
        self.name = name
        self.machine = machine
        self.channel = channel
    }

    /// The journal fields naming this strap.
    var fields: [(name: String, value: String)] {
        [("DEVICE_ADDRESS", address.description), ("DEVICE_NAME", name ?? ""), ("DEVICE_PATH", path)]
    }

    /// Reads every datagram waiting on the AcquireNotify socket. Returns nil while the stream
    /// lives, or why it ended (EOF with a hang-up; a 0-byte datagram without one is a
    /// notification). The hang-up is asked of the socket at the moment `recv` returns 0, not
    /// taken from `revents`: a link that drops while this loop drains the queue reads as 0 bytes
    /// after the last datagram, and the poll result from before the loop would not show it (a
    /// phantom empty notification in the raw log, 1 link loss in 6).
    func readStream(revents: UInt32, deliver: ([UInt8]) -> Void) -> String? {
        while fd >= 0 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { return nil }
                return SystemCallError.last("recv", on: "notification socket").description
            }
            if n == 0 && (revents & EventLoop.hangUp != 0 || hungUp()) { return "notification stream ended (EOF)" }
            value.removeAll(keepingCapacity: true)
            value.append(contentsOf: buffer[0..<n])
            deliver(value)
            if n == 0 { return nil }
        }
        return nil
    }

    /// Whether the peer has closed the notification socket now (`poll` with no wait).
    private func hungUp() -> Bool {
        let rdHangUp: Int16 = 0x2000  // POLLRDHUP (<poll.h>, _GNU_SOURCE: not exported by Glibc's module)
        var p = pollfd(fd: fd, events: Int16(POLLIN) | rdHangUp, revents: 0)
        guard poll(&p, 1, 0) == 1 else { return false }
        return p.revents & (Int16(POLLHUP) | rdHangUp) != 0
    }

    /// Closes the notification stream, if any.
    func closeStream() {
        stream?.cancel()
        stream = nil
        if fd >= 0 { close(fd) }
        fd = -1
    }
}
