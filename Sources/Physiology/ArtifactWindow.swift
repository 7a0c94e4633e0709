/// Beat quality over the last `seconds` of sample time: the percentage of RR beats the gate
/// rejected (PHYSIOLOGY.md: count rejects over a 2-min window), and of beats that repeat the
/// previous accepted interval exactly — a source that re-sends its last interval (two Garmin
/// Edge recordings here repeat 72–85 % of their intervals) gives a series that is not beat to
/// beat, which no artifact gate sees. O(1) amortised per beat, fixed storage.
public struct ArtifactWindow: Sendable {
    /// Window length in seconds.
    public let seconds: Double
    private var beats: FixedRing<(time: Double, rejected: Bool, repeated: Bool)>
    private var rejected = 0
    private var repeated = 0

    /// Two accepted intervals closer than this (ms) are the same reading: BLE heart-rate
    /// straps send RR in 1/1024 s (0.98 ms), so distinct readings differ by more.
    public static let repeatToleranceMilliseconds = 0.5

    /// Whether `rr` repeats `previous` (both ms; false without a previous beat).
    public static func repeats(_ rr: Double, previous: Double?) -> Bool {
        guard let previous else { return false }
        return abs(rr - previous) < repeatToleranceMilliseconds
    }

    /// A window of `seconds` holding at most `capacity` beats (older beats fall out early).
    public init(seconds: Double = 120, capacity: Int = 1024) {
        self.seconds = seconds
        beats = FixedRing(capacity: capacity, filler: (0, false, false))
    }

    /// Records one beat's verdict at `time`: rejected by the gate, or accepted and `repeated`
    /// (equal to the previous accepted interval, `repeats(_:previous:)`).
    public mutating func record(rejected isRejected: Bool, repeated isRepeated: Bool = false, at time: Double) {
        if let dropped = beats.push((time, isRejected, isRepeated)) { forget(dropped) }
        if isRejected { rejected += 1 }
        if isRepeated { repeated += 1 }
        while let first = beats.first, time - first.time >= seconds {
            beats.popFirst()
            forget(first)
        }
    }

    private mutating func forget(_ beat: (time: Double, rejected: Bool, repeated: Bool)) {
        if beat.rejected { rejected -= 1 }
        if beat.repeated { repeated -= 1 }
    }

    /// Rejected beats in the window, in percent (0 with no beats).
    public var percent: Double {
        beats.count > 0 ? 100 * Double(rejected) / Double(beats.count) : 0
    }

    /// Beats in the window that repeated the previous accepted interval, in percent (0 with no beats).
    public var repeatedPercent: Double {
        beats.count > 0 ? 100 * Double(repeated) / Double(beats.count) : 0
    }

    /// Beats in the window.
    public var count: Int { beats.count }

    /// Whether the window's beats are beat to beat: at most `maximumRepeatedPercent` repeated
    /// (else RMSSD and SDNN mean nothing).
    public func isBeatToBeat(maximumRepeatedPercent: Double) -> Bool {
        repeatedPercent <= maximumRepeatedPercent
    }

    /// Whether the window's beats can carry α1: beat to beat, and at most
    /// `maximumArtifactPercent` rejected.
    public func isClean(maximumArtifactPercent: Double, maximumRepeatedPercent: Double) -> Bool {
        percent <= maximumArtifactPercent && isBeatToBeat(maximumRepeatedPercent: maximumRepeatedPercent)
    }

    /// Empties the window.
    public mutating func reset() {
        beats.removeAll()
        rejected = 0
        repeated = 0
    }
}
