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
    private var rawLog: RawLogWriter?
    private var rawDay = -1
    private var buffer = [UInt8](repeating: 0, count: 512)

    init(path: String, address: DeviceAddress, name: String?, machine: StrapLinkMachine, pipeline: StrapPipeline) {
        self.path = path
        self.address = address
        self.name = name
        self.machine = machine
        self.pipeline = pipeline
    }

    /// The status line's link details.
    var details: StatusWriter.LinkDetails {
        StatusWriter.LinkDetails(name: name, state: machine.state.name, battery: battery, location: location,
                                 reconnects: machine.reconnects)
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

    /// Appends one raw notification to the strap's log of the (UTC) day, opening the day's file
    /// when needed; returns an error text for the journal, if any.
    func appendRaw(_ value: [UInt8], atMicros micros: Int64, monotonic: Double, directory: String) -> String? {
        let day = Int(micros / 86_400_000_000)
        var repaired: String? = nil
        if rawDay != day || rawLog == nil {
            rawLog?.sync()
            let date = ISO8601.format(Double(day) * 86_400).prefix(10).filter { $0 != "-" }
            let file = directory + "/" + address.description.filter { $0 != ":" } + "-" + date + ".wiraw"
            do {
                let writer = try RawLogWriter(path: file)
                if let cut = writer.repairedTail { repaired = "raw log \(file): \(cut)" }
                rawLog = writer
                rawDay = day
            } catch {
                return "storage error: \(error)"
            }
        }
        do {
            try rawLog?.append(RawNotification(receiveTimeMicros: micros, monotonicMicros: Int64(monotonic * 1_000_000),
                                               device: address, characteristic: .heartRateMeasurement, value: value))
        } catch {
            return "storage error: \(error)"
        }
        return repaired
    }

    /// Makes the raw log durable (once a second, and at stop).
    func syncRaw() { rawLog?.sync() }
}
