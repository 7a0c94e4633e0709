import Physiology

/// The JSON form of one stimulus index: value, unit, uncertainty, evidence grade, anchors,
/// caveats and heuristics, and a sentence for a person.
public struct StimulusRecord: Codable, Sendable, Equatable {
    public var index: String
    public var value: Double?
    public var unit: String
    public var interval: [Double]?
    public var peakFold: Double?
    public var evidenceGrade: String
    public var anchors: [Anchor]
    public var caveats: [String]
    public var heuristics: [String]
    public var sentence: String

    /// A published anchor.
    public struct Anchor: Codable, Sendable, Equatable {
        public var source: String
        public var measured: String
        public var values: String
    }

    enum CodingKeys: String, CodingKey {
        case index, value, unit, interval, anchors, caveats, heuristics, sentence
        case peakFold = "peak_fold", evidenceGrade = "evidence_grade"
    }

    /// The record of an index.
    public init(_ i: StimulusIndex) {
        index = i.key
        value = i.value
        unit = i.unit
        interval = i.interval.map { [$0.low, $0.high] }
        peakFold = i.peak
        evidenceGrade = i.evidence
        anchors = i.anchors.map { Anchor(source: $0.source, measured: $0.measured, values: $0.values) }
        caveats = i.caveats
        heuristics = i.heuristics
        sentence = i.sentence
    }
}
