/// Artifact percentage of RR beats over the last `seconds` of sample time (PHYSIOLOGY.md: count
/// rejects over a 2-min window). O(1) amortised per beat, fixed storage.
public struct ArtifactWindow: Sendable {
    /// Window length in seconds.
    public let seconds: Double
    private var beats: FixedRing<(time: Double, rejected: Bool)>
    private var rejected = 0

    /// A window of `seconds` holding at most `capacity` beats (older beats fall out early).
    public init(seconds: Double = 120, capacity: Int = 1024) {
        self.seconds = seconds
        beats = FixedRing(capacity: capacity, filler: (0, false))
    }

    /// Records one beat's verdict at `time`.
    public mutating func record(rejected isRejected: Bool, at time: Double) {
        if let dropped = beats.push((time, isRejected)), dropped.rejected { rejected -= 1 }
        if isRejected { rejected += 1 }
        while let first = beats.first, time - first.time >= seconds {
            beats.popFirst()
            if first.rejected { rejected -= 1 }
        }
    }

    /// Rejected beats in the window, in percent (0 with no beats).
    public var percent: Double {
        beats.count > 0 ? 100 * Double(rejected) / Double(beats.count) : 0
    }

    /// Beats in the window.
    public var count: Int { beats.count }

    /// Empties the window.
    public mutating func reset() {
        beats.removeAll()
        rejected = 0
    }
}
