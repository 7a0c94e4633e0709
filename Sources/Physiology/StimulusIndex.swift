/// One stimulus index as the product reports it: an exposure score with its sources, evidence
/// grade, uncertainty and caveats — never a measurement of the person's hormones or genes.
public struct StimulusIndex: Sendable, Equatable {
    /// A published finding the index is anchored to.
    public struct Anchor: Sendable, Equatable {
        /// Authors and year.
        public var source: String
        /// What was measured, in whom.
        public var measured: String
        /// The anchor values used.
        public var values: String
    }

    /// Stable key: `cortisol_stress_load`, `gh_pulse`, `catecholamine_surge`,
    /// `mitochondrial_pgc1a_signal`, `resistance_endocrine_index`, `bdnf_stimulus`.
    public var key: String
    /// The value (nil when the index does not apply, with the reason in `caveats`).
    public var value: Double?
    /// Unit or scale of `value`.
    public var unit: String
    /// Uncertainty interval of `value`.
    public var interval: (low: Double, high: Double)?
    /// A second value where the index has one (catecholamine peak fold).
    public var peak: Double?
    /// Evidence grade: A (meta-analyses), B (controlled trials), C (small or single studies).
    public var evidence: String
    public var anchors: [Anchor]
    public var caveats: [String]
    /// Heuristics (H) the index uses.
    public var heuristics: [String]
    /// One sentence for a person, worded as exposure.
    public var sentence: String

    public static func == (a: StimulusIndex, b: StimulusIndex) -> Bool {
        a.key == b.key && a.value == b.value && a.peak == b.peak && a.sentence == b.sentence
            && a.interval?.low == b.interval?.low && a.interval?.high == b.interval?.high
    }
}

/// Builds the indices of a session or segment from its dose (PHYSIOLOGY.md, Stimulus indices).
public enum StimulusReport {
    /// The assumption every index shares.
    public static let intensityAssumption =
        "intensity is heart rate as a fraction of heart-rate reserve, taken for %VO2max (ACSM: %HRR ≈ %VO2R) (H)"

    /// The six indices for a dose; `sessionClass` decides which apply.
    public static func indices(_ d: StimulusDose, sessionClass: SessionClass, sustainedPeak: Double,
                               sex: AthleteProfile.Sex?) -> [StimulusIndex] {
        let female = sex == .female
        var out: [StimulusIndex] = []
        let cortisol = d.cortisol
        out.append(StimulusIndex(
            key: "cortisol_stress_load", value: r1(cortisol), unit: "% change in serum cortisol right after, estimated for protocols of this intensity and duration",
            interval: (r1(cortisol * 0.5), r1(cortisol * 1.5)), peak: nil, evidence: "B",
            anchors: [.init(source: "Hill et al. 2008", measured: "serum cortisol after 30 min cycling at 40, 60 and 80 % VO2max, 12 active men",
                            values: "+5.7 %, +39.9 %, +83.1 %")],
            caveats: ["part of the rise is haemoconcentration", "uncertainty ±50 % relative",
                      "resistance work raises cortisol more than its heart rate suggests"],
            heuristics: [intensityAssumption, "0 below 30 % intensity; dose scales linearly with time"],
            sentence: cortisol < 1 ? "Too light to resemble protocols that raised cortisol."
                : "Similar to protocols that raised cortisol by about \(Int(cortisol.rounded())) % right after exercise."))
        let gh = d.growthHormone
        out.append(StimulusIndex(
            key: "gh_pulse", value: r1(gh), unit: "µg·L⁻¹·min integrated GH above control, Pritzlaff 1999 scale",
            interval: (r1(gh * 0.6), r1(gh * 1.4)), peak: nil, evidence: "B",
            anchors: [.init(source: "Felsing et al. 1992", measured: "GH response needs ≥ 10 min above the lactate threshold", values: "threshold effect"),
                      .init(source: "Pritzlaff et al. 1999", measured: "integrated GH during 30 min at fractions of the lactate threshold, 10 men",
                            values: "0.75·LT ≈ 198, LT ≈ 202, 1.25·LT ≈ 262, 1.75·LT ≈ 463 µg·L⁻¹·min")],
            caveats: ["blunted by training (Weltman 1997)", "lactate threshold estimated from heart rate unless VT1 is configured",
                      "minutes above threshold: \(r1(d.minutesAboveThreshold))"],
            heuristics: [intensityAssumption, "lactate threshold at VT1, else at 1/1.75 of HRR (H)"],
            sentence: gh < 1 ? "Not long enough above the lactate threshold to resemble protocols that raised growth hormone."
                : "Similar to protocols that raised growth hormone (about \(Int(gh.rounded())) µg·L⁻¹·min on Pritzlaff's scale)."))
        let fold = StimulusDose.catecholamineFold(sustainedPeak)
        out.append(StimulusIndex(
            key: "catecholamine_surge", value: r1(d.catecholamineDose), unit: "fold-minutes above resting plasma catecholamines",
            interval: (r1(d.catecholamineDose * 0.5), r1(d.catecholamineDose * 2)), peak: r1(fold), evidence: "B",
            anchors: [.init(source: "Zouhal et al. 2008", measured: "review of plasma adrenaline/noradrenaline responses to exercise",
                            values: "1.5 to > 20-fold over rest; ~12-fold at maximal intensity used here")],
            caveats: ["heart rate lags short sprints, so sprints are under-read", "peak is from the highest 2-min intensity"],
            heuristics: [intensityAssumption, "fold 1 up to 50 % intensity, exponential to 12× at maximum (H)"],
            sentence: fold < 1.2 ? "Too light to resemble protocols with a catecholamine surge."
                : "Similar to protocols with a catecholamine surge of about \(r1(fold))-fold at the hardest moment."))
        let resistance = sessionClass == .resistance
        let pgc = d.mitochondrial
        out.append(StimulusIndex(
            key: "mitochondrial_pgc1a_signal", value: resistance ? nil : r1(pgc),
            unit: "relative-intensity-weighted minutes; 100 = 60 min at 72 % VO2peak (≈ 11-fold PGC-1α mRNA)",
            interval: resistance ? nil : (r1(pgc * 0.5), r1(pgc * 1.5)), peak: nil, evidence: "C",
            anchors: [.init(source: "Stepto et al. 2012", measured: "PGC-1α mRNA after 60 min cycling at 72 % VO2peak", values: "≈ 11-fold = 100"),
                      .init(source: "Nordsborg et al. 2010", measured: "PGC-1α mRNA after 4×4 min at 85 % vs 70 % VO2max", values: "≈ 4–5-fold vs ≈ 3-fold"),
                      .init(source: "Gibala et al. 2009; Taylor et al. 2016", measured: "sprint intervals", values: "2–7-fold")],
            caveats: resistance
                ? ["not estimated for resistance work: heart rate during lifting does not reflect an aerobic stimulus"]
                : ["acute promoter hypomethylation is a single-bout finding (Barrès 2012); trained athletes show higher methylation there (2024): no cumulative demethylation is claimed",
                   "mRNA fold changes in small samples"],
            heuristics: [intensityAssumption, "weight (x/0.72)^\(r3(StimulusDose.mitochondrialExponent)) from Nordsborg's ratio; nothing below 40 % (H)"],
            sentence: resistance ? "No mitochondrial (PGC-1α) signal is claimed for resistance work."
                : pgc < 5 ? "Too light or short to resemble protocols that raised PGC-1α."
                : "Similar to \(Int(pgc.rounded())) % of a 60-min ride at 72 % VO2peak, which raised PGC-1α mRNA about 11-fold."))
        let sets = d.setSeries
        let rei = min(100, 100 * sets.load / 20)
        out.append(StimulusIndex(
            key: "resistance_endocrine_index", value: resistance ? r1(rei) : nil,
            unit: "0–100; 100 ≈ 20 sets of a full-body set amplitude with ≤ 60-s rests",
            interval: resistance ? (r1(rei * 0.6), r1(min(100, rei * 1.4))) : nil, peak: nil, evidence: "C",
            anchors: [.init(source: "Kraemer et al. 1991", measured: "hormonal responses to 10RM/1-min vs 5RM/3-min rest protocols",
                            values: "10RM/1-min > 5RM/3-min for GH and testosterone"),
                      .init(source: "Kraemer & Ratamess 2005", measured: "review of hormonal responses to resistance exercise", values: "volume, short rest and muscle mass raise the response")],
            caveats: ["acute hormone rises did not predict hypertrophy or strength gains (West 2010; West & Phillips 2012)"]
                + (female ? ["women show a GH response but little testosterone rise"] : [])
                + (resistance ? ["sets: \(Int(sets.sets.rounded()))"] : ["only computed for resistance sessions and segments"]),
            heuristics: ["set amplitude stands in for muscle mass; rest weight 1 at ≤ 60 s to 0.5 at ≥ 180 s (H)"],
            sentence: resistance ? "Similar to lifting protocols whose acute hormonal response scores \(Int(rei.rounded())) of 100 (volume, short rests, large muscles); this does not predict muscle gain."
                : "Not a resistance session: no resistance endocrine index."))
        let bdnf = d.bdnf
        out.append(StimulusIndex(
            key: "bdnf_stimulus", value: r1(bdnf), unit: "minutes above VT1, counted double above VT2",
            interval: (r1(bdnf * 0.5), r1(bdnf * 1.5)), peak: nil, evidence: "A",
            anchors: [.init(source: "Szuhany et al. 2015", measured: "meta-analysis of acute exercise and serum BDNF", values: "g ≈ 0.46; 0.78–1.1 after high intensity"),
                      .init(source: "Dinoff et al. 2016", measured: "meta-analysis of resistance training and BDNF", values: "≈ no chronic effect")]
            , caveats: ["serum BDNF, effect sizes across people, not an individual value"] + (female ? ["smaller effect in women"] : []),
            heuristics: [intensityAssumption, "VT1/VT2 at 65/85 % HRR unless configured (H)"],
            sentence: bdnf < 1 ? "Too light to resemble protocols that raised BDNF."
                : "Similar to protocols that raised serum BDNF: \(Int(bdnf.rounded())) weighted minutes above the first threshold."))
        return out
    }

    static func r1(_ v: Double) -> Double { (v * 10).rounded() / 10 }
    static func r3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
