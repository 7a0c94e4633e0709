import Physiology

/// The daemon's configuration (`/etc/ingestd/ingestd.toml`, documented in `Config/ingestd.toml`).
public struct IngestConfiguration: Sendable, Equatable {
    /// Where sessions, raw logs and status go (systemd's StateDirectory).
    public var stateDirectory = "/var/lib/ingestd"
    /// The default person's profile (the `[athlete]` table, or the `[[athlete]]` entry
    /// without straps): for straps nobody claims and for `ingestctl analyze`.
    public var athlete = AthleteProfile()
    /// Engine thresholds.
    public var engine = EngineConstants()
    /// The default person's FTO rs9939609 genotype, for population context only.
    public var ftoGenotype: FTOGenotype? = nil
    /// Everyone who wears straps (`[[athlete]]`); one default person when the config names none.
    public var athletes: [Athlete] = []

    /// Who wears which strap (without run-time assignments).
    public var roster: AthleteRoster {
        AthleteRoster(athletes: athletes.isEmpty
            ? [Athlete(id: Athlete.defaultID, name: "default athlete", profile: athlete, ftoGenotype: ftoGenotype)] : athletes)
    }
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
        var defaultAthlete = Athlete(id: Athlete.defaultID, name: "default athlete")
        var entries: [(line: Int, athlete: Athlete, keys: [String: Int])] = []
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
            case let key where key.hasPrefix("athlete."):
                try Self.apply(athleteKey: String(key.dropFirst("athlete.".count)), entry, to: &defaultAthlete, fail: fail)
            case let key where key.hasPrefix("athlete["):
                // `[[athlete]]` entries: `athlete[N]` (the table itself) and `athlete[N].key`.
                guard let open = key.firstIndex(of: "["), let close = key.firstIndex(of: "]"),
                      let index = Int(key[key.index(after: open)..<close]), index >= 0, index < 10_000 else { throw fail("unknown key") }
                while entries.count <= index { entries.append((line: entry.line, athlete: Athlete(id: ""), keys: [:])) }
                let rest = key[key.index(after: close)...]
                if rest.isEmpty { entries[index].line = entry.line; continue }
                let name = String(rest.dropFirst())
                entries[index].keys[name] = entry.line
                try Self.apply(athleteKey: name, entry, to: &entries[index].athlete, fail: fail)
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
        if let vt1 = defaultAthlete.profile.firstVentilatoryThreshold, let vt2 = defaultAthlete.profile.secondVentilatoryThreshold, vt1 >= vt2 {
            throw ConfigError(path: path, line: 0, key: "athlete.second_threshold_heart_rate",
                              reason: "must be above athlete.first_threshold_heart_rate (\(vt1))")
        }
        config.athletes = try Self.validate(entries, path: path)
        if config.athletes.isEmpty {
            config.athletes = [defaultAthlete]
        }
        let fallback = config.roster.defaultAthlete
        config.athlete = fallback.profile
        config.ftoGenotype = fallback.ftoGenotype
        return config
    }

    /// The `[[athlete]]` entries checked: each has an ID, no ID twice, no strap claimed twice,
    /// at most one without straps (the default person), thresholds in order.
    private static func validate(_ entries: [(line: Int, athlete: Athlete, keys: [String: Int])], path: String) throws(ConfigError) -> [Athlete] {
        var ids: [String: Int] = [:]
        var claimed: [String: String] = [:]
        var unclaimed: String? = nil
        for (index, entry) in entries.enumerated() {
            let a = entry.athlete
            func fail(_ key: String, _ why: String) -> ConfigError {
                ConfigError(path: path, line: entry.keys[key] ?? entry.line, key: "athlete[\(index)].\(key)", reason: why)
            }
            guard !a.id.isEmpty else { throw fail("id", "every [[athlete]] needs an id (e.g. id = \"anna\")") }
            if let first = ids[a.id] { throw fail("id", "\"\(a.id)\" is already the id of the athlete on line \(first)") }
            ids[a.id] = entry.keys["id"] ?? entry.line
            if a.straps.isEmpty {
                if let other = unclaimed {
                    throw fail("straps", "only one athlete may go without straps (the default for unclaimed straps); \"\(other)\" already does")
                }
                unclaimed = a.id
            }
            for strap in a.straps {
                let key = BluetoothSettings.DirectStrap(strap)?.address ?? strap
                if let owner = claimed[key] { throw fail("straps", "\"\(strap)\" is already worn by athlete \"\(owner)\"") }
                claimed[key] = a.id
            }
            if let vt1 = a.profile.firstVentilatoryThreshold, let vt2 = a.profile.secondVentilatoryThreshold, vt1 >= vt2 {
                throw fail("second_threshold_heart_rate", "must be above first_threshold_heart_rate (\(vt1))")
            }
        }
        return entries.map { entry in
            var a = entry.athlete
            if a.name.isEmpty { a.name = a.id }
            return a
        }
    }

    /// One key of an athlete table (`[athlete]` or an `[[athlete]]` entry).
    private static func apply(athleteKey key: String, _ entry: ConfigDocument.Entry, to athlete: inout Athlete,
                              fail: (String) -> ConfigError) throws(ConfigError) {
        func number(_ range: ClosedRange<Double>) throws(ConfigError) -> Double {
            guard case .number(let v) = entry.value else { throw fail("expected a number") }
            guard range.contains(v) else { throw fail("\(v) is outside \(range.lowerBound)…\(range.upperBound)") }
            return v
        }
        switch key {
        case "id":
            guard case .string(let s) = entry.value, Athlete.isIdentifier(s) else {
                throw fail("expected 1–64 letters, digits, '-', '_' or '.' (not starting with '.')")
            }
            athlete.id = s
        case "name":
            guard case .string(let s) = entry.value, !s.isEmpty, s.count <= 80 else { throw fail("expected a name of 1–80 characters") }
            athlete.name = s
        case "straps":
            guard case .strings(let list) = entry.value, list.allSatisfy({ !$0.isEmpty }) else {
                throw fail("expected a list of strap addresses (\"A0:9E:1A:12:34:56\") or advertised names")
            }
            athlete.straps = list
        case "age":
            athlete.profile.age = Int(try number(5...110))
        case "sex":
            guard case .string(let s) = entry.value, let sex = AthleteProfile.Sex(rawValue: s) else {
                throw fail("expected \"female\" or \"male\"")
            }
            athlete.profile.sex = sex
        case "resting_heart_rate":
            athlete.profile.restingHeartRate = try number(25...120)
        case "maximum_heart_rate":
            athlete.profile.maximumHeartRate = try number(100...240)
        case "fto_rs9939609":
            guard case .string(let g) = entry.value, let genotype = FTOGenotype(rawValue: g) else {
                throw fail("expected \"AA\", \"AT\" or \"TT\"")
            }
            athlete.ftoGenotype = genotype
        case "first_threshold_heart_rate":
            athlete.profile.firstVentilatoryThreshold = try number(60...230)
        case "second_threshold_heart_rate":
            athlete.profile.secondVentilatoryThreshold = try number(60...235)
        default:
            throw fail("unknown key")
        }
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
