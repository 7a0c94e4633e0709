import Ingest

/// One stored session in a list (`ingestctl sessions`): what a line shows, without the summary.
public struct SessionListing: Sendable, Equatable {
    public var id: String
    public var athlete: String?
    /// The class's name (`SessionClass` raw value).
    public var sessionClass: String
    /// Banister TRIMP.
    public var trimp: Double
    public var confidence: Double
    public var durationSeconds: Double
    public var meanHeartRate: Double

    public init(id: String, athlete: String?, sessionClass: String, trimp: Double, confidence: Double,
                durationSeconds: Double, meanHeartRate: Double) {
        self.id = id
        self.athlete = athlete
        self.sessionClass = sessionClass
        self.trimp = trimp
        self.confidence = confidence
        self.durationSeconds = durationSeconds
        self.meanHeartRate = meanHeartRate
    }

    /// The line of a decoded session.
    public init(_ r: SessionRecord) {
        self.init(id: r.id, athlete: r.athlete, sessionClass: r.class.rawValue, trimp: r.trimp.banister, confidence: r.confidence,
                  durationSeconds: r.durationSeconds, meanHeartRate: r.meanHr)
    }
}
