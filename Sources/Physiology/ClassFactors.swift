/// The factors each class score is the product of (SessionClassifier), so a label shows why it
/// won: every factor is in [0, 1], and a class scores high only when all its factors do.
/// Each is a soft ramp of `ClassifierThresholds` (H) over one or two `ClassFeatures`.
public struct ClassFactors: Sendable, Equatable {
    /// HIIT: training shown by a sustained 2-min intensity or by repeated large bouts.
    public var hiitEvidence: Double
    /// HIIT: large swings (around the lag-free trend, in bout amplitude, or in recoveries that
    /// give back much of each rise).
    public var hiitSwing: Double
    /// HIIT: recoveries drop low (a few repeats), or give back a large drop whatever the trough.
    public var hiitDeep: Double
    /// HIIT: peaks reach a hard intensity.
    public var hiitReach: Double
    /// HIIT: at least one bout.
    public var hiitBouts: Double
    /// HIIT: each bout's rise is interval-long, not a climb of many minutes.
    public var hiitQuick: Double
    /// HIIT: bouts repeat within minutes, not once in a long while.
    public var hiitRepeats: Double
    /// HIIT: not a long series of sets with moderate peaks (that is lifting).
    public var hiitNotSets: Double
    /// HIIT: not a long series at irregular times (terrain, traffic), unless it returns to near
    /// the top each time (blocks of short intervals).
    public var hiitPlanned: Double
    /// Resistance: training shown by a sustained intensity or by many sets (or light sets).
    public var lifting: Double
    /// Resistance: many bouts, often, none climbing for longer than a set; or a long rhythmic
    /// series of small bouts with low peaks (the sets of a light session); or a long series of
    /// short climbs, however seldom (heavy sets with long rests).
    public var sets: Double
    /// Resistance: bouts of moderate amplitude, or a long series with moderate peaks (sets).
    public var moderate: Double
    /// Resistance: peaks stay below hard intensities.
    public var lowPeaks: Double
    /// Resistance: little swing around the trend, or a long series with moderate peaks (sets).
    public var steady: Double
    /// Resistance: a series that keeps a rhythm (a rest timer), not the random bursts of a day.
    public var paced: Double
    /// Resistance: no effort held for minutes above the sets' peaks (that is a climb); judged
    /// over a whole session only (1 in windows).
    public var notHeldAbove: Double
    /// Endurance: a sustained training intensity, or a trend that climbs through the stretch.
    public var training: Double
    /// Endurance: intensity held over the session, or a trend that climbs through it.
    public var held: Double
    /// Endurance: calm around the trend, or swings whose troughs stay in the working zone; 1
    /// without a bout (the swings are then the warm-up and the finish).
    public var calm: Double
    /// Endurance: HR does not spend most of its time recovering (that is intermittent work).
    public var continuous: Double
    /// Endurance of a whole session: it reached moderate intensity or lasted (1 for a window).
    public var substantial: Double

    /// The class scores. HIIT and resistance are the products of their factors; endurance is its
    /// own product times what is left after HIIT and resistance.
    public var scores: ClassScores {
        let hiit = hiitEvidence * hiitSwing * hiitDeep * hiitReach * hiitBouts * hiitQuick * hiitRepeats * hiitNotSets * hiitPlanned
        let resistance = lifting * sets * moderate * lowPeaks * steady * paced * notHeldAbove
        let endurance = training * held * calm * continuous * substantial * (1 - hiit) * (1 - resistance)
        return ClassScores(resistance: resistance, endurance: endurance, hiit: hiit)
    }

    /// Class → factor name → value, for output (names are the JSON keys).
    public var named: [(String, [(String, Double)])] {
        [("hiit", [("evidence", hiitEvidence), ("swing", hiitSwing), ("deep_recoveries", hiitDeep),
                   ("reach", hiitReach), ("has_bouts", hiitBouts), ("interval_length_rises", hiitQuick),
                   ("repeats", hiitRepeats), ("not_a_set_series", hiitNotSets), ("planned", hiitPlanned)]),
         ("resistance", [("evidence", lifting), ("sets", sets), ("moderate_bouts", moderate),
                         ("low_peaks", lowPeaks), ("steady", steady), ("paced", paced),
                         ("not_held_above_sets", notHeldAbove)]),
         ("endurance", [("training", training), ("held", held), ("calm", calm), ("continuous", continuous),
                        ("substantial", substantial)])]
    }
}
