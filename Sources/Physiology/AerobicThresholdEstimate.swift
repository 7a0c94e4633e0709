/// The heart rate at the first ventilatory threshold as a session's DFA α1 shows it: the mean
/// HR of the clean 2-min windows whose α1 lay near 0.75 (Rogers et al. 2021: α1 = 0.75 falls at
/// VT1, HR 154 vs 152 bpm by gas exchange; individual error ±10–16 bpm, Eronen et al. 2024).
///
/// Near is within `bandHalfWidth` of 0.75, about twice the window-to-window SD of α1 on clean
/// data (0.06, PHYSIOLOGY.md); the estimate needs a minute of windows on each side of 0.75 inside
/// the band, so a session that only brushed the threshold, or never left the easy range, gives
/// none. A kernel estimate of E[HR | α1 ≈ 0.75] rather than a regression line: α1 is flat at
/// 1.2–1.5 through easy work and flattens again near 0.3–0.5 above VT2, so a line over every
/// window extrapolates (a FatMaxxer log here gives 172 bpm by the line, above anything it
/// reached). O(1), no storage.
public struct AerobicThresholdEstimate: Sendable, Equatable {
    /// α1 at the first ventilatory threshold (Rogers et al. 2021).
    public static let alpha1AtFirstThreshold = 0.75
    /// How far from 0.75 a window's α1 may be and still count (H).
    public static let bandHalfWidth = 0.1
    /// Windows needed on each side of 0.75 within the band (H; α1 is sampled every 5 s, so 12 is a minute).
    public static let minimumWindowsPerSide = 12

    private var heartRateSum = 0.0
    private var below = 0
    private var above = 0

    public init() {}

    /// Folds in one clean window's α1 and its mean heart rate (bpm).
    public mutating func add(alpha1: Double, heartRate: Double) {
        guard alpha1.isFinite, heartRate.isFinite,
              abs(alpha1 - Self.alpha1AtFirstThreshold) <= Self.bandHalfWidth else { return }
        heartRateSum += heartRate
        if alpha1 < Self.alpha1AtFirstThreshold { below += 1 } else { above += 1 }
    }

    /// Windows counted (within the band).
    public var windows: Int { below + above }

    /// The estimate (bpm), nil until a minute of windows lies on each side of 0.75.
    public var heartRate: Double? {
        guard below >= Self.minimumWindowsPerSide, above >= Self.minimumWindowsPerSide else { return nil }
        return heartRateSum / Double(windows)
    }
}
