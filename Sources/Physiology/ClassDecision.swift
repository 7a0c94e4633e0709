/// Scores per class in [0, 1] before the confidence threshold.
public struct ClassScores: Sendable, Equatable {
    public var resistance: Double
    public var endurance: Double
    public var hiit: Double

    /// The best class and its score (ties go to the first of resistance, endurance, hiit).
    public var best: (SessionClass, Double) {
        var best: (SessionClass, Double) = (.resistance, resistance)
        if endurance > best.1 { best = (.endurance, endurance) }
        if hiit > best.1 { best = (.hiit, hiit) }
        return best
    }

    /// The score of one class (0 for unclassified).
    public func value(of c: SessionClass) -> Double {
        switch c {
        case .resistance: resistance
        case .endurance: endurance
        case .hiit: hiit
        case .unclassified: 0
        }
    }

    /// Name → score, for output.
    public var named: [(String, Double)] {
        [("resistance", resistance), ("endurance", endurance), ("hiit", hiit)]
    }
}

/// The structural features a class decision used (intensities as fractions of HRR).
public struct ClassFeatures: Sendable, Equatable {
    public var activeSeconds: Double
    public var meanReserveFraction: Double
    /// RMS distance of the 6-s HR from its 2-min trend (HRR): how much HR swings.
    public var oscillation: Double
    /// Fraction of time at ≥ 60 % HRR, and at ≥ the high-peak fraction of HRmax.
    public var vigorousFraction: Double
    public var highFraction: Double
    /// Highest 2-min mean intensity.
    public var sustainedPeak: Double
    public var bouts: Double
    public var boutsPerTenMinutes: Double
    public var meanBoutAmplitude: Double
    public var meanBoutPeak: Double
    public var meanBoutTrough: Double
    public var highPeakBoutFraction: Double
    public var meanWorkSeconds: Double
    /// Mean seconds of the bouts' climbs from their onset (`BoutDetector.Bout.climbSeconds`):
    /// shorter than `meanWorkSeconds` when recoveries are jogged or spun near the trough.
    public var meanClimbSeconds: Double
    public var meanRestSeconds: Double
    /// Fraction of the time the 1-min HR was rising. HR rises faster than it recovers (on- vs
    /// off-kinetics), so intermittent work spends most of its time recovering (< 0.5) and a
    /// continuous or graded effort most of its time climbing (> 0.5): a shape that does not
    /// depend on HRmax.
    public var risingFraction: Double
    /// Coefficient of variation of the times between bout peaks (1 when fewer than two): a
    /// planned interval session repeats like a clock (small), hills and daily life do not.
    public var periodVariation: Double
    /// Mean seconds between bout peaks (0 when fewer than two bouts).
    public var meanPeriodSeconds: Double
    /// Correlation of the lag-free 2-min level with time (−1…1): how steadily the stretch builds. Exercise
    /// builds (a graded test near 1, intervals accumulate), a seated stress protocol settles from
    /// its anticipatory start (< 0): a shape that does not depend on HRmax.
    public var climb: Double = 0
    /// How far the level's straight-line fit rises over the stretch (HRR): a steady climb must
    /// also be a large one to be exercise (the drift of a walk correlates with time too).
    public var climbRise: Double = 0
    /// Small bouts (`SmallBoutSeries`: rises of `EngineConstants.smallBoutRiseFraction`, the sets
    /// of a light strength session), their rate per 10 minutes, mean peak (HRR) and the
    /// coefficient of variation of their peak-to-peak periods (1 when fewer than two).
    public var smallBouts: Double = 0
    public var smallBoutsPerTenMinutes: Double = 0
    public var meanSmallBoutPeak: Double = 0
    public var smallPeriodVariation: Double = 1

    /// Name → value, for output (names are the JSON keys).
    public var named: [(String, Double)] {
        [("active_seconds", activeSeconds), ("mean_hrr_fraction", meanReserveFraction),
         ("oscillation_hrr", oscillation), ("vigorous_fraction", vigorousFraction),
         ("time_above_high_fraction", highFraction), ("sustained_peak_hrr", sustainedPeak),
         ("bouts", bouts), ("bouts_per_10min", boutsPerTenMinutes), ("mean_bout_amplitude_hrr", meanBoutAmplitude),
         ("mean_bout_peak_hrr", meanBoutPeak), ("mean_bout_trough_hrr", meanBoutTrough),
         ("high_peak_bout_fraction", highPeakBoutFraction), ("mean_work_seconds", meanWorkSeconds), ("mean_climb_seconds", meanClimbSeconds),
         ("mean_rest_seconds", meanRestSeconds), ("rising_fraction", risingFraction),
         ("peak_period_variation", periodVariation), ("mean_peak_period_seconds", meanPeriodSeconds),
         ("climb_correlation", climb), ("climb_rise_hrr", climbRise),
         ("small_bouts", smallBouts), ("small_bouts_per_10min", smallBoutsPerTenMinutes),
         ("mean_small_bout_peak_hrr", meanSmallBoutPeak), ("small_period_variation", smallPeriodVariation)]
    }
}

/// A class with its confidence and the features that decided it, so every label explains itself.
public struct ClassDecision: Sendable, Equatable {
    /// The reported class (`unclassified` when confidence is below the threshold).
    public var sessionClass: SessionClass
    /// Confidence in [0, 1] of the best class.
    public var confidence: Double
    /// Scores per class before the threshold.
    public var scores: ClassScores
    /// The features the decision used.
    public var features: ClassFeatures
    /// How the class stands.
    public var basis: Basis = .confident

    /// How a class decision stands (`SessionClassifier.basis`).
    public enum Basis: String, Sendable, Equatable, Codable {
        /// The best score reached the confidence threshold.
        case confident
        /// Below the threshold, but the stretch builds like exercise and one class clearly leads.
        case lean
        /// Too ambiguous: reported as `unclassified`.
        case abstained
    }
}
