import Physiology

/// The daemon's configuration (`/etc/ingestd/ingestd.toml`, documented in `Config/ingestd.toml`).
public struct IngestConfiguration: Sendable, Equatable {
    /// Where sessions, raw logs and status go (systemd's StateDirectory).
    public var stateDirectory = "/var/lib/ingestd"
    /// The person wearing the strap(s).
    public var athlete = AthleteProfile()
    /// Engine thresholds.
    public var engine = EngineConstants()
    /// FTO rs9939609 genotype, for population context only.
    public var ftoGenotype: FTOGenotype? = nil
    /// Live straps over BlueZ.
    public var bluetooth = BluetoothSettings()
    /// Prometheus textfile metrics (off by default).
    public var metrics = MetricsSettings()

    /// The defaults.
    public init() {}

    /// The default config path.
    public static let defaultPath = "/etc/ingestd/ingestd.toml"

    /// Parses config text; `path` names the file in errors.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> IngestConfiguration {
        var config = IngestConfiguration()
        let document = try ConfigDocument(text, path: path)
        for entry in document.entries {
            func fail(_ why: String) -> ConfigError {
                ConfigError(path: path, line: entry.line, key: entry.qualifiedKey, reason: why)
            }
            func number(_ range: ClosedRange<Double>) throws(ConfigError) -> Double {
                guard case .number(let v) = entry.value else { throw fail("expected a number") }
                guard range.contains(v) else { throw fail("\(v) is outside \(range.lowerBound)…\(range.upperBound)") }
                return v
            }
            switch entry.qualifiedKey {
            case "daemon.state_directory":
                guard case .string(let s) = entry.value, s.hasPrefix("/") else { throw fail("expected an absolute path string") }
                config.stateDirectory = s
            case "athlete.age":
                config.athlete.age = Int(try number(5...110))
            case "athlete.sex":
                guard case .string(let s) = entry.value, let sex = AthleteProfile.Sex(rawValue: s) else {
                    throw fail("expected \"female\" or \"male\"")
                }
                config.athlete.sex = sex
            case "athlete.resting_heart_rate":
                config.athlete.restingHeartRate = try number(25...120)
            case "athlete.maximum_heart_rate":
                config.athlete.maximumHeartRate = try number(100...240)
            case "athlete.fto_rs9939609":
                guard case .string(let g) = entry.value, let genotype = FTOGenotype(rawValue: g) else {
                    throw fail("expected \"AA\", \"AT\" or \"TT\"")
                }
                config.ftoGenotype = genotype
            case "athlete.first_threshold_heart_rate":
                config.athlete.firstVentilatoryThreshold = try number(60...230)
            case "athlete.second_threshold_heart_rate":
                config.athlete.secondVentilatoryThreshold = try number(60...235)
            case "session.active_reserve_fraction":
                config.engine.activeReserveFraction = try number(0.05...0.9)
            case "session.start_active_seconds":
                config.engine.startActiveSeconds = try number(30...3600)
            case "session.end_rest_seconds":
                config.engine.endRestSeconds = try number(60...7200)
            case "session.end_gap_seconds":
                config.engine.endGapSeconds = try number(10...7200)
            case "classifier.minimum_confidence":
                config.engine.minimumConfidence = try number(0...1)
            case "bluetooth.adapter":
                guard case .string(let s) = entry.value, s.isEmpty || (s.hasPrefix("hci") && Int(s.dropFirst(3)) != nil) else {
                    throw fail("expected an adapter name like \"hci0\", or \"\" for the first adapter")
                }
                config.bluetooth.adapter = s
            case "bluetooth.backend":
                guard case .string(let s) = entry.value, let backend = BluetoothSettings.Backend(rawValue: s) else {
                    throw fail("expected \"bluez\" or \"direct\"")
                }
                config.bluetooth.backend = backend
            case "bluetooth.power_on_adapter":
                guard case .bool(let b) = entry.value else { throw fail("expected true or false") }
                config.bluetooth.powerOnAdapter = b
            case "bluetooth.straps":
                switch entry.value {
                case .string("any"):
                    config.bluetooth.straps = .any
                case .strings(let list) where !list.isEmpty && list.allSatisfy({ !$0.isEmpty }):
                    config.bluetooth.straps = .only(list)
                default:
                    throw fail("expected \"any\" or a non-empty list of addresses and names")
                }
            case "bluetooth.notification_timeout_seconds":
                config.bluetooth.notificationTimeout = try number(2...600)
            case "bluetooth.acquire_timeout_seconds":
                config.bluetooth.acquireTimeout = try number(1...120)
            case "bluetooth.max_reconnect_delay_seconds":
                config.bluetooth.maximumReconnectDelay = try number(1...3600)
            case "bluetooth.polar_ecg":
                guard case .bool(let b) = entry.value else { throw fail("expected true or false") }
                config.bluetooth.polarECG = b
            case "metrics.textfile_directory":
                guard case .string(let s) = entry.value, s.isEmpty || s.hasPrefix("/") else {
                    throw fail("expected an absolute directory path, or \"\" for no metrics")
                }
                config.metrics.textfileDirectory = s
            case "metrics.interval_seconds":
                config.metrics.interval = try number(1...3600)
            default:
                throw fail("unknown key")
            }
        }
        if config.bluetooth.backend == .direct {
            let line = document.entries.first { $0.qualifiedKey == "bluetooth.backend" }?.line ?? 0
            guard case .only(let list) = config.bluetooth.straps else {
                throw ConfigError(path: path, line: line, key: "bluetooth.straps",
                                  reason: "the direct backend cannot scan: list the straps' addresses")
            }
            if let name = list.first(where: { BluetoothSettings.DirectStrap($0) == nil }) {
                throw ConfigError(path: path, line: line, key: "bluetooth.straps",
                                  reason: "the direct backend needs addresses (\"AA:BB:CC:DD:EE:FF\" or \"…/random\"), not \"\(name)\"")
            }
        }
        if let vt1 = config.athlete.firstVentilatoryThreshold, let vt2 = config.athlete.secondVentilatoryThreshold, vt1 >= vt2 {
            throw ConfigError(path: path, line: 0, key: "athlete.second_threshold_heart_rate",
                              reason: "must be above athlete.first_threshold_heart_rate (\(vt1))")
        }
        return config
    }
}

/// A configuration error naming the file, line and key.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var key: String
    public var reason: String

    /// An error at `line` of `path` about `key` (empty when the line has no key).
    public init(path: String, line: Int, key: String, reason: String) {
        self.path = path
        self.line = line
        self.key = key
        self.reason = reason
    }

    public var description: String {
        key.isEmpty ? "\(path):\(line): \(reason)" : "\(path):\(line): \(key): \(reason)"
    }
}
