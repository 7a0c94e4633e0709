/// Turns the per-minute windowed labels of a running session into stable segments with
/// hysteresis: a new label must win `confirmMinutes` checks in a row before it replaces the
/// stable one, and the segment boundary is backdated to when it first appeared. O(1) per check;
/// the segment list grows (allocates) only when the class changes — an event, not a sample.
struct ClassSegmenter: Sendable {
    /// Checks in a row a new label needs (H).
    static let confirmChecks = 3

    private(set) var stable = SessionClass.unclassified
    private var stableSince: Double
    private var stableConfidence = 0.0
    private var candidate = SessionClass.unclassified
    private var candidateSince = 0.0
    private var candidateChecks = 0
    private var candidateConfidence = 0.0
    private(set) var closed: [SessionSegment] = []
    private var closedConfidences: [Double] = []
    private var anyLabel = false

    init(start: Double) { stableSince = start }

    /// Observes the windowed label at `time` (checked every `interval` seconds); returns the
    /// change (from, to) when the stable label changed.
    mutating func observe(_ label: SessionClass, confidence: Double, at time: Double, interval: Double) -> (SessionClass, SessionClass)? {
        if label == stable {
            candidateChecks = 0
            stableConfidence = max(stableConfidence, confidence)
            return nil
        }
        if label == candidate && candidateChecks > 0 {
            candidateChecks += 1
            candidateConfidence = max(candidateConfidence, confidence)
        } else {
            candidate = label
            candidateSince = time - interval
            candidateChecks = 1
            candidateConfidence = confidence
        }
        guard candidateChecks >= Self.confirmChecks else { return nil }
        let from = stable
        if !anyLabel && stable == .unclassified {
            // The first label covers the session from its start.
            anyLabel = true
        } else {
            let boundary = max(candidateSince, stableSince)
            closed.append(SessionSegment(start: stableSince, end: boundary, sessionClass: stable))
            closedConfidences.append(stableConfidence)
            stableSince = boundary
        }
        stable = candidate
        stableConfidence = candidateConfidence
        candidateChecks = 0
        return (from, stable)
    }

    /// The segments up to `end` (the current one closed there), adjacent equal classes merged,
    /// with the best windowed confidence seen in each.
    func segments(end: Double) -> [(segment: SessionSegment, confidence: Double)] {
        var all = zip(closed, closedConfidences).map { ($0, $1) }
        all.append((SessionSegment(start: stableSince, end: end, sessionClass: stable), stableConfidence))
        var merged: [(segment: SessionSegment, confidence: Double)] = []
        for (s, c) in all where s.end > s.start && s.start < end {
            var s = s
            s.end = min(s.end, end)
            if let last = merged.last, last.segment.sessionClass == s.sessionClass {
                merged[merged.count - 1].segment.end = s.end
                merged[merged.count - 1].confidence = max(last.confidence, c)
            } else {
                merged.append((s, c))
            }
        }
        return merged
    }
}
