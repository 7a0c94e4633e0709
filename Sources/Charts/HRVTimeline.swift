import Physiology

/// DFA α1 and artifact % over a recording's RR intervals, every `step` seconds, as the engine
/// computes them live (its 2-min window, its artifact gate; α1 is nil where the artifacts pass
/// the engine's limit): the data of a session chart's RR panel.
public struct HRVTimeline {
    /// One reading.
    public struct Point: Sendable, Equatable {
        public var time: Double
        public var alpha1: Double?
        public var artifactPercent: Double
    }

    public private(set) var points: [Point] = []
    private var engine = PhysiologyEngine()
    private var next: Double? = nil
    private let step: Double

    /// A timeline reading every `step` seconds.
    public init(step: Double = 5) { self.step = step }

    /// Feeds one sample (Unix s, bpm, RR ms) in time order; samples without RR move time only.
    public mutating func add(time: Double, heartRate: Double?, rrIntervals: [Double]) {
        engine.ingest(time: time, heartRate: heartRate, rrIntervals: rrIntervals) { _ in }
        guard !rrIntervals.isEmpty else { return }
        if next == nil { next = time + step }
        guard let due = next, time >= due else { return }
        next = time + step
        let r = engine.hrvReading()
        guard r.beats > 0 else { return }
        points.append(Point(time: time, alpha1: r.alpha1, artifactPercent: r.artifactPercent))
    }
}
