import Ingest
import Physiology
import Testing
import Traces

/// What a session shows of a person is kept only when it beats what was known.
@Suite struct LearnedHeartRateTests {
    /// A real session record (the engine's, from a synthetic workout) with `observed` set.
    static func record(_ id: String, max: Double?, rest: Double?) throws -> SessionRecord {
        final class Keep: PipelineSink {
            var record: SessionRecord?
            func receive(_ event: PipelineEvent) { if case .sessionEnded(let r) = event { record = r } }
        }
        let keep = Keep()
        let pipeline = StrapPipeline(device: StrapPipelineTests.strap, profile: AthleteProfile(), sinks: [keep])
        StrapPipelineTests.workout(pipeline, from: 1_800_000_000)
        pipeline.finish()
        var r = try #require(keep.record)
        r.id = id
        r.observed = SessionRecord.Observed(hrMax: max, hrRest: rest)
        return r
    }

    @Test func aHigherMaximumOrALowerRestIsLearnedWithItsSession() throws {
        var learned = LearnedHeartRate()
        let first = try Self.record("s1", max: 180, rest: 55)
        let learnedFirst = learned.learn(from: first)
        #expect(learnedFirst)
        #expect(learned.maximum == .init(bpm: 180, session: "s1", at: first.end))
        let second = learned.learn(from: try Self.record("s2", max: 175, rest: 58))
        #expect(!second, "nothing beaten: nothing learned")
        let third = learned.learn(from: try Self.record("s3", max: 186, rest: 60))
        #expect(third)
        #expect(learned.maximum?.session == "s3" && learned.resting?.session == "s1")
        let fourth = learned.learn(from: try Self.record("s4", max: nil, rest: nil))
        #expect(!fourth)
    }
}
