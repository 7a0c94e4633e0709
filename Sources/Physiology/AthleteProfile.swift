/// What the engine knows about the person wearing the strap.
///
/// Everything is optional: missing values fall back to the published defaults of
/// PHYSIOLOGY.md (Tanaka 2001 for HRmax, 60 bpm for HRrest, male Banister constants), and the
/// summary says which defaults were used.
public struct AthleteProfile: Sendable, Equatable {
    /// Sex, selecting the Banister TRIMP constants.
    public enum Sex: String, Sendable, Equatable { case female, male }

    /// Age in years.
    public var age: Int?
    /// Sex.
    public var sex: Sex?
    /// A known resting heart rate in bpm (overrides the observed one).
    public var restingHeartRate: Double?
    /// A known maximum heart rate in bpm (a floor: a higher clean observed value wins).
    public var maximumHeartRate: Double?

    /// Known ventilatory thresholds as HR (bpm), e.g. from a lab test.
    public var firstVentilatoryThreshold: Double?
    public var secondVentilatoryThreshold: Double?

    /// Creates a profile.
    public init(age: Int? = nil, sex: Sex? = nil, restingHeartRate: Double? = nil, maximumHeartRate: Double? = nil,
                firstVentilatoryThreshold: Double? = nil, secondVentilatoryThreshold: Double? = nil) {
        self.age = age
        self.sex = sex
        self.restingHeartRate = restingHeartRate
        self.maximumHeartRate = maximumHeartRate
        self.firstVentilatoryThreshold = firstVentilatoryThreshold
        self.secondVentilatoryThreshold = secondVentilatoryThreshold
    }

    /// Age assumed when none is given (H): a middle value of the product's users.
    public static let assumedAge = 35
    /// HRrest used until a lower clean one-minute mean has been seen (PHYSIOLOGY.md).
    public static let defaultRestingHeartRate = 60.0

    /// HRmax predicted by Tanaka, Monahan & Seals 2001: 208 − 0.7 · age (SD ≈ 10 bpm).
    public var predictedMaximumHeartRate: Double {
        208 - 0.7 * Double(age ?? Self.assumedAge)
    }

    /// Banister TRIMP constants (a, b): men 0.64, 1.92; women 0.86, 1.67; unknown uses men's.
    public var banister: (a: Double, b: Double) {
        sex == .female ? (0.86, 1.67) : (0.64, 1.92)
    }
}
