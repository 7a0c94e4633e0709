import RealModule

/// Running totals over one session: everything the classifier and the summary need, updated in
/// O(1) per sample with no allocation.
public struct SessionFeatures: Sendable, Equatable {
    /// Seconds integrated.
    public private(set) var seconds = 0.0
    /// Σ HR · Δt, for the mean.
    private var hrSeconds = 0.0
    /// Highest fast-smoothed HR (bpm).
    public private(set) var maximumHeartRate = 0.0
    /// Seconds in Edwards zones 50–60, 60–70, 70–80, 80–90, 90–100 % HRmax.
    public private(set) var edwardsZoneSeconds: (Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0)
    /// Banister TRIMP (Banister 1991).
    public private(set) var banisterTRIMP = 0.0
    /// Seconds where the fast HR was within the steady band of the 5-min mean.
    public private(set) var steadySeconds = 0.0
    /// Seconds at or above the high-peak fraction of HRmax.
    public private(set) var highSeconds = 0.0
    /// Σ x · Δt (x = fraction of HRR), for the mean intensity.
    private var reserveSeconds = 0.0
    /// Seconds below 40 % HRR (light), 40–60 % (moderate, WHO 2020), ≥ 60 % (vigorous).
    public private(set) var reserveZoneSeconds: (light: Double, moderate: Double, vigorous: Double) = (0, 0, 0)
    /// Seconds below VT1, between VT1 and VT2, above VT2 (Lucia zones).
    public private(set) var luciaZoneSeconds: (Double, Double, Double) = (0, 0, 0)
    /// EPOC-like acute load now and its peak (H, not Firstbeat's).
    public private(set) var acuteLoad = 0.0
    public private(set) var acuteLoadPeak = 0.0
    /// Per-bout HR drop 30 s and 60 s after the bout's peak (bpm), summed, with counts.
    private var drop30Sum = 0.0
    private var drop30Count = 0
    private var drop60Sum = 0.0
    private var drop60Count = 0

    /// Bouts counted (the warm-up ramp excluded).
    public private(set) var boutCount = 0
    /// Σ bout amplitude in HRR fractions.
    private var amplitudeSum = 0.0
    /// Bouts whose peak reached the high-peak fraction of HRmax.
    public private(set) var highPeakBouts = 0
    /// Σ bout work seconds and Σ rest seconds (bouts with a rest before them).
    private var workSum = 0.0
    private var restSum = 0.0
    private var restCount = 0

    /// Empty totals.
    public init() {}

    /// Mean HR (bpm).
    public var meanHeartRate: Double { seconds > 0 ? hrSeconds / seconds : 0 }
    /// Mean fraction of heart-rate reserve.
    public var meanReserveFraction: Double { seconds > 0 ? reserveSeconds / seconds : 0 }
    /// Fraction of time steady.
    public var steadyFraction: Double { seconds > 0 ? steadySeconds / seconds : 0 }
    /// Fraction of time at or above the high-peak fraction of HRmax.
    public var highFraction: Double { seconds > 0 ? highSeconds / seconds : 0 }
    /// Bouts per 10 minutes.
    public var boutsPerTenMinutes: Double { seconds > 0 ? Double(boutCount) / (seconds / 600) : 0 }
    /// Mean bout amplitude in HRR fractions.
    public var meanBoutAmplitude: Double { boutCount > 0 ? amplitudeSum / Double(boutCount) : 0 }
    /// Fraction of bouts with a high peak.
    public var highPeakBoutFraction: Double { boutCount > 0 ? Double(highPeakBouts) / Double(boutCount) : 0 }
    /// Mean work seconds per bout.
    public var meanWorkSeconds: Double { boutCount > 0 ? workSum / Double(boutCount) : 0 }
    /// Mean rest seconds between bouts.
    public var meanRestSeconds: Double { restCount > 0 ? restSum / Double(restCount) : 0 }

    /// Lucia TRIMP: minutes below VT1 ×1, VT1–VT2 ×2, above VT2 ×3.
    public var luciaTRIMP: Double {
        let z = luciaZoneSeconds
        return (z.0 + 2 * z.1 + 3 * z.2) / 60
    }

    /// Mean drop (bpm) 30 s after bout peaks; nil without a measured bout.
    public var meanDrop30: Double? { drop30Count > 0 ? drop30Sum / Double(drop30Count) : nil }
    /// Mean drop (bpm) 60 s after bout peaks.
    public var meanDrop60: Double? { drop60Count > 0 ? drop60Sum / Double(drop60Count) : nil }

    /// Records a bout recovery measurement.
    mutating func addRecovery(drop: Double, after seconds: Int) {
        if seconds == 30 {
            drop30Sum += drop
            drop30Count += 1
        } else {
            drop60Sum += drop
            drop60Count += 1
        }
    }

    /// Edwards TRIMP: zone minutes weighted 1…5.
    public var edwardsTRIMP: Double {
        let z = edwardsZoneSeconds
        return (z.0 + 2 * z.1 + 3 * z.2 + 4 * z.3 + 5 * z.4) / 60
    }

    /// Folds in one step of `dt` seconds at heart rate `hr` (fast-smoothed `fast`, slow mean `slow`).
    mutating func add(hr: Double, fast: Double, slow: Double, dt: Double,
                      reference: HeartRateReference, banister: (a: Double, b: Double),
                      constants: EngineConstants) {
        seconds += dt
        hrSeconds += hr * dt
        maximumHeartRate = max(maximumHeartRate, fast)
        let x = reference.reserveFraction(hr)
        reserveSeconds += x * dt
        let trimpRate = x * banister.a * Double.exp(banister.b * x)
        banisterTRIMP += dt / 60 * trimpRate
        acuteLoad = acuteLoad * Double.exp(-dt / EngineConstants.acuteLoadTimeConstant) + dt / 60 * trimpRate
        acuteLoadPeak = max(acuteLoadPeak, acuteLoad)
        switch x {
        case ..<0.4: reserveZoneSeconds.light += dt
        case ..<0.6: reserveZoneSeconds.moderate += dt
        default: reserveZoneSeconds.vigorous += dt
        }
        if hr < reference.firstThreshold {
            luciaZoneSeconds.0 += dt
        } else if hr < reference.secondThreshold {
            luciaZoneSeconds.1 += dt
        } else {
            luciaZoneSeconds.2 += dt
        }
        let y = hr / reference.maximum
        switch y {
        case 0.9...: edwardsZoneSeconds.4 += dt
        case 0.8..<0.9: edwardsZoneSeconds.3 += dt
        case 0.7..<0.8: edwardsZoneSeconds.2 += dt
        case 0.6..<0.7: edwardsZoneSeconds.1 += dt
        case 0.5..<0.6: edwardsZoneSeconds.0 += dt
        default: break
        }
        if y >= constants.highPeakFraction { highSeconds += dt }
        if abs(fast - slow) <= constants.steadyBandFraction * reference.reserve { steadySeconds += dt }
    }

    /// Counts one bout.
    mutating func add(bout: BoutDetector.Bout, reference: HeartRateReference, constants: EngineConstants) {
        boutCount += 1
        amplitudeSum += (bout.peak - bout.trough) / reference.reserve
        if bout.peak / reference.maximum >= constants.highPeakFraction { highPeakBouts += 1 }
        workSum += bout.workSeconds
        if let rest = bout.restBefore {
            restSum += rest
            restCount += 1
        }
    }

    public static func == (a: SessionFeatures, b: SessionFeatures) -> Bool {
        a.seconds == b.seconds && a.hrSeconds == b.hrSeconds && a.boutCount == b.boutCount
            && a.banisterTRIMP == b.banisterTRIMP && a.steadySeconds == b.steadySeconds
    }
}
