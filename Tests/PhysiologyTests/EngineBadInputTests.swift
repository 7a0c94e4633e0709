import Testing
import TestSupport
@testable import Physiology

/// Random and hostile streams: the engine never crashes, never emits a non-finite number,
/// keeps artifact % in [0, 100] and TRIMP monotone in time.
@Suite struct EngineBadInputTests {
    static func check(_ s: SessionSummary) {
        let numbers: [Double?] = [s.start, s.end, s.meanHeartRate, s.maximumHeartRate, s.banisterTRIMP, s.edwardsTRIMP,
                                  s.rmssd, s.sdnn, s.alpha1Mean, s.alpha1Minimum, s.decision.confidence,
                                  s.load.luciaTRIMP, s.load.acuteLoadPeak, s.load.boutDrop30, s.load.boutDrop60,
                                  s.load.recoveryAfterWork, s.reference.maximum, s.reference.resting]
        for case let v? in numbers { #expect(v.isFinite, "non-finite output in \(s)") }
        for (_, v) in s.decision.features.named { #expect(v.isFinite) }
        for (_, v) in s.decision.scores.named { #expect(v >= 0 && v <= 1) }
        #expect(s.end >= s.start)
    }

    @Test func hostileValuesAreRejectedAndCounted() throws {
        var engine = PhysiologyEngine(profile: AthleteProfile(age: 30))
        var events: [EngineEvent] = []
        var t = 1_700_000_000.0
        let hostile: [Double] = [.nan, .infinity, -.infinity, -80, 0, 255, 900]
        for i in 0..<4000 {
            let hr: Double = i % 50 == 0 ? hostile[(i / 50) % hostile.count] : 150
            let rr: [Double] = i % 37 == 0 ? [.nan, -400, 0, .infinity] : [400]
            engine.ingest(time: t, heartRate: hr, rrIntervals: rr) { events.append($0) }
            t += i % 400 == 399 ? -30 : 1  // the clock steps back now and then
        }
        engine.ingest(time: .nan, heartRate: 150, rrIntervals: [Double]()) { events.append($0) }
        for _ in 0..<60 {  // a strap reporting 255 bpm for a minute
            engine.ingest(time: t, heartRate: 255, rrIntervals: [Double]()) { events.append($0) }
            t += 1
        }
        engine.finish { events.append($0) }
        #expect(engine.rejectedSamples >= 60 + 4000 / 50)
        let summaries = events.compactMap { if case .sessionEnded(let s) = $0 { s } else { nil } }
        try #require(summaries.count == 1, "the session continues through bad samples")
        Self.check(summaries[0])
        #expect(summaries[0].maximumHeartRate < 200, "255 bpm never reached the engine")
        #expect(engine.beatCounts.rejected >= 4 * (4000 / 37))
    }

    /// A timestamp of 1e19 (or -1e19) is outside what Double time resolves: rejected at once,
    /// and the session around it goes on (before, a minute walk from 1e19 never ended).
    @Test func farOffTimesAreRejectedAndTheSessionGoesOn() throws {
        var engine = PhysiologyEngine(profile: AthleteProfile(age: 30))
        var events: [EngineEvent] = []
        var t = 1_700_000_000.0
        for i in 0..<1800 {
            let time = i == 900 ? 1e19 : i == 901 ? -1e19 : i == 902 ? 2.6e11 : t
            engine.ingest(time: time, heartRate: 150, rrIntervals: [400.0]) { events.append($0) }
            t += 1
        }
        engine.finish { events.append($0) }
        #expect(engine.rejectedSamples == 3)
        let summaries = events.compactMap { if case .sessionEnded(let s) = $0 { s } else { nil } }
        try #require(summaries.count == 1)
        #expect(summaries[0].end < 1_700_002_000)
    }

    @Test func randomStreamsKeepTheInvariants() {
        var rng = SplitMix64(seed: 0xBEEF)
        for round in 0..<40 {
            var engine = PhysiologyEngine(profile: AthleteProfile(age: Int.random(in: 15...80, using: &rng)))
            var t = 1_700_000_000.0
            var level = 70.0
            var summaries: [SessionSummary] = []
            for _ in 0..<Int.random(in: 100...6000, using: &rng) {
                level = min(max(level + Double.random(in: -6...6, using: &rng), 40), 200)
                let hr: Double? = Bool.random(using: &rng) || round % 3 == 0 ? level : nil
                var rr: [Double] = []
                if round % 2 == 0 {
                    for _ in 0..<Int.random(in: 0...3, using: &rng) {
                        rr.append(Int.random(in: 0..<20, using: &rng) == 0 ? Double.random(in: -500...5000, using: &rng) : 60_000 / level)
                    }
                }
                engine.ingest(time: t, heartRate: hr, rrIntervals: rr) { if case .sessionEnded(let s) = $0 { summaries.append(s) } }
                let reading = engine.hrvReading()
                #expect(reading.artifactPercent >= 0 && reading.artifactPercent <= 100)
                for case let v? in [reading.rmssd, reading.sdnn, reading.alpha1] { #expect(v.isFinite) }
                t += Int.random(in: 0..<500, using: &rng) == 0 ? Double.random(in: 600...7200, using: &rng) : Double.random(in: 0.2...2, using: &rng)
            }
            engine.finish { if case .sessionEnded(let s) = $0 { summaries.append(s) } }
            for s in summaries {
                Self.check(s)
                #expect(s.banisterTRIMP >= 0)
            }
        }
    }

    @Test func trimpIsMonotoneInTime() {
        var f = SessionFeatures()
        let ref = HeartRateReference(maximum: 190, resting: 60)
        var rng = SplitMix64(seed: 5)
        var previous = (0.0, 0.0, 0.0)
        for _ in 0..<10_000 {
            let hr = Double.random(in: 40...200, using: &rng)
            f.add(hr: hr, fast: hr, dt: Double.random(in: 0...5, using: &rng), reference: ref,
                  banister: (0.64, 1.92), constants: EngineConstants())
            #expect(f.banisterTRIMP >= previous.0 && f.edwardsTRIMP >= previous.1 && f.luciaTRIMP >= previous.2)
            previous = (f.banisterTRIMP, f.edwardsTRIMP, f.luciaTRIMP)
        }
    }

    @Test func heartRateOnlyHasNoHRVAndSaysSo() throws {
        let events = PhysiologyEngineTests.run(PhysiologyEngineTests.curve([(600, { _ in 62 }), (1800, { _ in 150 })]))
        let s = try #require(PhysiologyEngineTests.summaries(events).first)
        #expect(s.inputs == SessionInputs(heartRate: true, rrIntervals: false))
        #expect(s.rmssd == nil && s.sdnn == nil && s.alpha1Mean == nil)
    }
}

@Suite struct LoadTests {
    @Test func zonesLuciaAndAcuteLoad() {
        var f = SessionFeatures()
        let ref = HeartRateReference(maximum: 200, resting: 60)  // VT1 151, VT2 179 (65/85 % HRR)
        for (hr, seconds) in [(100.0, 600), (160.0, 600), (190.0, 600)] {
            for _ in 0..<seconds {
                f.add(hr: hr, fast: hr, dt: 1, reference: ref, banister: (0.64, 1.92), constants: EngineConstants())
            }
        }
        #expect(f.luciaZoneSeconds == (600, 600, 600))
        #expect(abs(f.luciaTRIMP - (10 + 20 + 30)) < 1e-9)
        #expect(f.reserveZoneSeconds.light == 600 && f.reserveZoneSeconds.vigorous == 1200)
        #expect(f.acuteLoadPeak > 0 && f.acuteLoadPeak <= f.banisterTRIMP)
        // Banister: 10 min at x = 0.5 for men = 10 · 0.5 · 0.64 · e^0.96
        var g = SessionFeatures()
        for _ in 0..<600 { g.add(hr: 130, fast: 130, dt: 1, reference: ref, banister: (0.64, 1.92), constants: EngineConstants()) }
        #expect(abs(g.banisterTRIMP - 10 * 0.5 * 0.64 * 2.611696473423118) < 1e-6)
    }

    @Test func artifactWindowForgetsAfterTwoMinutes() {
        var w = ArtifactWindow()
        for i in 0..<100 { w.record(rejected: i % 10 == 0, at: Double(i)) }
        #expect(w.percent == 10)
        for i in 100..<400 { w.record(rejected: false, at: Double(i)) }
        #expect(w.percent == 0)
        #expect(w.count == 120)
    }
}
