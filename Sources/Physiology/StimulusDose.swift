import RealModule

/// Running, additive exposure doses behind the stimulus indices (PHYSIOLOGY.md, Stimulus
/// indices). O(1) per sample, no allocation. Being additive, the dose of any stretch (a segment)
/// is the difference of two snapshots.
///
/// Intensity is the fraction of heart-rate reserve `x`, taken as a stand-in for %VO2max
/// (ACSM: %HRR ≈ %VO2R) — an assumption every index states.
public struct StimulusDose: Sendable, Equatable {
    /// Cortisol: Σ f(x)·Δt / 30 min, f through Hill 2008's knots (% change per 30 min).
    public internal(set) var cortisol = 0.0
    /// GH: Σ g(x / x_LT)·Δt / 30 min after ≥ 10 min above LT (Pritzlaff 1999 scale).
    public internal(set) var growthHormone = 0.0
    /// Minutes above the lactate threshold so far (gates GH; Felsing 1992).
    public internal(set) var minutesAboveThreshold = 0.0
    /// Catecholamines: Σ (fold − 1)·Δt in fold-minutes above rest (Zouhal 2008 curve).
    public internal(set) var catecholamineDose = 0.0
    /// PGC-1α: 100 · Σ (x / 0.72)^p · Δt / 60 min for x ≥ 0.4 (Stepto 2012 = 100; p from Nordsborg 2010).
    public internal(set) var mitochondrial = 0.0
    /// BDNF: minutes above VT1, counted double above VT2.
    public internal(set) var bdnf = 0.0
    /// Resistance endocrine: Σ over sets of (amplitude / 0.25) · rest weight, over the bouts …
    public internal(set) var resistanceSets = 0.0
    public internal(set) var resistanceLoad = 0.0
    /// … and over the small bouts (`SmallBoutSeries`), the sets of a light session that rise less
    /// than a bout. A large set is a bout and one or more small bouts, so the index reads one
    /// series (`setSeries`), never their sum.
    public internal(set) var smallSets = 0.0
    public internal(set) var smallSetLoad = 0.0

    /// The bout detector missed most sets when the small bouts outnumber the bouts this many
    /// times (a light session: 0–6 bouts beside 11–27 small bouts; the real strength sessions here
    /// 5–17 bouts beside 8–24) (H).
    public static let missedSetsRatio = 2.0

    /// The set count and load the resistance index reads: the bouts', or the small bouts' when
    /// the bout detector missed most sets (`missedSetsRatio`).
    public var setSeries: (sets: Double, load: Double) {
        smallSets > Self.missedSetsRatio * resistanceSets ? (smallSets, smallSetLoad) : (resistanceSets, resistanceLoad)
    }

    /// Nothing yet.
    public init() {}

    // MARK: Model constants

    /// Hill 2008 knots (intensity ≈ %VO2max → % cortisol change after 30 min); 0 at 30 % (H).
    public static let cortisolKnots: [(Double, Double)] = [(0.30, 0), (0.40, 5.7), (0.60, 39.9), (0.80, 83.1)]
    /// Pritzlaff 1999 knots (intensity / LT → integrated GH above control, µg·L⁻¹·min per 30 min);
    /// below 0.75 LT nothing is counted (H).
    public static let growthHormoneKnots: [(Double, Double)] = [(0.75, 198), (1.0, 202), (1.25, 262), (1.75, 463)]
    /// Lactate threshold as a fraction of HRR when no VT1 is known (H): puts 1.75 LT at HRmax,
    /// as in Pritzlaff's protocol.
    public static let defaultLactateThreshold = 1.0 / 1.75
    /// Minutes above LT before GH counts (Felsing 1992).
    public static let growthHormoneDelayMinutes = 10.0
    /// Catecholamine fold at maximum (Zouhal 2008: 1.5 to > 20×; ~12× typical) and its onset.
    public static let catecholamineMaximumFold = 12.0
    public static let catecholamineOnset = 0.5
    /// PGC-1α anchor intensity (Stepto 2012: 60 min at 72 % VO2peak ≈ 11-fold mRNA = 100) and the
    /// exponent that makes 85 % ≈ 1.5 × 70 % for equal time (Nordsborg 2010: 4–5-fold vs 3-fold).
    public static let mitochondrialAnchor = 0.72
    public static let mitochondrialExponent = Double.log(1.5) / Double.log(0.85 / 0.70)
    /// Below this intensity the PGC-1α dose does not count (H).
    public static let mitochondrialFloor = 0.4
    /// Reference set amplitude (HRR) and the rests that weight a set fully / half (H; Kraemer 1991:
    /// short rests raise the response).
    public static let referenceSetAmplitude = 0.25
    public static let shortRestSeconds = 60.0
    public static let longRestSeconds = 180.0

    // MARK: Accumulation

    /// Folds in `dt` seconds at intensity `x` with the thresholds (fractions of HRR).
    mutating func add(x: Double, dt: Double, lactateThreshold: Double, firstThreshold: Double, secondThreshold: Double) {
        guard dt > 0 else { return }
        cortisol += Self.piecewise(Self.cortisolKnots, x, extrapolate: true) * dt / 1800
        if x >= lactateThreshold { minutesAboveThreshold += dt / 60 }
        if minutesAboveThreshold >= Self.growthHormoneDelayMinutes {
            let r = x / lactateThreshold
            if r >= Self.growthHormoneKnots[0].0 {
                growthHormone += Self.piecewise(Self.growthHormoneKnots, r, extrapolate: false) * dt / 1800
            }
        }
        catecholamineDose += (Self.catecholamineFold(x) - 1) * dt / 60
        if x >= Self.mitochondrialFloor {
            mitochondrial += 100 * Double.pow(x / Self.mitochondrialAnchor, Self.mitochondrialExponent) * dt / 3600
        }
        if x >= firstThreshold { bdnf += (x >= secondThreshold ? 2 : 1) * dt / 60 }
    }

    /// Counts one set (a bout) with its amplitude (HRR) and the rest before it.
    mutating func addSet(amplitude: Double, restBefore: Double?) {
        resistanceSets += 1
        resistanceLoad += Self.setLoad(amplitude: amplitude, restBefore: restBefore)
    }

    /// Counts one small bout as a set, likewise.
    mutating func addSmallSet(amplitude: Double, restBefore: Double?) {
        smallSets += 1
        smallSetLoad += Self.setLoad(amplitude: amplitude, restBefore: restBefore)
    }

    /// One set's load: amplitude over the reference, weighted 1 at short rests to 0.5 at long ones.
    static func setLoad(amplitude: Double, restBefore: Double?) -> Double {
        let rest = restBefore ?? Self.longRestSeconds
        let weight = 1 - 0.5 * min(max((rest - Self.shortRestSeconds) / (Self.longRestSeconds - Self.shortRestSeconds), 0), 1)
        return amplitude / Self.referenceSetAmplitude * weight
    }

    /// The dose between an earlier snapshot and this one.
    func since(_ s: StimulusDose) -> StimulusDose {
        var d = StimulusDose()
        d.cortisol = cortisol - s.cortisol
        d.growthHormone = growthHormone - s.growthHormone
        d.minutesAboveThreshold = minutesAboveThreshold - s.minutesAboveThreshold
        d.catecholamineDose = catecholamineDose - s.catecholamineDose
        d.mitochondrial = mitochondrial - s.mitochondrial
        d.bdnf = bdnf - s.bdnf
        d.resistanceSets = resistanceSets - s.resistanceSets
        d.resistanceLoad = resistanceLoad - s.resistanceLoad
        d.smallSets = smallSets - s.smallSets
        d.smallSetLoad = smallSetLoad - s.smallSetLoad
        return d
    }

    /// Catecholamine fold over rest at intensity `x`: 1 up to the onset, exponential to the maximum.
    public static func catecholamineFold(_ x: Double) -> Double {
        guard x > catecholamineOnset else { return 1 }
        let u = min((x - catecholamineOnset) / (1 - catecholamineOnset), 1)
        return Double.exp(Double.log(catecholamineMaximumFold) * u)
    }

    static func piecewise(_ knots: [(Double, Double)], _ v: Double, extrapolate: Bool) -> Double {
        if v <= knots[0].0 { return knots[0].1 }
        for i in 1..<knots.count where v <= knots[i].0 {
            let (x0, y0) = knots[i - 1], (x1, y1) = knots[i]
            return y0 + (y1 - y0) * (v - x0) / (x1 - x0)
        }
        guard extrapolate else { return knots[knots.count - 1].1 }
        let (x0, y0) = knots[knots.count - 2], (x1, y1) = knots[knots.count - 1]
        return y1 + (y1 - y0) / (x1 - x0) * (v - x1)
    }
}
