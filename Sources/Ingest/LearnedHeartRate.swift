/// What the daemon has learned of one athlete's heart over their sessions: the highest clean
/// 5-s HR and the lowest clean 1-min mean, each with the session it came from and when. The
/// next session of that athlete, on any strap, starts from them.
public struct LearnedHeartRate: Codable, Sendable, Equatable {
    /// One learned value.
    public struct Value: Codable, Sendable, Equatable {
        /// bpm.
        public var bpm: Double
        /// The session it came from, and that session's end (ISO 8601 UTC).
        public var session: String
        public var at: String

        public init(bpm: Double, session: String, at: String) {
            self.bpm = bpm
            self.session = session
            self.at = at
        }
    }

    /// The highest clean 5-s HR seen (observed HRmax).
    public var maximum: Value?
    /// The lowest clean 1-min mean HR seen (observed HRrest).
    public var resting: Value?

    public init(maximum: Value? = nil, resting: Value? = nil) {
        self.maximum = maximum
        self.resting = resting
    }

    /// Folds in a finished session's observations; true when something was learned (a higher
    /// maximum or a lower resting value than known).
    public mutating func learn(from record: SessionRecord) -> Bool {
        guard let observed = record.observed else { return false }
        var changed = false
        if let bpm = observed.hrMax, bpm > (maximum?.bpm ?? 0) {
            maximum = Value(bpm: bpm, session: record.id, at: record.end)
            changed = true
        }
        if let bpm = observed.hrRest, bpm < (resting?.bpm ?? .infinity) {
            resting = Value(bpm: bpm, session: record.id, at: record.end)
            changed = true
        }
        return changed
    }
}
