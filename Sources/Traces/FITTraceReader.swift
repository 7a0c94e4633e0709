import HeartRateWire

/// Reads a FIT activity as a trace: `record` (timestamp, heart_rate) becomes a sample, `hrv`
/// (RR in seconds, scale 1000) becomes RR intervals at the latest timestamp, and `session`,
/// `sport`, `user_profile`, `zones_target` (the HRmax the person set on the watch), `file_id` and
/// a heart-rate sensor's `device_info` become metadata.
public struct FITTraceReader<Source: ByteChunkSource>: TraceReader {
    private var decoder: FITDecoder<Source>
    private var lastTime: Double? = nil

    /// Reads from `source`; `name` appears in errors.
    public init(_ source: Source, name: String) {
        decoder = FITDecoder(source, name: name, interesting: [
            FITGlobalMessage.record, FITGlobalMessage.hrv, FITGlobalMessage.session,
            FITGlobalMessage.sport, FITGlobalMessage.userProfile, FITGlobalMessage.zonesTarget, FITGlobalMessage.fileID, FITGlobalMessage.deviceInfo,
        ])
    }

    /// Data messages seen so far by global number.
    public var messageCounts: [UInt16: Int] { decoder.messageCounts }

    public mutating func next() throws(TraceError) -> TraceEvent? {
        while let message = try decoder.next() {
            if let t = message.timestamp { lastTime = FITMessage.unixTime(t) }
            switch message.globalNumber {
            case FITGlobalMessage.record:
                guard let time = message.timestamp.map(FITMessage.unixTime), let raw = message[3], raw > 0 else { continue }
                // heart_rate is a uint8 in the profile; a file may still declare it wider. A value
                // beyond UInt16 is no reading at all; the engine judges what fits.
                guard let hr = UInt16(exactly: raw) else { continue }
                return .sample(TraceSample(time: time, heartRate: hr))
            case FITGlobalMessage.hrv:
                guard let values = message.fields[0], let time = lastTime else { continue }
                var rr = RRIntervals()
                for v in values where v > 0 { rr.append(Double(v)) }  // seconds × 1000 = ms
                if rr.isEmpty { continue }
                return .sample(TraceSample(time: time, heartRate: nil, rrIntervals: rr))
            case FITGlobalMessage.session:
                guard let start = message[2], let elapsed = message[7] else { continue }
                let begin = FITMessage.unixTime(UInt32(truncatingIfNeeded: start))
                return .metadata(.session(start: begin, end: begin + Double(elapsed) / 1000,
                                          sport: message[5].map { UInt8(truncatingIfNeeded: $0) },
                                          subSport: message[6].map { UInt8(truncatingIfNeeded: $0) }))
            case FITGlobalMessage.sport:
                return .metadata(.sport(sport: message[0].map { UInt8(truncatingIfNeeded: $0) },
                                        subSport: message[1].map { UInt8(truncatingIfNeeded: $0) }))
            case FITGlobalMessage.userProfile:
                let sex: RecordedSex? = switch message[1] {
                case 0: .female
                case 1: .male
                default: nil
                }
                // Values at or above 2^63 fit no Int: they are as good as absent.
                return .metadata(.userProfile(age: message[2].flatMap { Int(exactly: $0) }, sex: sex,
                                              restingHeartRate: message[8].flatMap { Int(exactly: $0) },
                                              maximumHeartRate: message[11].flatMap { Int(exactly: $0) }))
            case FITGlobalMessage.zonesTarget:
                // max_heart_rate (1, uint8): what the watch's zones are built on, the person's own
                // HRmax when they set it (Garmin writes it in every activity).
                guard let maximum = message[1].flatMap({ Int(exactly: $0) }) else { continue }
                return .metadata(.userProfile(age: nil, sex: nil, restingHeartRate: nil, maximumHeartRate: maximum))
            case FITGlobalMessage.fileID:
                // serial_number (3, uint32z), manufacturer (1), product (2).
                guard let raw = message[3], let serial = UInt32(exactly: raw), serial != 0 else { continue }
                return .metadata(.device(serial: serial, manufacturer: message[1].flatMap { UInt16(exactly: $0) },
                                         product: message[2].flatMap { UInt16(exactly: $0) }, heartRateSensor: false))
            case FITGlobalMessage.deviceInfo:
                // A heart-rate strap paired to the recorder: device_type (1) 120 = ANT+ heart rate
                // (source_type (25) antplus, or absent), or 1 = BLE heart rate with source_type 3.
                let source = message[25]
                let heartRate = (message[1] == 120 && (source == nil || source == 1)) || (message[1] == 1 && source == 3)
                guard heartRate, let raw = message[3], let serial = UInt32(exactly: raw), serial != 0 else { continue }
                return .metadata(.device(serial: serial, manufacturer: message[2].flatMap { UInt16(exactly: $0) },
                                         product: message[4].flatMap { UInt16(exactly: $0) }, heartRateSensor: true))
            default:
                continue
            }
        }
        return nil
    }
}
