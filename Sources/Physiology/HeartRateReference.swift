/// The person's HRmax and HRrest in force for a sample, and the reserve between them.
public struct HeartRateReference: Sendable, Equatable {
    /// HRmax (bpm).
    public var maximum: Double
    /// HRrest (bpm).
    public var resting: Double
    /// First and second ventilatory thresholds as HR (bpm): given by the user, else at 65 % and
    /// 85 % of HRR (H).
    public var firstThreshold: Double
    public var secondThreshold: Double

    /// A reference; thresholds default to 65 % / 85 % HRR (H).
    public init(maximum: Double, resting: Double, firstThreshold: Double? = nil, secondThreshold: Double? = nil) {
        self.maximum = maximum
        self.resting = resting
        let reserve = max(maximum - resting, 20)
        self.firstThreshold = firstThreshold ?? resting + Self.defaultFirstThresholdFraction * reserve
        self.secondThreshold = secondThreshold ?? resting + Self.defaultSecondThresholdFraction * reserve
    }

    /// Default VT1 and VT2 as fractions of HRR (H, PHYSIOLOGY.md Lucia TRIMP).
    public static let defaultFirstThresholdFraction = 0.65
    public static let defaultSecondThresholdFraction = 0.85

    /// HRmax − HRrest, at least 20 bpm.
    public var reserve: Double { max(maximum - resting, 20) }

    /// `(HR − HRrest) / (HRmax − HRrest)`, clipped to [0, 1].
    public func reserveFraction(_ hr: Double) -> Double {
        min(max((hr - resting) / reserve, 0), 1)
    }
}
