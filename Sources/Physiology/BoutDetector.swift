/// Finds work bouts in the heart-rate curve with hysteresis, in fractions of heart-rate reserve:
/// a bout starts when HR rises `rise` above the running trough and ends when it falls `fall`
/// below the running peak (PHYSIOLOGY.md, Classifier). O(1) per sample.
public struct BoutDetector: Sendable, Equatable {
    /// One finished bout.
    public struct Bout: Sendable, Equatable {
        /// Time of the trough the rise started from.
        public var start: Double
        /// Time the climb to the peak began: HR last stood at the trough's level (within
        /// `BoutDetector.onsetFraction` of the rise threshold above it). A jogged or spun
        /// recovery holds HR near its trough for minutes before the next interval.
        public var onset: Double
        /// Time of the peak.
        public var peakTime: Double
        /// Time the fall was confirmed.
        public var end: Double
        /// Trough and peak HR (bpm).
        public var trough: Double
        public var peak: Double
        /// Rest before this bout: seconds since the previous bout ended (nil for the first).
        public var restBefore: Double?
        /// Rise from trough to peak in seconds.
        public var workSeconds: Double { peakTime - start }
        /// Seconds of the climb itself, from its onset to the peak.
        public var climbSeconds: Double { peakTime - onset }
        /// Rise from trough to peak as a fraction of a heart-rate reserve of `reserve` bpm.
        public func amplitude(over reserve: Double) -> Double { (peak - trough) / reserve }
    }

    private enum Phase: Equatable { case falling, rising }
    private var phase = Phase.falling
    private var trough = Double.infinity
    private var troughTime = 0.0
    private var onsetTime = 0.0
    private var peak = -Double.infinity
    private var peakTime = 0.0
    private var lastBoutEnd: Double? = nil

    /// The share of the rise threshold above the trough that is still the trough's level, for
    /// a bout's onset (H).
    public static let onsetFraction = 0.5

    /// An idle detector.
    public init() {}

    /// The bout in progress at `time`: HR has risen past the threshold and its fall has not
    /// been seen (the data ended during the effort); nil while falling.
    public func unfinished(at time: Double) -> Bout? {
        phase == .rising ? bout(endingAt: time) : nil
    }

    /// The rise being tracked, as a bout ending at `time`.
    private func bout(endingAt time: Double) -> Bout {
        Bout(start: troughTime, onset: onsetTime, peakTime: peakTime, end: time, trough: trough, peak: peak,
             restBefore: lastBoutEnd.map { troughTime - $0 })
    }

    /// Folds in a smoothed HR; returns a bout when one has just ended.
    public mutating func add(hr: Double, at time: Double, reserve: Double,
                             rise: Double, fall: Double) -> Bout? {
        switch phase {
        case .falling:
            if hr < trough {
                trough = hr
                troughTime = time
            }
            if hr - trough <= Self.onsetFraction * rise * reserve { onsetTime = time }
            if hr - trough >= rise * reserve {
                phase = .rising
                peak = hr
                peakTime = time
            }
        case .rising:
            if hr > peak {
                peak = hr
                peakTime = time
            }
            if peak - hr >= fall * reserve {
                let ended = bout(endingAt: time)
                lastBoutEnd = time
                phase = .falling
                trough = hr
                troughTime = time
                onsetTime = time
                return ended
            }
        }
        return nil
    }
}
