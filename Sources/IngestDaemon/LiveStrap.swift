import BlueZ
import Glibc
import HeartRateWire
import Ingest
import SystemdKit
import Traces

/// One adopted strap in the live daemon: its link machine, its pipeline, what is in flight on
/// the bus, its notification stream and its raw log of the day. Owned and driven by
/// `LiveDaemon` on the loop thread.
final class LiveStrap {
    /// The Device1 object path; it changes when the strap is found again under another adapter.
    var path: String
    let address: DeviceAddress
    var name: String?
    var machine: StrapLinkMachine
    let pipeline: StrapPipeline
    /// Pending bus calls by purpose (a newer call of the same purpose replaces the older).
    var calls: [String: BusSlot] = [:]
    var stream: EventSource?
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
    let rawLog: DailyRawLog
    private var buffer = [UInt8](repeating: 0, count: 512)

    init(path: String, address: DeviceAddress, name: String?, machine: StrapLinkMachine, pipeline: StrapPipeline,
         rawDirectory: String) {
        self.path = path
        rawLog = DailyRawLog(address: address, directory: rawDirectory)
        self.address = address
        self.name = name
        self.machine = machine
        self.pipeline = pipeline
    }

    /// The status line's link details.
    var details: StatusWriter.LinkDetails {
        StatusWriter.LinkDetails(name: name, state: machine.state.name, battery: battery, location: location,
                                 reconnects: machine.reconnects, ecg: ecg?.state, ecgSamples: ecg?.samples)
    }

    /// The journal fields naming this strap.
    var fields: [(name: String, value: String)] {
        [("DEVICE_ADDRESS", address.description), ("DEVICE_NAME", name ?? ""), ("DEVICE_PATH", path)]
    }

    /// Reads every datagram waiting on the AcquireNotify socket. Returns nil while the stream
    /// lives, or why it ended (EOF with POLLHUP; a 0-byte datagram without it is a notification).
    func readStream(revents: UInt32, deliver: ([UInt8]) -> Void) -> String? {
        while fd >= 0 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { return nil }
                return "notification socket: \(String(cString: strerror(errno)))"
            }
            if n == 0 && revents & EventLoop.hangUp != 0 { return "notification stream ended (EOF)" }
            deliver(Array(buffer[0..<n]))
            if n == 0 { return nil }
        }
        return nil
    }

    /// Closes the notification stream, if any.
    func closeStream() {
        stream?.cancel()
        stream = nil
        if fd >= 0 { close(fd) }
        fd = -1
    }

    /// Makes the raw log durable (once a second, and at stop).
    func syncRaw() { rawLog.sync() }
}
