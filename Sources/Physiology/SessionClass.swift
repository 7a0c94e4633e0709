/// What kind of training a session (or a segment of one) is.
public enum SessionClass: String, Sendable, Equatable, CaseIterable, Codable {
    case resistance
    case endurance
    case hiit
    /// Not enough evidence for any class: reported instead of a guess.
    case unclassified
}
