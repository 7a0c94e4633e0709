/// The structure of a stretch of heart rate, accumulated in O(1): intensity, oscillation around
/// the 2-min trend, and the work bouts with their amplitudes, peaks, troughs, work and rest.
///
/// With a finite `memory` (s) every total decays by `e^(−Δt/memory)`, so the stats describe
/// roughly the last `memory` seconds (the windowed classifier behind segments); with an
/// infinite memory they describe the whole session.
public struct StructureStats: Sendable, Equatable {
    /// Decay time constant in seconds (`.infinity` for no decay).
    public let memory: Double

    public private(set) var seconds = 0.0
    private var reserveSeconds = 0.0
    private var oscillationSquares = 0.0
    private var vigorousSeconds = 0.0
    private var highSeconds = 0.0
    public private(set) var bouts = 0.0
    private var amplitudeSum = 0.0
    private var peakSum = 0.0
    private var troughSum = 0.0
    private var workSum = 0.0
    private var climbSum = 0.0
    private var restSum = 0.0
    private var restCount = 0.0
    private var highPeaks = 0.0
    private var risingSeconds = 0.0
    private var periods = PeriodSums()
    /// The small bouts (sets of a light session), counted beside the bouts.
    private var small = SmallBoutSeries()
    /// Seconds since the stats began (not decayed): the clock the climb is measured on.
    private var elapsed = 0.0
    /// Time-weighted sums of t, t², level, level² and t · level, for the climb (the correlation
    /// of the lag-free 2-min level with time: the lagging trend would still be catching up with
    /// the first minutes of any effort, so every short walk would seem to climb).
    private var timeSum = 0.0
    private var timeSquares = 0.0
    private var levelSum = 0.0
    private var levelSquares = 0.0
    private var timeLevelSum = 0.0
    /// Highest 2-min mean intensity (fraction of HRR) seen (not decayed).
    public private(set) var sustainedPeak = 0.0

    /// Empty stats with the given memory.
    public init(memory: Double = .infinity) { self.memory = memory }

    /// Folds in `dt` seconds at intensity `x` (6-s HR as fraction of HRR), with `trend` the 2-min
    /// mean (same units, for the sustained peak), `level` the lag-free 2-min trend the
    /// oscillation is measured around, `y` = HR/HRmax, and `rising` whether the 1-min HR rose.
    mutating func add(x: Double, trend: Double, level: Double, y: Double, rising: Bool, dt: Double, highFraction: Double) {
        if memory.isFinite && dt > 0 { decay(Double.exp(-dt / memory)) }
        seconds += dt
        reserveSeconds += x * dt
        let d = x - level
        oscillationSquares += d * d * dt
        if x >= 0.6 { vigorousSeconds += dt }
        if y >= highFraction { highSeconds += dt }
        if rising { risingSeconds += dt }
        sustainedPeak = max(sustainedPeak, trend)
        elapsed += dt
        timeSum += elapsed * dt
        timeSquares += elapsed * elapsed * dt
        levelSum += level * dt
        levelSquares += level * level * dt
        timeLevelSum += elapsed * level * dt
    }

    /// Counts one bout (`amplitude`, `peak`, `trough` as fractions of HRR), with `period` the
    /// seconds since the previous bout's peak (nil for the first), `work` the seconds from its
    /// trough to its peak and `climb` from its onset to its peak (`work` when not given).
    mutating func add(amplitude: Double, peak: Double, trough: Double, peakIsHigh: Bool, work: Double, rest: Double?,
                      period: Double? = nil, climb: Double? = nil) {
        bouts += 1
        amplitudeSum += amplitude
        peakSum += peak
        troughSum += trough
        workSum += work
        climbSum += climb ?? work
        if peakIsHigh { highPeaks += 1 }
        if let rest {
            restSum += rest
            restCount += 1
        }
        if let period { periods.add(period) }
    }

    /// Counts one bout of a `BoutDetector` (HR in bpm), as fractions of `reference`'s reserve;
    /// a high peak reaches `highPeakFraction` of HRmax.
    mutating func add(_ bout: BoutDetector.Bout, reference: HeartRateReference, highPeakFraction: Double, period: Double?) {
        add(amplitude: bout.amplitude(over: reference.reserve), peak: reference.reserveFraction(bout.peak),
            trough: reference.reserveFraction(bout.trough), peakIsHigh: bout.peak / reference.maximum >= highPeakFraction,
            work: bout.workSeconds, rest: bout.restBefore, period: period, climb: bout.climbSeconds)
    }

    /// Counts one small bout (`SmallBoutSeries`): `peak` as a fraction of HRR, `period` the
    /// seconds since the previous small bout's peak (nil for the first).
    mutating func addSmallBout(peak: Double, period: Double?) {
        small.add(peak: peak, period: period)
    }

    private mutating func decay(_ f: Double) {
        small.decay(f)
        seconds *= f
        reserveSeconds *= f
        oscillationSquares *= f
        vigorousSeconds *= f
        highSeconds *= f
        bouts *= f
        amplitudeSum *= f
        peakSum *= f
        troughSum *= f
        workSum *= f
        climbSum *= f
        restSum *= f
        restCount *= f
        highPeaks *= f
        risingSeconds *= f
        periods.decay(f)
        timeSum *= f
        timeSquares *= f
        levelSum *= f
        levelSquares *= f
        timeLevelSum *= f
    }

    /// The stats of the stretch between an earlier snapshot `start` and this one (both without
    /// decay), with `peak` as the stretch's sustained peak.
    func since(_ start: StructureStats, peak: Double) -> StructureStats {
        var d = StructureStats()
        d.seconds = seconds - start.seconds
        d.reserveSeconds = reserveSeconds - start.reserveSeconds
        d.oscillationSquares = oscillationSquares - start.oscillationSquares
        d.vigorousSeconds = vigorousSeconds - start.vigorousSeconds
        d.highSeconds = highSeconds - start.highSeconds
        d.bouts = bouts - start.bouts
        d.amplitudeSum = amplitudeSum - start.amplitudeSum
        d.peakSum = peakSum - start.peakSum
        d.troughSum = troughSum - start.troughSum
        d.workSum = workSum - start.workSum
        d.climbSum = climbSum - start.climbSum
        d.restSum = restSum - start.restSum
        d.restCount = restCount - start.restCount
        d.highPeaks = highPeaks - start.highPeaks
        d.risingSeconds = risingSeconds - start.risingSeconds
        d.periods = periods.since(start.periods)
        d.small = small.since(start.small)
        d.elapsed = elapsed - start.elapsed
        d.timeSum = timeSum - start.timeSum
        d.timeSquares = timeSquares - start.timeSquares
        d.levelSum = levelSum - start.levelSum
        d.levelSquares = levelSquares - start.levelSquares
        d.timeLevelSum = timeLevelSum - start.timeLevelSum
        d.sustainedPeak = peak
        return d
    }

    /// The features a class decision reads.
    public var features: ClassFeatures {
        let t = max(seconds, 1e-9)
        let fit = climbFit
        let b = max(bouts, 1e-9)
        return ClassFeatures(
            activeSeconds: seconds,
            meanReserveFraction: reserveSeconds / t,
            oscillation: (oscillationSquares / t).squareRoot(),
            vigorousFraction: vigorousSeconds / t,
            highFraction: highSeconds / t,
            sustainedPeak: sustainedPeak,
            bouts: bouts,
            boutsPerTenMinutes: bouts / (t / 600),
            meanBoutAmplitude: bouts > 0 ? amplitudeSum / b : 0,
            meanBoutPeak: bouts > 0 ? peakSum / b : 0,
            meanBoutTrough: bouts > 0 ? troughSum / b : 0,
            highPeakBoutFraction: bouts > 0 ? highPeaks / b : 0,
            meanWorkSeconds: bouts > 0 ? workSum / b : 0,
            meanClimbSeconds: bouts > 0 ? climbSum / b : 0,
            meanRestSeconds: restCount > 0 ? restSum / restCount : 0,
            risingFraction: risingSeconds / t,
            periodVariation: periods.variation,
            meanPeriodSeconds: periods.mean,
            climb: fit.correlation, climbRise: fit.rise,
            smallBouts: small.count, smallBoutsPerTenMinutes: small.count / (t / 600),
            meanSmallBoutPeak: small.meanPeak, smallPeriodVariation: small.periodVariation)
    }

    /// A climb needs 10 minutes to have a direction: a few sets or one hill rise and fall
    /// within less (H).
    public static let climbMinimumSeconds = 600.0

    /// The straight-line fit of the lag-free 2-min level against time over the stretch:
    /// `correlation` in [−1, 1] (a graded test or a session that builds near 1, a seated stress
    /// protocol settling from its anticipatory start negative) and `rise`, the fit's slope times
    /// the span of the time weights (√12 · sd, the whole stretch without decay) in HRR (a graded
    /// test rises 0.2–0.4; the drift of a walk or a seated afternoon, a few hundredths, however
    /// steadily). Both 0 while the level has not moved, or for a stretch under
    /// `climbMinimumSeconds`.
    private var climbFit: (correlation: Double, rise: Double) {
        guard seconds >= Self.climbMinimumSeconds else { return (0, 0) }
        let mt = timeSum / seconds
        let mx = levelSum / seconds
        let vt = timeSquares / seconds - mt * mt
        let vx = levelSquares / seconds - mx * mx
        // A level that moved less than 1 % HRR (sd) has no direction to speak of.
        guard vt > 0, vx > 1e-4 else { return (0, 0) }
        let covariance = timeLevelSum / seconds - mt * mx
        return (min(max(covariance / (vt * vx).squareRoot(), -1), 1), covariance / vt * (12 * vt).squareRoot())
    }
}
