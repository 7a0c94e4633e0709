/// Session-long HRV accumulators: SDNN by Welford's method, the α1 samples taken every 5 s
/// when the window is clean (with the HR where they crossed 0.75), and which inputs the session had. O(1), no allocation.
struct SessionHRV: Sendable {
    private var n = 0
    private var mean = 0.0
    private var m2 = 0.0
    private var alphaSum = 0.0
    private var alphaCount = 0
    private(set) var alphaMinimum: Double? = nil
    var nextAlphaSample = -Double.infinity
    var sawHeartRate = false
    var sawRR = false

    mutating func add(_ rr: Double) {
        n += 1
        let d = rr - mean
        mean += d / Double(n)
        m2 += d * (rr - mean)
    }

    /// The heart rate where α1 crossed 0.75 (≈ VT1), from the same samples.
    private(set) var threshold = AerobicThresholdEstimate()

    /// One α1 sample of a clean window, with the window's mean heart rate (bpm) when known.
    mutating func addAlpha(_ a: Double, heartRate: Double?) {
        alphaSum += a
        alphaCount += 1
        alphaMinimum = min(alphaMinimum ?? a, a)
        if let heartRate { threshold.add(alpha1: a, heartRate: heartRate) }
    }

    var sdnn: Double? { n >= 2 ? (m2 / Double(n - 1)).squareRoot() : nil }
    var alphaMean: Double? { alphaCount > 0 ? alphaSum / Double(alphaCount) : nil }
}

/// Heart-rate recovery (PHYSIOLOGY.md, Load): the drop 30 s and 60 s after each bout's peak, and
/// the drop 60 s after the end of work (Cole 1999), measured at the first sample at or after
/// the mark.
struct RecoveryTracker: Sendable {
    private var boutPeak: (hr: Double, time: Double)? = nil
    private var measured30 = false
    private var measured60 = false
    private var workEnd: (hr: Double, time: Double)? = nil
    private var wasActive = false
    /// HR drop (bpm) 60 s after the latest end of work; nil until measured.
    private(set) var recoveryAfterWork: Double? = nil

    mutating func boutEnded(peak: Double, at time: Double) {
        boutPeak = (peak, time)
        measured30 = false
        measured60 = false
    }

    mutating func observe(hr: Double, at time: Double, active: Bool, features: inout SessionFeatures) {
        if let p = boutPeak {
            if !measured30 && time >= p.time + 30 {
                features.addRecovery(drop: p.hr - hr, after: 30)
                measured30 = true
            }
            if !measured60 && time >= p.time + 60 {
                features.addRecovery(drop: p.hr - hr, after: 60)
                measured60 = true
                boutPeak = nil
            }
        }
        if active {
            workEnd = (hr, time)
            recoveryAfterWork = nil
        } else if let w = workEnd, time >= w.time + 60 {
            recoveryAfterWork = w.hr - hr
            workEnd = nil
        }
        wasActive = active
    }
}
