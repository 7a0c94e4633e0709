/// The peak-to-peak periods of a series of bouts, as decayable sums: their mean and how much
/// they vary (an interval clock or a rest timer little, terrain or a day's errands much). Part of
/// `StructureStats`, for its bouts and its small bouts.
struct PeriodSums: Sendable, Equatable {
    private var sum = 0.0
    private var squares = 0.0
    private var count = 0.0

    /// Counts one period (seconds).
    mutating func add(_ period: Double) {
        sum += period
        squares += period * period
        count += 1
    }

    /// Every sum times `f` (the stats' exponential forgetting).
    mutating func decay(_ f: Double) {
        sum *= f
        squares *= f
        count *= f
    }

    /// The periods between an earlier snapshot `start` and this one.
    func since(_ start: PeriodSums) -> PeriodSums {
        var d = PeriodSums()
        d.sum = sum - start.sum
        d.squares = squares - start.squares
        d.count = count - start.count
        return d
    }

    /// Mean seconds between peaks; 0 without (half a decayed) period.
    var mean: Double { count >= 0.5 ? sum / count : 0 }

    /// Coefficient of variation (sd / mean); 1 (irregular) until there are two periods to compare.
    var variation: Double {
        guard count >= 1.5, sum > 0 else { return 1 }
        let mean = sum / count
        let variance = max(squares / count - mean * mean, 0)
        return variance.squareRoot() / mean
    }
}
