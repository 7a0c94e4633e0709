import RealModule

/// DFA α1 (Peng 1995) over a sliding window of beats, exact and streaming
/// (PHYSIOLOGY.md, HRV): boxes of 4–16 beats are aligned to the absolute beat index; each
/// scale keeps the running sums (n, Σv, Σv², Σtv) of its open box and, in a ring, the linear-
/// detrend residual energy of the closed boxes still inside the window. A beat costs a few
/// operations per scale; α1 itself (13 logs and a regression) is computed only when asked.
///
/// The integrated series is the plain cumulative sum of RR: subtracting the window mean would
/// add a linear term to each box, which the per-box linear detrend removes exactly. Each box
/// works relative to its own first value, so precision does not decay over a day.
public struct StreamingDFA: Sendable {
    /// Smallest and largest box size (beats).
    public static let scales = 4...16

    private struct Scale: Sendable {
        var size: Int
        // open box
        var filled = 0
        var origin = 0.0
        var sv = 0.0
        var svv = 0.0
        var stv = 0.0
        // closed boxes in the window: start beat index and residual energy
        var boxes: FixedRing<(start: Int, residual: Double)>
        var residualTotal = 0.0
        var closedSinceRebase = 0
    }

    private var scales: [Scale]
    private var beatIndex = -1
    private var integrated = 0.0

    /// A DFA over windows of at most `maximumBeats` beats.
    public init(maximumBeats: Int) {
        scales = Self.scales.map { n in
            Scale(size: n, boxes: FixedRing(capacity: maximumBeats / n + 2, filler: (0, 0)))
        }
    }

    /// Folds in the next beat (ms). Beats must be consecutive accepted beats.
    public mutating func add(_ rr: Double) {
        beatIndex += 1
        integrated += rr
        for i in scales.indices {
            let n = scales[i].size
            if beatIndex % n == 0 {
                scales[i].filled = 0
                scales[i].origin = integrated
                scales[i].sv = 0
                scales[i].svv = 0
                scales[i].stv = 0
            }
            let t = Double(scales[i].filled)
            let v = integrated - scales[i].origin
            scales[i].sv += v
            scales[i].svv += v * v
            scales[i].stv += t * v
            scales[i].filled += 1
            if scales[i].filled == n {
                let residual = Self.residual(n: n, sv: scales[i].sv, svv: scales[i].svv, stv: scales[i].stv)
                if let dropped = scales[i].boxes.push((beatIndex - n + 1, residual)) {
                    scales[i].residualTotal -= dropped.residual
                }
                scales[i].residualTotal += residual
                scales[i].closedSinceRebase += 1
                if scales[i].closedSinceRebase >= 256 { rebase(i) }
            }
        }
    }

    /// Drops boxes that start before `firstBeat` (the window's first absolute beat index).
    public mutating func evict(before firstBeat: Int) {
        for i in scales.indices {
            while let f = scales[i].boxes.first, f.start < firstBeat {
                scales[i].boxes.popFirst()
                scales[i].residualTotal -= f.residual
            }
        }
    }

    /// Absolute index of the latest beat (0-based), −1 before any.
    public var latestBeat: Int { beatIndex }

    /// α1: the OLS slope of log F(n) on log n over the scales with at least one closed box
    /// and non-zero fluctuation; nil when fewer than 3 scales qualify.
    public func alpha1() -> Double? {
        var fit = LogLogSlope()
        for s in scales where s.boxes.count > 0 {
            let f2 = max(s.residualTotal, 0) / Double(s.boxes.count * s.size)
            guard f2 > 1e-12 else { continue }
            fit.add(scale: s.size, logFluctuation: 0.5 * Double.log(f2))
        }
        return fit.slope
    }

    /// Forgets everything (after a gap).
    public mutating func reset() {
        beatIndex = -1
        integrated = 0
        for i in scales.indices {
            scales[i].filled = 0
            scales[i].boxes.removeAll()
            scales[i].residualTotal = 0
        }
    }

    /// Residual energy of an OLS line through (t, v), t = 0…n−1.
    static func residual(n: Int, sv: Double, svv: Double, stv: Double) -> Double {
        let nd = Double(n)
        let st = nd * (nd - 1) / 2
        let stt = (nd - 1) * nd * (2 * nd - 1) / 6
        let ctt = stt - st * st / nd
        let ctv = stv - st * sv / nd
        let cvv = svv - sv * sv / nd
        return max(cvv - ctv * ctv / ctt, 0)
    }

    /// Recomputes a scale's running total from its ring (bounds float drift; amortised O(1)).
    private mutating func rebase(_ i: Int) {
        var total = 0.0
        for j in 0..<scales[i].boxes.count { total += scales[i].boxes[j].residual }
        scales[i].residualTotal = total
        scales[i].closedSinceRebase = 0
    }
}
