/// The live label of a running session, with hysteresis: a new windowed label must win
/// `confirmChecks` checks in a row before it replaces the stable one (a `classChanged` event);
/// once a class stands, only another class replaces it.
/// O(1) per check, no allocation. The session's segments at its end come from `MinuteLog`.
struct ClassSegmenter: Sendable {
    /// Checks in a row a new label needs (H).
    static let confirmChecks = 3

    private(set) var stable = SessionClass.unclassified
    private var candidate = SessionClass.unclassified
    private var candidateChecks = 0

    /// Observes the windowed label of one check; returns the change (from, to) when the stable
    /// label changed.
    mutating func observe(_ label: SessionClass) -> (SessionClass, SessionClass)? {
        // Once labelled, an unsure check is no evidence for another class: the live label holds
        // rather than flickering back to "classifying…" whenever a window falls below the threshold.
        if label == stable || label == .unclassified && stable != .unclassified {
            candidateChecks = 0
            return nil
        }
        if label == candidate && candidateChecks > 0 {
            candidateChecks += 1
        } else {
            candidate = label
            candidateChecks = 1
        }
        guard candidateChecks >= Self.confirmChecks else { return nil }
        let from = stable
        stable = candidate
        candidateChecks = 0
        return (from, stable)
    }
}
