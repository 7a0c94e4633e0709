import HeartRateWire
import Ingest
import Storage
import Traces

/// One strap's raw log, a file per UTC day (`raw/ADDRESS-YYYYMMDD.wiraw`): every notification
/// is appended before the engine sees it, synced once a second and at stop. Failures go to the
/// daemon's `StorageReport` (once per cause); a file that cannot be opened is tried again at
/// most every `retrySeconds`, not on every notification.
final class DailyRawLog {
    private let address: DeviceAddress
    private let directory: String
    private let report: StorageReport
    private var writer: RawLogWriter?
    private var day = -1
    private var nextAttempt = Int64.min
    private var failing: String?
    private var tooLong = 0
    /// Seconds between attempts to open a log that failed to open.
    static let retrySeconds: Int64 = 5

    init(address: DeviceAddress, directory: String, report: StorageReport) {
        self.address = address
        self.directory = directory
        self.report = report
    }

    /// The file of the UTC day `day` (days since 1970).
    func path(day: Int) -> String { directory + "/" + Self.fileName(address: address, day: day) }

    /// `AABBCCDDEEFF-YYYYMMDD.wiraw`: the strap and the UTC day (days since 1970).
    static func fileName(address: DeviceAddress, day: Int) -> String {
        let date = ISO8601.format(Double(day) * 86_400).prefix(10).filter { $0 != "-" }
        return address.description.filter { $0 != ":" } + "-" + date + ".wiraw"
    }

    /// The strap and day of a `fileName(address:day:)`, nil for any other name.
    static func strapAndDay(fileName name: String) -> (DeviceAddress, Int)? {
        let parts = name.dropLast(6).split(separator: "-")
        guard name.hasSuffix(".wiraw"), parts.count == 2, parts[0].count == 12, parts[1].count == 8 else { return nil }
        let d = Array(parts[1])
        let date = String(d[0..<4]) + "-" + String(d[4..<6]) + "-" + String(d[6..<8]) + "T00:00:00Z"
        guard let midnight = ISO8601.parse(date) else { return nil }
        let hex = Array(parts[0])
        let pairs = stride(from: 0, to: 12, by: 2).map { String(hex[$0..<($0 + 2)]) }
        guard let address = DeviceAddress(pairs.joined(separator: ":")) else { return nil }
        let day = Int(midnight / 86_400)
        return fileName(address: address, day: day) == name ? (address, day) : nil
    }

    /// Appends one notification, opening the day's file when needed; problems (and a repaired
    /// tail or skipped damage found when opening) are reported with `fields`, built only then.
    func append(_ value: [UInt8], of characteristic: ATTUUID, atMicros micros: Int64, monotonic: Double,
                logger: EventLogger, fields: () -> [(name: String, value: String)]) {
        guard value.count <= RawLogFormat.maximumValueLength else {
            // No ATT link carries more than 512 bytes: a lying strap, not a storage problem.
            tooLong += 1
            if tooLong == 1 || tooLong % 1000 == 0 {
                logger.log("strap \(address): a value of \(value.count) bytes is longer than any attribute (512); not logged "
                           + "(\(tooLong) so far)", kind: .badNotification, priority: .warning, fields: fields())
            }
            return
        }
        let today = Int(micros / 86_400_000_000)
        if day != today || writer == nil {
            guard day != today || micros >= nextAttempt else { return }
            writer?.sync()
            writer = nil
            day = today
            let file = path(day: today)
            do {
                let w = try RawLogWriter(path: file)
                if let cut = w.repairedTail {
                    logger.log("raw log \(file): \(cut)", kind: .storageError, priority: .warning, fields: fields())
                }
                for skipped in w.skippedDamage {
                    logger.log("raw log \(file): \(skipped) (kept in place; readers skip it)", kind: .storageError,
                               priority: .warning, fields: fields())
                }
                writer = w
            } catch {
                nextAttempt = micros + Self.retrySeconds * 1_000_000
                fail(cause: "raw log \(file): cannot open", "\(error)", fields: fields())
                return
            }
        }
        do {
            try writer?.append(RawNotification(receiveTimeMicros: micros, monotonicMicros: Int64(monotonic * 1_000_000),
                                               device: address, characteristic: characteristic, value: value))
            if let cause = failing {
                report.cleared(cause: cause, fields: fields())
                failing = nil
            }
        } catch {
            fail(cause: "raw log \(path(day: today)): \(error.cause)", "\(error)", fields: fields())
        }
    }

    private func fail(cause: String, _ message: String, fields: [(name: String, value: String)]) {
        failing = cause
        report.report(cause: cause, message, fields: fields)
    }

    /// Makes the log durable.
    func sync() { writer?.sync() }
}
