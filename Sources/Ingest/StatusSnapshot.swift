/// What `ingestctl status` shows: the daemon's state, written atomically to
/// `STATE_DIRECTORY/status.json` on every event and at most once a second otherwise.
public struct StatusSnapshot: Codable, Sendable, Equatable {
    /// The daemon's process ID.
    public var pid: Int32
    /// ISO 8601 wall time the daemon started.
    public var startedAt: String
    /// ISO 8601 wall time of this snapshot.
    public var updatedAt: String
    /// `starting | running | finished | stopped | failed`.
    public var state: String
    /// `replay` or `live`.
    public var mode: String
    /// What feeds the daemon: the replayed file, or the BLE backend.
    public var source: String
    /// Replay speed (`max` or a factor), nil when live.
    public var speed: String?
    /// One entry per strap.
    public var devices: [Device]
    /// Sessions finished since the daemon started.
    public var sessionsRecorded: Int
    /// The latest finished sessions (at most five), newest last.
    public var recentSessions: [SessionBrief]
    /// The latest error, if any (bad trace, storage failure).
    public var lastError: String?
    /// Storage failures since the daemon started (nil from a daemon that did not count them).
    public var storageErrors: Int?
    /// Sessions that ended but whose summary could not be written.
    public var sessionsNotSaved: Int?
    /// Where session files go.
    public var stateDirectory: String
    /// One strap's state.
    public struct Device: Codable, Sendable, Equatable {
        public var address: String
        public var samples: Int
        public var badNotifications: Int
        public var heartRate: Int?
        public var traceTime: String?
        public var sessionId: String?
        public var sessionClass: String?
        /// `detected`, `not detected` or `not supported` (the strap's contact bits).
        public var contact: String?
        /// Live straps: the advertised name, the link state (`connecting`, `streaming`,
        /// `retrying`, `unsupported`, `offline`, …), battery %, body sensor location, reconnects.
        public var name: String?
        public var link: String?
        public var battery: Int?
        public var location: String?
        public var reconnects: Int?
        /// RR intervals the engine's gate accepted and rejected as artifacts since the daemon
        /// started (nil from a daemon that did not report them).
        public var beats: Int?
        public var rejectedBeats: Int?
        /// Polar ECG (only with `polar_ecg = true`): `starting`, `recording`, or why not; and the
        /// ECG samples recorded in the raw log since the daemon started.
        public var ecg: String?
        public var ecgSamples: Int?
        /// Who wears the strap (ID and name), and the heart-rate reference the engine uses for
        /// them now (bpm; the maximum is the larger of the configured or predicted one and the
        /// highest seen).
        public var athlete: String?
        public var athleteName: String?
        public var maximumHeartRate: Int?
        public var restingHeartRate: Int?
        /// The running session: seconds so far, Banister TRIMP so far, and the live label's
        /// confidence (nil before the first label).
        public var sessionSeconds: Double?
        public var trimp: Double?
        public var confidence: Double?

        /// Percent of RR intervals rejected as artifacts, nil before the first beat.
        public var artifactPercent: Double? {
            guard let beats, let rejectedBeats, beats + rejectedBeats > 0 else { return nil }
            return 100 * Double(rejectedBeats) / Double(beats + rejectedBeats)
        }

        /// A strap's state.
        public init(address: String, samples: Int, badNotifications: Int, heartRate: Int?, traceTime: String?,
                    sessionId: String?, sessionClass: String?) {
            self.address = address
            self.samples = samples
            self.badNotifications = badNotifications
            self.heartRate = heartRate
            self.traceTime = traceTime
            self.sessionId = sessionId
            self.sessionClass = sessionClass
        }

        /// The same with the contact state.
        public func with(contact: String) -> Device {
            var d = self
            d.contact = contact
            return d
        }

        enum CodingKeys: String, CodingKey {
            case address, samples
            case badNotifications = "bad_notifications", heartRate = "heart_rate", traceTime = "trace_time"
            case sessionId = "session_id", sessionClass = "session_class", contact
            case name, link, battery, location, reconnects, beats
            case rejectedBeats = "rejected_beats", ecg, ecgSamples = "ecg_samples"
            case athlete, athleteName = "athlete_name", maximumHeartRate = "maximum_heart_rate"
            case restingHeartRate = "resting_heart_rate", sessionSeconds = "session_seconds", trimp, confidence
        }
    }

    /// A finished session in one line.
    public struct SessionBrief: Codable, Sendable, Equatable {
        public var id: String
        public var `class`: String
        public var confidence: Double
        public var durationSeconds: Double
        public var meanHr: Double
        public var maxHr: Double
        public var trimp: Double

        enum CodingKeys: String, CodingKey {
            case id, `class`, confidence, trimp
            case durationSeconds = "duration_seconds", meanHr = "mean_hr", maxHr = "max_hr"
        }

        /// The brief of a record.
        public init(_ r: SessionRecord) {
            id = r.id
            `class` = r.class.rawValue
            confidence = r.confidence
            durationSeconds = r.durationSeconds
            meanHr = r.meanHr
            maxHr = r.maxHr
            trimp = r.trimp.banister
        }
    }

    enum CodingKeys: String, CodingKey {
        case pid, state, mode, source, speed, devices
        case startedAt = "started_at", updatedAt = "updated_at", sessionsRecorded = "sessions_recorded"
        case recentSessions = "recent_sessions", lastError = "last_error", stateDirectory = "state_directory"
        case storageErrors = "storage_errors", sessionsNotSaved = "sessions_not_saved"
    }

    /// A snapshot.
    public init(pid: Int32, startedAt: String, updatedAt: String, state: String, mode: String, source: String,
                speed: String?, devices: [Device], sessionsRecorded: Int, recentSessions: [SessionBrief],
                lastError: String?, stateDirectory: String) {
        self.pid = pid
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.state = state
        self.mode = mode
        self.source = source
        self.speed = speed
        self.devices = devices
        self.sessionsRecorded = sessionsRecorded
        self.recentSessions = recentSessions
        self.lastError = lastError
        self.stateDirectory = stateDirectory
    }

    /// The file name under the state directory.
    public static let fileName = "status.json"
}
