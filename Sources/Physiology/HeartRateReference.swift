/// The person's HRmax and HRrest in force for a sample, and the reserve between them.
public struct HeartRateReference: Sendable, Equatable {
    /// HRmax (bpm).
    public var maximum: Double
    /// HRrest (bpm).
    public var resting: Double

    /// HRmax − HRrest, at least 20 bpm.
    public var reserve: Double { max(maximum - resting, 20) }

    /// `(HR − HRrest) / (HRmax − HRrest)`, clipped to [0, 1].
    public func reserveFraction(_ hr: Double) -> Double {
        min(max((hr - resting) / reserve, 0), 1)
    }
}
