import Ingest
import Traces

/// One daemon event in the words and fields of its journal entry. The MESSAGE_ID per kind is
/// stable; `systemd/ingestd.catalog` explains each.
public struct EventMessage: Sendable {
    /// Event kinds with their stable MESSAGE_IDs; `systemd/ingestd.catalog` has one entry for
    /// each (a test checks both ways). No kind is a default: each message says what it is.
    public enum Kind: String, CaseIterable, Sendable {
        case daemonStarted = "daemon-started"
        case daemonStopped = "daemon-stopped"
        case sessionStarted = "session-started"
        case classChanged = "class-changed"
        case sessionEnded = "session-ended"
        case badNotification = "bad-notification"
        case storageError = "storage-error"
        case configError = "config-error"
        /// The configuration was re-read (SIGHUP).
        case configReloaded = "config-reloaded"
        /// The Bluetooth adapter: chosen, powered, vanished, scanning started or stopped.
        case adapter = "adapter"
        /// bluetoothd (org.bluez) left or came back to the system bus.
        case bluetoothd = "bluetoothd"
        case strapFound = "strap-found"
        case strapConnected = "strap-connected"
        case strapLost = "strap-lost"
        case strapState = "strap-state"
        /// A strap assignment, a reload of the athletes, or a learned heart rate.
        case athlete = "athlete"

        /// The INGESTD_EVENT field.
        public var name: String { rawValue }

        /// The MESSAGE_ID (stable: never change one).
        public var messageID: String {
            switch self {
            case .daemonStarted: "bea899ffb2b44f27be74f4b877ee39d8"
            case .daemonStopped: "7bd338f3652d4bad8015d15eb3d3f7bc"
            case .sessionStarted: "8e718c6e26de4e9dbf307d9ddeb6d415"
            case .classChanged: "9e13120b864445679bbd32430e1f2962"
            case .sessionEnded: "326c8eb9be4544718ead63fd18611a5b"
            case .badNotification: "09cd0c0827ce49e38db83072e7822ed2"
            case .storageError: "fb21c7372b9d4b0d8061eefa9d179574"
            case .configError: "1f15ed4f0ed14243ad65a08b5a884e19"
            case .configReloaded: "a8e1f3c5d7b94e26b0c4a9f2d6e8b153"
            case .adapter: "5f0c6a1e8b3d4c27a9e4d1b26f7a3c58"
            case .bluetoothd: "c2d7e94a61b84f0e8a35d6b1e4f9a072"
            case .strapFound: "bef15022ce60431c91fcd2c0709017ef"
            case .strapConnected: "0eaa020e2b5246b2af9e91c9c8d507dd"
            case .strapLost: "05c7548790b2438386830a27c04da350"
            case .strapState: "001bb6c6bbfb46989209e099eb2d6e38"
            case .athlete: "4b7e2c91d05a4f3e8c6a1b9d27e4f350"
            }
        }
    }

    /// syslog priorities used.
    public enum Priority: Int, Sendable { case error = 3, warning = 4, notice = 5, info = 6, debug = 7 }

    public var kind: Kind
    public var priority: Priority
    /// The human sentence (MESSAGE; also the stderr line).
    public var message: String
    /// UPPERCASE custom fields.
    public var fields: [(name: String, value: String)]

    /// The journal fields, MESSAGE first.
    public var journalFields: [(name: String, value: String)] {
        [("MESSAGE", message), ("MESSAGE_ID", kind.messageID), ("PRIORITY", String(priority.rawValue)),
         ("SYSLOG_IDENTIFIER", "ingestd"), ("INGESTD_EVENT", kind.name)] + fields
    }

    /// The message of a pipeline event.
    public init(_ event: PipelineEvent) {
        switch event {
        case .sessionStarted(let id, let device, let start, let athlete):
            self.init(kind: .sessionStarted, priority: .info,
                      message: "session \(id) started at \(ISO8601.format(start)) on \(device)" + (athlete.map { " worn by \($0)" } ?? ""),
                      fields: [("SESSION_ID", id), ("DEVICE_ADDRESS", device.description), ("SESSION_START", ISO8601.format(start))]
                          + (athlete.map { [("ATHLETE_ID", $0)] } ?? []))
        case .classChanged(let id, let device, let at, let from, let to, let confidence):
            self.init(kind: .classChanged, priority: .info,
                      message: "session \(id) class changed \(from.rawValue) → \(to.rawValue) (confidence \(format2(confidence))) at \(ISO8601.format(at))",
                      fields: [("SESSION_ID", id), ("DEVICE_ADDRESS", device.description), ("SESSION_CLASS", to.rawValue),
                               ("PREVIOUS_CLASS", from.rawValue), ("CLASS_CONFIDENCE", format2(confidence)),
                               ("CHANGED_AT", ISO8601.format(at))])
        case .sessionEnded(let r):
            self.init(kind: .sessionEnded, priority: .notice,
                      message: "session \(r.id) ended: \(r.class.rawValue) (confidence \(format2(r.confidence))), \(Int(r.durationSeconds / 60)) min, mean HR \(Int(r.meanHr)), max HR \(Int(r.maxHr)), TRIMP \(r.trimp.banister)",
                      fields: (r.athlete.map { [("ATHLETE_ID", $0)] } ?? []) + [("SESSION_ID", r.id), ("DEVICE_ADDRESS", r.device), ("SESSION_CLASS", r.class.rawValue),
                               ("CLASS_CONFIDENCE", format2(r.confidence)), ("TRIMP", String(r.trimp.banister)),
                               ("DURATION_SEC", String(Int(r.durationSeconds.rounded()))), ("SESSION_START", r.start),
                               ("SESSION_END", r.end), ("MEAN_HR", String(r.meanHr)), ("MAX_HR", String(r.maxHr)),
                               ("SEGMENTS", r.segments.map { "\($0.start)/\($0.end)/\($0.class.rawValue)" }.joined(separator: " ")),
                               ("SESSION_JSON", JSONLines.line(r))])
        case .badNotification(let device, let time, let error):
            self.init(kind: .badNotification, priority: .warning,
                      message: "bad notification from \(device) at \(ISO8601.format(time)): \(error)",
                      fields: [("DEVICE_ADDRESS", device.description), ("CHARACTERISTIC", error.characteristic.description),
                               ("BYTE_OFFSET", String(error.offset))])
        }
    }

    /// A message of any kind.
    public init(kind: Kind, priority: Priority, message: String, fields: [(name: String, value: String)] = []) {
        self.kind = kind
        self.priority = priority
        self.message = message
        self.fields = fields
    }
}

/// A number with two decimals, for messages.
public func format2(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    var s = String(r)
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
    }
    return s
}
