import HeartRateWire

/// Receives every sample a strap pipeline folds in (before the engine sees it).
public protocol SampleSink: AnyObject {
    /// One sample: trace time, reported HR (nil without contact or value) and RR intervals (ms).
    func sample(time: Double, heartRate: UInt16?, rrIntervals: RRIntervals)
}
