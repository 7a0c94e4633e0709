import HeartRateWire

/// One heart-rate observation from a recording, already decoded (CSV, FIT).
public struct TraceSample: Sendable, Equatable {
    /// Unix time in seconds (from the trace, never from a clock).
    public var time: Double
    /// Heart rate in bpm, when the record has one.
    public var heartRate: UInt16?
    /// RR intervals in milliseconds that arrived with this record.
    public var rrIntervals: RRIntervals

    /// Creates a sample.
    public init(time: Double, heartRate: UInt16?, rrIntervals: RRIntervals = RRIntervals()) {
        self.time = time
        self.heartRate = heartRate
        self.rrIntervals = rrIntervals
    }
}

/// One notification exactly as a strap sent it (native raw log, btsnoop): decoding is left to
/// `HeartRateWire`, as for a live strap.
public struct RawNotification: Sendable, Equatable {
    /// Receive time, Unix microseconds (CLOCK_REALTIME at receipt).
    public var receiveTimeMicros: Int64
    /// Receive time, CLOCK_MONOTONIC microseconds (for intervals); 0 when unknown.
    public var monotonicMicros: Int64
    /// The strap's address.
    public var device: DeviceAddress
    /// The characteristic that notified: a SIG number (0x2A37, 0x2A19) or a vendor's 128-bit
    /// UUID (Polar PMD data).
    public var characteristic: ATTUUID
    /// The value bytes as received.
    public var value: [UInt8]

    /// Creates a notification record.
    public init(receiveTimeMicros: Int64, monotonicMicros: Int64 = 0, device: DeviceAddress,
                characteristic: ATTUUID, value: [UInt8]) {
        self.receiveTimeMicros = receiveTimeMicros
        self.monotonicMicros = monotonicMicros
        self.device = device
        self.characteristic = characteristic
        self.value = value
    }

    /// Creates a notification record of a SIG characteristic.
    public init(receiveTimeMicros: Int64, monotonicMicros: Int64 = 0, device: DeviceAddress,
                characteristic: GATTIdentifier, value: [UInt8]) {
        self.init(receiveTimeMicros: receiveTimeMicros, monotonicMicros: monotonicMicros, device: device,
                  characteristic: ATTUUID(characteristic), value: value)
    }

    /// Receive time in Unix seconds.
    public var time: Double { Double(receiveTimeMicros) / 1_000_000 }
}

/// What a recording says about the person and the activity, when it says anything.
public enum TraceMetadata: Sendable, Equatable {
    /// FIT `user_profile`: age in years, sex, resting and maximum heart rate when set (FIT
    /// `zones_target` gives the maximum alone).
    case userProfile(age: Int?, sex: RecordedSex?, restingHeartRate: Int?, maximumHeartRate: Int?)
    /// FIT `session`: the device's own session with sport and sub-sport numbers (FIT profile).
    case session(start: Double, end: Double, sport: UInt8?, subSport: UInt8?)
    /// FIT `sport`.
    case sport(sport: UInt8?, subSport: UInt8?)
    /// The device that recorded the file (FIT `file_id`), or its heart-rate sensor (a FIT
    /// `device_info` of an ANT+ or BLE heart-rate strap): serial number, manufacturer and
    /// product numbers (FIT profile). A replay names the strap after it (`DeviceAddress(fitSerial:)`).
    case device(serial: UInt32, manufacturer: UInt16?, product: UInt16?, heartRateSensor: Bool)
}

/// Sex as recorded by a device profile.
public enum RecordedSex: String, Sendable, Equatable {
    case female, male
}

/// One item read from a trace.
public enum TraceEvent: Sendable, Equatable {
    /// A decoded heart-rate sample.
    case sample(TraceSample)
    /// Raw notification bytes to decode.
    case notification(RawNotification)
    /// Context about the person or activity.
    case metadata(TraceMetadata)
}

/// A streaming reader of one recording.
public protocol TraceReader {
    /// The next event, or nil at the end.
    ///
    /// - Throws: `TraceError` naming the location; events returned before stay valid.
    mutating func next() throws(TraceError) -> TraceEvent?

    /// Damage the reader skipped or cut without failing (a raw log's bad record, a torn tail),
    /// one line each naming the file and offset; read it once `next()` has returned nil.
    var damage: [String] { get }
}

extension TraceReader {
    /// Most formats fail on damage instead of skipping it.
    public var damage: [String] { [] }
}
