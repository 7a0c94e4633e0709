import RealModule

/// Running load totals over one session (zones, TRIMPs, acute load, bout recoveries) for the
/// summary, updated in O(1) per sample with no allocation. The structure the classifier reads
/// lives in `StructureStats`.
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

    /// Empty totals.
    public init() {}

    /// Mean HR (bpm).
    public var meanHeartRate: Double { seconds > 0 ? hrSeconds / seconds : 0 }
    /// Mean fraction of heart-rate reserve.
    public var meanReserveFraction: Double { seconds > 0 ? reserveSeconds / seconds : 0 }

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

    /// Folds in one step of `dt` seconds at heart rate `hr` (6-s smoothed `fast`).
    mutating func add(hr: Double, fast: Double, dt: Double,
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
    }

    public static func == (a: SessionFeatures, b: SessionFeatures) -> Bool {
        a.seconds == b.seconds && a.hrSeconds == b.hrSeconds && a.banisterTRIMP == b.banisterTRIMP
            && a.edwardsTRIMP == b.edwardsTRIMP && a.acuteLoadPeak == b.acuteLoadPeak
    }
}
