/// A class with its confidence and the features that decided it, so every label explains itself.
public struct ClassDecision: Sendable, Equatable {
    /// The reported class (`unclassified` when confidence is below the threshold).
    public var sessionClass: SessionClass
    /// Confidence in [0, 1] of the best class.
    public var confidence: Double
    /// Scores per class in [0, 1] before the threshold (resistance, endurance, hiit).
    public var scores: [SessionClass: Double]
    /// The features the decision used, by name.
    public var features: [String: Double]
}
