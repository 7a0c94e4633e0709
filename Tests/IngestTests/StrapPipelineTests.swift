import HeartRateWire
import Ingest
import Physiology
import Testing
import Traces

/// A pipeline knows who wears its strap: the session carries the athlete, the engine starts
/// from what was learned of them, and a strap that changes hands does so between sessions.
@Suite struct StrapPipelineTests {
    final class Collector: PipelineSink {
        var ended: [SessionRecord] = []
        var started: [String?] = []
        func receive(_ event: PipelineEvent) {
            if case .sessionEnded(let r) = event { ended.append(r) }
            if case .sessionStarted(_, _, _, let athlete) = event { started.append(athlete) }
        }
    }

    static let strap = DeviceAddress("A0:9E:1A:00:00:01")!

    /// A workout at 1 Hz from `t0`: 5 min at 62 bpm, 20 min alternating 150/170 bpm, 15 min at 66.
    static func workout(_ pipeline: StrapPipeline, from t0: Double, peak: Double = 170) {
        for s in 0..<(40 * 60) {
            let hr: Double = s < 300 ? 62 : s < 1500 ? ((s / 60) % 2 == 0 ? 150 : peak) : 66
            pipeline.handle(.sample(TraceSample(time: t0 + Double(s), heartRate: UInt16(hr), rrIntervals: RRIntervals([60_000 / hr]))))
        }
    }

    @Test func sessionsCarryTheirWearerAndWhatTheEngineObservedOfThem() throws {
        let sink = Collector()
        let pipeline = StrapPipeline(device: Self.strap, profile: AthleteProfile(), sinks: [sink])
        let anna = Athlete(id: "anna", profile: AthleteProfile(age: 30))
        pipeline.wearer = { _ in (anna, nil) }
        pipeline.updateWearer()
        Self.workout(pipeline, from: 1_800_000_000)
        pipeline.finish()
        let record = try #require(sink.ended.first)
        #expect(record.athlete == "anna" && sink.started == ["anna"])
        let observed = try #require(record.observed)
        #expect((165...171).contains(observed.hrMax ?? 0), "the highest clean 5-s HR: \(observed)")
        #expect((61...67).contains(observed.hrRest ?? 0), "the lowest clean 1-min mean: \(observed)")
        #expect(record.reference.hrMax == 187, "Tanaka at 30: 208 − 21 (the 170 bpm peak stays below)")
        #expect(!record.assumptions.contains { $0.contains("earlier sessions") }, "nothing learned before")
    }

    @Test func theNextSessionStartsFromWhatWasLearnedAndSaysSo() throws {
        let sink = Collector()
        let pipeline = StrapPipeline(device: Self.strap, profile: AthleteProfile(), sinks: [sink])
        let learned = LearnedHeartRate(maximum: .init(bpm: 196, session: "20261201T080000Z-A09E1A000001", at: "2026-12-01T09:00:00Z"),
                                       resting: .init(bpm: 48, session: "20261130T080000Z-A09E1A000001", at: "2026-11-30T09:00:00Z"))
        pipeline.wearer = { _ in (Athlete(id: "anna", profile: AthleteProfile(age: 30)), learned) }
        pipeline.updateWearer()
        Self.workout(pipeline, from: 1_800_000_000)
        pipeline.finish()
        let record = try #require(sink.ended.first)
        #expect(record.reference.hrMax == 196, "a learned HRmax above the prediction is in force from the start")
        #expect(record.reference.hrRest == 48, "so is a learned HRrest")
        #expect(record.assumptions.contains { $0.contains("athlete anna") && $0.contains("HRmax 196") })
    }

    @Test func aStrapThatChangesHandsDuringASessionDoesSoWhenItEnds() throws {
        let sink = Collector()
        let pipeline = StrapPipeline(device: Self.strap, profile: AthleteProfile(), sinks: [sink])
        var wearer = Athlete(id: "anna")
        pipeline.wearer = { _ in (wearer, nil) }
        pipeline.updateWearer()
        let t0 = 1_800_000_000.0
        // Ten minutes into anna's workout the strap is given to ben.
        for s in 0..<(40 * 60) {
            if s == 900 {
                wearer = Athlete(id: "ben", profile: AthleteProfile(age: 60))
                pipeline.updateWearer()
                #expect(pipeline.athlete?.id == "anna", "not in the middle of anna's session")
            }
            let hr: Double = s < 300 ? 62 : s < 1500 ? 180 : 66
            pipeline.handle(.sample(TraceSample(time: t0 + Double(s), heartRate: UInt16(hr), rrIntervals: RRIntervals([60_000 / hr]))))
        }
        Self.workout(pipeline, from: t0 + 3 * 3600, peak: 160)
        pipeline.finish()
        #expect(sink.ended.map(\.athlete) == ["anna", "ben"])
        #expect(sink.ended.last?.reference.hrMax == 166, "ben's own HRmax (Tanaka at 60: 166), not one raised by anna's 180")
    }
}

/// What a live display showed is kept with the session: each `classChanged`, when it came.
@Suite struct ProvisionalLabelTests {
    @Test func aSessionKeepsTheLabelsItHadWhileItRan() throws {
        let sink = StrapPipelineTests.Collector()
        let pipeline = StrapPipeline(device: StrapPipelineTests.strap, profile: AthleteProfile(age: 30), sinks: [sink])
        StrapPipelineTests.workout(pipeline, from: 1_800_000_000)
        pipeline.finish()
        let record = try #require(sink.ended.first)
        let labels = try #require(record.provisionalLabels)
        #expect(!labels.isEmpty, "the 20-min interval block was labelled while it ran")
        #expect(zip(labels, labels.dropFirst()).allSatisfy { $0.afterSeconds <= $1.afterSeconds })
        #expect(labels.allSatisfy { $0.afterSeconds > 0 && $0.afterSeconds < record.durationSeconds + 900 }, "\(labels)")
        #expect(labels.allSatisfy { abs((ISO8601.parse($0.at) ?? 0) - (record.startUnix + $0.afterSeconds)) < 1 })
        #expect(JSONLines.line(record).contains("\"provisional_labels\":[{"))
    }
}
