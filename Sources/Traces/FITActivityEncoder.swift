/// Writes a FIT activity file (protocol 2.0) for one session: file_id, event (timer start and
/// stop), record (timestamp, heart_rate), hrv (RR in seconds, five per message), lap, session
/// and activity messages, with header and file CRCs — what Garmin Connect, Strava,
/// GoldenCheetah and intervals.icu import. Pure: returns bytes.
public struct FITActivityEncoder {
    /// What the file holds.
    public struct Activity: Sendable {
        /// Unix seconds.
        public var start: Double
        public var end: Double
        /// One-second records: Unix time and HR (bpm).
        public var records: [(time: Double, heartRate: UInt8)]
        /// RR intervals in milliseconds, in order.
        public var rrIntervals: [Double]
        /// FIT sport and sub-sport numbers (profile: training 10 / strength_training 20, generic 0).
        public var sport: UInt8
        public var subSport: UInt8
        public var averageHeartRate: UInt8?
        public var maximumHeartRate: UInt8?
        /// kcal the strap counted (lap and session `total_calories`), nil when it counted none.
        public var totalCalories: UInt16? = nil
        /// Device serial number for file_id (any stable number).
        public var serialNumber: UInt32
        /// The local time's offset from UTC at the end (seconds east), for
        /// `activity.local_timestamp`; the caller knows the zone (this target reads no clock).
        public var utcOffsetSeconds: Int32

        public init(start: Double, end: Double, records: [(time: Double, heartRate: UInt8)], rrIntervals: [Double],
                    sport: UInt8, subSport: UInt8, averageHeartRate: UInt8?, maximumHeartRate: UInt8?, serialNumber: UInt32,
                    utcOffsetSeconds: Int32 = 0) {
            self.utcOffsetSeconds = utcOffsetSeconds
            self.start = start
            self.end = end
            self.records = records
            self.rrIntervals = rrIntervals
            self.sport = sport
            self.subSport = subSport
            self.averageHeartRate = averageHeartRate
            self.maximumHeartRate = maximumHeartRate
            self.serialNumber = serialNumber
        }
    }

    /// FIT profile version written in the header (21.32).
    public static let profileVersion: UInt16 = 2132

    private var body: [UInt8] = []

    /// The bytes of a FIT activity.
    public static func encode(_ a: Activity) -> [UInt8] {
        var e = FITActivityEncoder()
        e.write(a)
        var header: [UInt8] = [14, 0x20]
        header += le16(profileVersion) + le32(UInt32(e.body.count)) + Array(".FIT".utf8)
        header += le16(FITCRC.checksum(header))
        var file = header + e.body
        file += le16(FITCRC.checksum(file))
        return file
    }

    private enum Base {
        static let enumeration: UInt8 = 0x00, uint8: UInt8 = 0x02, uint16: UInt8 = 0x84
        static let uint32: UInt8 = 0x86, uint32z: UInt8 = 0x8C
    }

    private mutating func define(local: UInt8, global: UInt16, _ fields: [(UInt8, UInt8, UInt8)]) {
        body.append(0x40 | local)
        body += [0, 0] + Self.le16(global) + [UInt8(fields.count)]
        for f in fields { body += [f.0, f.1, f.2] }
    }

    private mutating func data(local: UInt8, _ values: [UInt8]) {
        body.append(local)
        body += values
    }

    private static func fitTime(_ unix: Double) -> UInt32 {
        UInt32(clamping: Int64((unix - FITMessage.epochOffset).rounded(.down)))
    }

    private mutating func write(_ a: Activity) {
        let start = Self.fitTime(a.start), end = Self.fitTime(a.end)
        let elapsed = UInt32(clamping: Int64(((a.end - a.start) * 1000).rounded()))
        // file_id
        define(local: 0, global: FITGlobalMessage.fileID,
               [(0, 1, Base.enumeration), (1, 2, Base.uint16), (2, 2, Base.uint16), (3, 4, Base.uint32z), (4, 4, Base.uint32)])
        data(local: 0, [4] + Self.le16(255) + Self.le16(1) + Self.le32(max(a.serialNumber, 1)) + Self.le32(start))
        // event: timer start
        define(local: 1, global: FITGlobalMessage.event, [(253, 4, Base.uint32), (0, 1, Base.enumeration), (1, 1, Base.enumeration)])
        data(local: 1, Self.le32(start) + [0, 0])
        // records and hrv, interleaved in time
        define(local: 2, global: FITGlobalMessage.record, [(253, 4, Base.uint32), (3, 1, Base.uint8)])
        define(local: 3, global: FITGlobalMessage.hrv, [(0, 10, Base.uint16)])
        var rrIndex = 0
        let perRecord = a.records.isEmpty ? 0 : Int((Double(a.rrIntervals.count) / Double(a.records.count)).rounded(.up))
        for (i, r) in a.records.enumerated() {
            data(local: 2, Self.le32(Self.fitTime(r.time)) + [r.heartRate])
            let until = i == a.records.count - 1 ? a.rrIntervals.count : min(a.rrIntervals.count, rrIndex + perRecord)
            while rrIndex < until {
                var values: [UInt8] = []
                for k in 0..<5 {
                    if rrIndex + k < until {
                        values += Self.le16(UInt16(clamping: Int((a.rrIntervals[rrIndex + k]).rounded())))
                    } else {
                        values += [0xFF, 0xFF]
                    }
                }
                data(local: 3, values)
                rrIndex = min(until, rrIndex + 5)
            }
        }
        // event: timer stop
        data(local: 1, Self.le32(end) + [0, 4])
        // lap
        define(local: 4, global: FITGlobalMessage.lap,
               [(253, 4, Base.uint32), (2, 4, Base.uint32), (7, 4, Base.uint32), (8, 4, Base.uint32),
                (0, 1, Base.enumeration), (1, 1, Base.enumeration), (15, 1, Base.uint8), (16, 1, Base.uint8),
                (11, 2, Base.uint16)])
        data(local: 4, Self.le32(end) + Self.le32(start) + Self.le32(elapsed) + Self.le32(elapsed) + [9, 1,
             a.averageHeartRate ?? 0xFF, a.maximumHeartRate ?? 0xFF] + Self.le16(a.totalCalories ?? 0xFFFF))
        // session
        define(local: 5, global: FITGlobalMessage.session,
               [(253, 4, Base.uint32), (2, 4, Base.uint32), (7, 4, Base.uint32), (8, 4, Base.uint32),
                (5, 1, Base.enumeration), (6, 1, Base.enumeration), (16, 1, Base.uint8), (17, 1, Base.uint8),
                (0, 1, Base.enumeration), (1, 1, Base.enumeration), (25, 2, Base.uint16), (26, 2, Base.uint16),
                (11, 2, Base.uint16)])
        data(local: 5, Self.le32(end) + Self.le32(start) + Self.le32(elapsed) + Self.le32(elapsed) + [a.sport, a.subSport,
             a.averageHeartRate ?? 0xFF, a.maximumHeartRate ?? 0xFF, 8, 1] + Self.le16(0) + Self.le16(1)
             + Self.le16(a.totalCalories ?? 0xFFFF))
        // activity
        define(local: 6, global: FITGlobalMessage.activity,
               [(253, 4, Base.uint32), (0, 4, Base.uint32), (1, 2, Base.uint16), (2, 1, Base.enumeration),
                (3, 1, Base.enumeration), (4, 1, Base.enumeration), (5, 4, Base.uint32)])
        // local_timestamp: the same clock shifted by the zone's offset (FIT profile: local time).
        let local = UInt32(clamping: Int64(end) + Int64(a.utcOffsetSeconds))
        data(local: 6, Self.le32(end) + Self.le32(elapsed) + Self.le16(1) + [0, 26, 1] + Self.le32(local))
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}
