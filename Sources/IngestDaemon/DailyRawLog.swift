import HeartRateWire
import Ingest
import Traces

/// One strap's raw log, a file per UTC day (`raw/ADDRESS-YYYYMMDD.wiraw`): every notification
/// is appended before the engine sees it, synced once a second and at stop.
final class DailyRawLog {
    private let address: DeviceAddress
    private let directory: String
    private var writer: RawLogWriter?
    private var day = -1

    init(address: DeviceAddress, directory: String) {
        self.address = address
        self.directory = directory
    }

    /// Appends one notification, opening the day's file when needed; returns an error text for
    /// the journal, if any (a repaired torn tail is reported too).
    func append(_ value: [UInt8], of characteristic: ATTUUID, atMicros micros: Int64,
                monotonic: Double) -> String? {
        let today = Int(micros / 86_400_000_000)
        var repaired: String? = nil
        if day != today || writer == nil {
            writer?.sync()
            let date = ISO8601.format(Double(today) * 86_400).prefix(10).filter { $0 != "-" }
            let file = directory + "/" + address.description.filter { $0 != ":" } + "-" + date + ".wiraw"
            do {
                let w = try RawLogWriter(path: file)
                if let cut = w.repairedTail { repaired = "raw log \(file): \(cut)" }
                writer = w
                day = today
            } catch {
                return "storage error: \(error)"
            }
        }
        do {
            try writer?.append(RawNotification(receiveTimeMicros: micros, monotonicMicros: Int64(monotonic * 1_000_000),
                                               device: address, characteristic: characteristic, value: value))
        } catch {
            return "storage error: \(error)"
        }
        return repaired
    }

    /// Makes the log durable.
    func sync() { writer?.sync() }
}
