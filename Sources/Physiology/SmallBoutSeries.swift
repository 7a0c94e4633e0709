/// The small bouts of a stretch, as decayable sums: rises too small for `BoutDetector`'s
/// bout thresholds but repeated like sets, the shape of a light strength session (HR 90–110,
/// each set 10–20 bpm above its rest) (PHYSIOLOGY.md, Classifier). Part of `StructureStats`.
struct SmallBoutSeries: Sendable, Equatable {
    private(set) var count = 0.0
    private var peakSum = 0.0
    private var periods = PeriodSums()

    /// Counts one small bout peaking at `peak` (fraction of HRR), `period` seconds after the
    /// previous one's peak (nil for the first).
    mutating func add(peak: Double, period: Double?) {
        count += 1
        peakSum += peak
        if let period { periods.add(period) }
    }

    /// Every sum times `f` (the stats' exponential forgetting).
    mutating func decay(_ f: Double) {
        count *= f
        peakSum *= f
        periods.decay(f)
    }

    /// The series between an earlier snapshot `start` and this one.
    func since(_ start: SmallBoutSeries) -> SmallBoutSeries {
        var d = SmallBoutSeries()
        d.count = count - start.count
        d.peakSum = peakSum - start.peakSum
        d.periods = periods.since(start.periods)
        return d
    }

    /// Mean peak (fraction of HRR); 0 without a bout.
    var meanPeak: Double { count > 0 ? peakSum / count : 0 }

    /// Coefficient of variation of the peak-to-peak periods; 1 (irregular) until there are two.
    var periodVariation: Double { periods.variation }
}
