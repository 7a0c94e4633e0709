import Glibc
import HeartRateWire
import Ingest
import Physiology
import SystemCall
import Traces

/// Writes, for every finished session, the RR file (`sessions/ID.rr.txt`: one interval in ms per
/// line, as Kubios and most HRV tools read) and the FIT activity (`sessions/ID.fit`), both
/// crash-safely. It keeps the samples of the last `lookBack` seconds before a session is
/// confirmed, because a session is dated from when activity began.
public final class SessionFiles: SampleSink, PipelineSink {
    /// Seconds of samples kept before a session starts (covers the confirmation delay).
    public static let lookBack = 1800.0

    private let directory: String
    private var times: [Double] = []
    private var heartRates: [UInt16] = []  // 0 = none
    private var rrTimes: [Double] = []
    private var rr: [Double] = []
    private var inSession = false
    /// Errors met while writing.
    public private(set) var errors: [String] = []
    /// Told of each write failure as it happens.
    public var onError: StorageErrorHandler?

    /// Files go to `stateDirectory/sessions`.
    public init(stateDirectory: String) {
        directory = stateDirectory + "/sessions"
    }

    public func sample(time: Double, heartRate: UInt16?, rrIntervals: RRIntervals) {
        times.append(time)
        heartRates.append(heartRate ?? 0)
        for v in rrIntervals where v > 0 {  // an RR of 0 (a strap's "no beat") is not an interval
            rrTimes.append(time)
            rr.append(v)
        }
        if !inSession, let first = times.first, time - first > 2 * Self.lookBack { trim(before: time - Self.lookBack) }
    }

    public func receive(_ event: PipelineEvent) {
        switch event {
        case .sessionStarted:
            inSession = true
            reserve()
        case .sessionEnded(let r):
            inSession = false
            write(r)
            trim(before: r.endUnix)
        default:
            break
        }
    }

    /// The RR file path of a session.
    public func rrPath(_ id: String) -> String { directory + "/" + id + ".rr.txt" }
    /// The FIT file path of a session.
    public func fitPath(_ id: String) -> String { directory + "/" + id + ".fit" }

    private func write(_ r: SessionRecord) {
        let lo = r.startUnix, hi = r.endUnix
        let beats = zip(rrTimes, rr).filter { $0.0 >= lo && $0.0 <= hi }.map(\.1)
        var text = ""
        text.reserveCapacity(beats.count * 7)
        for b in beats { text += Self.milliseconds(b) + "\n" }
        var records: [(time: Double, heartRate: UInt8)] = []
        var lastSecond = -Double.infinity
        var rrIndex = 0
        for (i, t) in times.enumerated() where t >= lo && t <= hi {
            while rrIndex < rrTimes.count && rrTimes[rrIndex] < t { rrIndex += 1 }
            var hr = heartRates[i]
            if hr == 0 {  // RR-only strap: HR from the plausible beats of this sample
                var sum = 0.0, n = 0.0
                var k = rrIndex
                while k < rrTimes.count && rrTimes[k] == t {
                    if RRGate.acceptedRange.contains(rr[k]) { sum += rr[k]; n += 1 }
                    k += 1
                }
                // A strap may send RR 0 (or any nonsense) with HR 0: only a finite, plausible
                // rate becomes a record, and the conversion is checked, never trapping.
                if n > 0, let bpm = UInt16(exactly: (60_000 / (sum / n)).rounded()) { hr = bpm }
            }
            let second = t.rounded(.down)
            guard hr > 0, second > lastSecond else { continue }
            lastSecond = second
            records.append((second, UInt8(clamping: hr)))
        }
        let (sport, subSport): (UInt8, UInt8) = switch r.class {
        case .resistance: (10, 20)  // training / strength_training
        case .hiit: (10, 0)         // training / generic
        default: (0, 0)             // generic
        }
        var activity = FITActivityEncoder.Activity(
            start: lo, end: hi, records: records, rrIntervals: beats, sport: sport, subSport: subSport,
            // The session's maximum is its highest record (the engine's max is of 5-s smoothed HR).
            averageHeartRate: UInt8(clamping: Int(r.meanHr.rounded())),
            maximumHeartRate: records.map(\.heartRate).max() ?? UInt8(clamping: Int(r.maxHr.rounded())),
            serialNumber: Self.serialNumber(of: r.device), utcOffsetSeconds: Self.utcOffset(at: hi))
        // The strap's own count, kJ → kcal (thermochemical calorie, 4.184 J).
        activity.totalCalories = r.energyExpendedKJ.map { UInt16(clamping: Int(($0 / 4.184).rounded())) }
        let fit = FITActivityEncoder.encode(activity)
        do {
            if !beats.isEmpty { try AtomicFile.write(text, to: rrPath(r.id)) }
            try AtomicFile.write(fit, to: fitPath(r.id))
        } catch {
            errors.append(error.description)
            onError?("RR and FIT files in \(directory): \(error.cause)",
                     "session \(r.id): RR/FIT file not saved: \(error)")
        }
    }

    /// Samples room is made for when a session starts: 2 h at 1 Hz (and 3 beats a sample), so
    /// a session of that length grows its buffers on this event, never on a sample.
    static let reservedSamples = 7200

    private func reserve() {
        let n = times.count + Self.reservedSamples
        times.reserveCapacity(n)
        heartRates.reserveCapacity(n)
        rrTimes.reserveCapacity(rrTimes.count + 3 * Self.reservedSamples)
        rr.reserveCapacity(rr.count + 3 * Self.reservedSamples)
    }

    private func trim(before time: Double) {
        let k = times.firstIndex { $0 >= time } ?? times.count
        times.removeFirst(k)
        heartRates.removeFirst(k)
        let j = rrTimes.firstIndex { $0 >= time } ?? rrTimes.count
        rrTimes.removeFirst(j)
        rr.removeFirst(j)
    }

    /// The FIT device serial of a strap: the low 31 bits of an FNV-1a hash of its address, the
    /// same in every run (Swift's `hashValue` is seeded per process, so the serial changed).
    static func serialNumber(of device: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in device.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h & 0x7FFF_FFFF
    }

    /// The local zone's offset from UTC (seconds east) at Unix time `t` (`localtime_r`, so TZ
    /// and /etc/localtime decide), 0 when it cannot be had.
    static func utcOffset(at t: Double) -> Int32 {
        guard t.isFinite, let seconds = Int(exactly: t.rounded(.down)) else { return 0 }
        var time = time_t(seconds)
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return 0 }
        return Int32(clamping: parts.tm_gmtoff)
    }

    /// RR in ms with at most three decimals (1/1024-s values are exact to 0.0009765625 ms).
    static func milliseconds(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
