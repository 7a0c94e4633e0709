import RealModule

/// RMSSD, SDNN (Task Force 1996) and DFA α1 over the accepted beats of the last `seconds`
/// of beat time, updated in O(1) per beat with running sums and no allocation.
///
/// Window rule (the golden script uses the same): beat `i` is in the window ending at beat
/// `e` when `t[e] − t[i] < seconds`, where `t` is the cumulative sum of accepted RR.
public struct HRVWindow: Sendable {
    /// The window length in seconds of beat time.
    public let seconds: Double
    private var beats: FixedRing<(rr: Double, time: Double, index: Int)>
    private var clock = 0.0
    private var reference = 0.0
    private var sum = 0.0
    private var sumSquares = 0.0
    private var successiveSquares = 0.0
    private var previous: Double? = nil
    private var sinceRebase = 0
    private var dfa: StreamingDFA
    private var scratch: [Double]

    /// A window of `seconds` (2 minutes by default) holding at most `maximumBeats`.
    public init(seconds: Double = 120, maximumBeats: Int = 1024) {
        self.seconds = seconds
        beats = FixedRing(capacity: maximumBeats, filler: (0, 0, 0))
        dfa = StreamingDFA(maximumBeats: maximumBeats)
        scratch = Array(repeating: 0, count: maximumBeats + 1)
    }

    /// Beats in the window.
    public var count: Int { beats.count }

    /// Folds in the next accepted beat (ms).
    public mutating func add(_ rr: Double) {
        clock += rr / 1000
        if beats.isEmpty { reference = rr }
        dfa.add(rr)
        let x = rr - reference
        if let p = previous {
            let d = rr - p
            successiveSquares += d * d
        }
        previous = rr
        if beats.isFull { dropOldest() }
        beats.push((rr, clock, dfa.latestBeat))
        sum += x
        sumSquares += x * x
        while let first = beats.first, clock - first.time >= seconds { dropOldest() }
        dfa.evict(before: beats.first!.index)
        sinceRebase += 1
        if sinceRebase >= 4096 { rebase() }
    }

    /// RMSSD (ms) of successive beats both in the window; nil with fewer than 2 beats.
    public var rmssd: Double? {
        guard beats.count >= 2 else { return nil }
        return (max(successiveSquares, 0) / Double(beats.count - 1)).squareRoot()
    }

    /// SDNN (ms, sample standard deviation, n − 1); nil with fewer than 2 beats.
    public var sdnn: Double? {
        guard beats.count >= 2 else { return nil }
        let n = Double(beats.count)
        let variance = (sumSquares - sum * sum / n) / (n - 1)
        return max(variance, 0).squareRoot()
    }

    /// Mean RR (ms).
    public var meanRR: Double? {
        beats.isEmpty ? nil : reference + sum / Double(beats.count)
    }

    /// DFA α1 over box sizes 4–16; nil when the window is too short.
    public var alpha1: Double? { beats.count >= 50 ? dfa.alpha1() : nil }

    /// DFA α1 as neurokit2 0.2.13 computes it (`fractal_dfa(scale=4…16)`, the value
    /// `hrv_nonlinear(dfa_windows=[(4,16),(17,None)])` reports): 50 % overlapping boxes starting
    /// at the window's first beat. O(window) on demand (prefix sums, the scratch buffer is
    /// preallocated), for researchers who compare with neurokit2 or Kubios-like tools.
    public mutating func alpha1Overlapping() -> Double? {
        let n = beats.count
        guard n >= 50 else { return nil }
        let mean = reference + sum / Double(n)
        // scratch[k] = integrated profile y[k-1]; prefix sums are built per box below.
        var y = 0.0
        scratch[0] = 0
        for k in 0..<n {
            y += beats[k].rr - mean
            scratch[k + 1] = y
        }
        var fit = LogLogSlope()
        for size in StreamingDFA.scales {
            let step = size / 2
            var total = 0.0
            var boxes = 0
            var start = 0
            while start < n - size {
                var sv = 0.0, svv = 0.0, stv = 0.0
                let origin = scratch[start + 1]
                for t in 0..<size {
                    let v = scratch[start + 1 + t] - origin
                    sv += v
                    svv += v * v
                    stv += Double(t) * v
                }
                let variance = StreamingDFA.residual(n: size, sv: sv, svv: svv, stv: stv) / Double(size)
                if variance > 1e-8 {
                    total += variance
                    boxes += 1
                }
                start += step
            }
            guard boxes > 0 else { continue }
            fit.add(scale: size, logFluctuation: 0.5 * Double.log(total / Double(boxes)))
        }
        return fit.slope
    }

    /// Forgets everything (after a gap: beats on either side are not successive).
    public mutating func reset() {
        beats.removeAll()
        clock = 0
        sum = 0
        sumSquares = 0
        successiveSquares = 0
        previous = nil
        dfa.reset()
    }

    private mutating func dropOldest() {
        guard let old = beats.popFirst() else { return }
        let x = old.rr - reference
        sum -= x
        sumSquares -= x * x
        if let next = beats.first {
            let d = next.rr - old.rr
            successiveSquares -= d * d
        }
    }

    /// Recomputes the sums from the ring around a fresh reference (bounds float drift).
    private mutating func rebase() {
        sinceRebase = 0
        guard let first = beats.first else { return }
        reference = first.rr
        sum = 0
        sumSquares = 0
        successiveSquares = 0
        for i in 0..<beats.count {
            let x = beats[i].rr - reference
            sum += x
            sumSquares += x * x
            if i > 0 {
                let d = beats[i].rr - beats[i - 1].rr
                successiveSquares += d * d
            }
        }
    }
}
