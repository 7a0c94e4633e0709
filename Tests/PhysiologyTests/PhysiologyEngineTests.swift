import Foundation
import Testing
import TestSupport
@testable import Physiology

/// Synthetic 1 Hz heart-rate curves for the engine's session rules. Real recordings are
/// replayed by the Ingest and integration tests.
@Suite struct PhysiologyEngineTests {
    /// Runs `(time, hr)` samples through an engine and returns its events.
    static func run(_ samples: [(Double, Double)], profile: AthleteProfile = AthleteProfile(age: 30)) -> [EngineEvent] {
        var engine = PhysiologyEngine(profile: profile)
        var events: [EngineEvent] = []
        for (t, hr) in samples {
            engine.ingest(time: t, heartRate: hr, rrIntervals: [Double]()) { events.append($0) }
        }
        engine.finish { events.append($0) }
        return events
    }

    static func curve(from start: Double = 1_700_000_000, _ pieces: [(seconds: Int, hr: (Int) -> Double)]) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        var t = start
        for piece in pieces {
            for i in 0..<piece.seconds {
                out.append((t, piece.hr(i)))
                t += 1
            }
        }
        return out
    }

    static func summaries(_ events: [EngineEvent]) -> [SessionSummary] {
        events.compactMap { if case .sessionEnded(let s) = $0 { s } else { nil } }
    }

    @Test func aLongIdleRecordingHoldsNoSession() {
        let idle = Self.curve([(7200, { 62 + Double($0 % 7) })])
        #expect(Self.summaries(Self.run(idle)).isEmpty)
    }

    @Test func aFewStairsAreNotASession() {
        let day = Self.curve([(1800, { _ in 65 }), (90, { _ in 120 }), (1800, { _ in 66 }), (60, { _ in 125 }), (1800, { _ in 64 })])
        #expect(Self.summaries(Self.run(day)).isEmpty)
    }

    /// Wrist-read 30-s sprints: HR is up for about a minute after each, then four minutes of rest.
    static func sprints(_ count: Int, restSeconds: Int) -> [(Double, Double)] {
        var pieces: [(seconds: Int, hr: (Int) -> Double)] = [(600, { _ in 72 })]
        for _ in 0..<count {
            pieces.append((30, { 75 + 2 * Double($0) }))
            pieces.append((50, { _ in 135 }))
            pieces.append((40, { 135 - 1.5 * Double($0) }))
            pieces.append((restSeconds, { _ in 75 }))
        }
        return Self.curve(pieces)
    }

    /// A recording stopped at the top of the last sprint (as the PhysioNet sprint sessions are)
    /// never shows that sprint's fall; it still counts as a bout of the session. A recording that
    /// ends climbing slowly (a graded test stopped at exhaustion) gains no bout from its climb.
    @Test func aSprintTheRecordingEndsInIsStillABout() throws {
        var stopped = Self.sprints(3, restSeconds: 240)
        let t = stopped.last!.0
        for i in 1...60 { stopped.append((t + Double(i), 75 + Double(i))) }  // the fourth sprint, cut at its top
        let whole = Self.sprints(4, restSeconds: 240)
        let cut = try #require(Self.summaries(Self.run(stopped)).first)
        let seen = try #require(Self.summaries(Self.run(whole)).first)
        #expect(cut.decision.features.bouts == seen.decision.features.bouts, "\(cut.bouts.count) bouts")
        #expect(cut.bouts.count == Int(seen.decision.features.bouts))
        #expect(cut.bouts.last!.peak > 120, "the cut sprint's top, smoothed")

        // One sprint, then a second the recording stops in: too little for a session by its
        // active minutes, but the second bout confirms the candidate as its fall would have.
        var two = Self.sprints(1, restSeconds: 240)
        let u = two.last!.0
        for i in 1...60 { two.append((u + Double(i), 75 + Double(i))) }
        let short = try #require(Self.summaries(Self.run(two)).first, "the cut second sprint confirms the session")
        #expect(short.bouts.count == 2)
        #expect(Self.summaries(Self.run(Self.sprints(1, restSeconds: 240))).isEmpty, "one sprint alone is no session")

        // 10 easy minutes, then 25 minutes climbing from 100 to 175 bpm, where the file ends.
        let graded = Self.curve([(600, { _ in 100 }), (1500, { 100 + 75 * Double($0) / 1500 })])
        let test = try #require(Self.summaries(Self.run(graded)).first)
        #expect(test.decision.features.bouts == 0)
        #expect(test.decision.sessionClass == .endurance)
    }

    @Test func sprintsWithFullRecoveriesAreASessionByTheirBouts() throws {
        // Three sprints give ~3 active minutes, short of the 5 a continuous session needs, and
        // each 4-min recovery is longer than a plain candidate waits: the bouts confirm it.
        let sessions = Self.summaries(Self.run(Self.sprints(3, restSeconds: 240)))
        try #require(sessions.count == 1)
        #expect(sessions[0].decision.features.bouts >= 2)
        // Without the interval rule (bouts never confirm, a bout buys no longer pause) no session.
        var plain = EngineConstants()
        plain.intervalConfirmBouts = .infinity
        plain.intervalPauseSeconds = plain.candidatePauseSeconds
        var engine = PhysiologyEngine(profile: AthleteProfile(age: 30), constants: plain)
        var ended = 0
        for (t, hr) in Self.sprints(3, restSeconds: 240) {
            engine.ingest(time: t, heartRate: hr, rrIntervals: [Double]()) { if case .sessionEnded = $0 { ended += 1 } }
        }
        engine.finish { if case .sessionEnded = $0 { ended += 1 } }
        #expect(ended == 0)
        // The same efforts 10 minutes apart are separate stairs, not a session.
        #expect(Self.summaries(Self.run(Self.sprints(3, restSeconds: 600))).isEmpty)
    }

    @Test func aSteadyRunIsOneEnduranceSessionBoundedByTheSignal() throws {
        let run = Self.curve([(600, { _ in 62 }), (2400, { 150 + Double($0 % 5) }), (1200, { _ in 64 })])
        let events = Self.run(run)
        let sessions = Self.summaries(events)
        try #require(sessions.count == 1)
        let s = sessions[0]
        #expect(s.decision.sessionClass == .endurance)
        #expect(abs(s.start - (1_700_000_000 + 600)) < 30, "starts when HR left rest, not at the file start")
        #expect(abs(s.end - (1_700_000_000 + 3000)) < 30, "ends at the last active sample, not at the file end")
        #expect(s.banisterTRIMP > 30)
        #expect(events.contains { if case .sessionStarted = $0 { true } else { false } })
    }

    /// A watch that records "smart" leaves up to 10 s between samples of a steady effort: the
    /// session's time and load are those of the same run sampled every second. A drop-out
    /// longer than that counts only `gapStepSeconds`.
    @Test func sparseSamplesCountTheirTimeAndADropOutDoesNot() throws {
        let run = Self.curve([(600, { _ in 62 }), (2400, { 150 + Double($0 % 5) }), (1200, { _ in 64 })])
        func summary(_ samples: [(Double, Double)]) throws -> SessionSummary {
            let sessions = Self.summaries(Self.run(samples))
            try #require(sessions.count == 1)
            return sessions[0]
        }
        let everySecond = try summary(run)
        let sparse = try summary(run.enumerated().filter { $0.offset % 8 == 0 }.map(\.element))
        #expect(abs(sparse.banisterTRIMP - everySecond.banisterTRIMP) / everySecond.banisterTRIMP < 0.03,
                "8-s samples: TRIMP \(sparse.banisterTRIMP) vs \(everySecond.banisterTRIMP) at 1 Hz")
        #expect(sparse.decision.sessionClass == .endurance)
        let constants = EngineConstants()
        let dropOut = 300.0
        let cut = run.filter { $0.0 < 1_700_000_000 + 1800 || $0.0 >= 1_700_000_000 + 1800 + dropOut }
        let withDropOut = try summary(cut)
        let expected = everySecond.banisterTRIMP * (2400 - dropOut + constants.gapStepSeconds - 1) / 2400
        #expect(abs(withDropOut.banisterTRIMP - expected) / expected < 0.03,
                "a \(Int(dropOut))-s drop-out: TRIMP \(withDropOut.banisterTRIMP), expected about \(expected)")
    }

    @Test func aLongGapSplitsSessionsAndAShortOneDoesNot() {
        let block = { (start: Double) in Self.curve(from: start, [(1500, { 150 + Double($0 % 3) })]) }
        let t0 = 1_700_000_000.0
        let shortGap = block(t0) + block(t0 + 1500 + 120)
        #expect(Self.summaries(Self.run(shortGap)).count == 1)
        let longGap = block(t0) + block(t0 + 1500 + 1200)
        #expect(Self.summaries(Self.run(longGap)).count == 2)
    }

    @Test func intervalsWithLargeHighSwingsAreHIIT() throws {
        // 4×4 min at ~95 % HRmax with 3-min recoveries after a 10-min warm-up (Wisløff-style).
        var pieces: [(seconds: Int, hr: (Int) -> Double)] = [(600, { 60 + Double($0) / 10 })]
        for _ in 0..<4 {
            pieces.append((240, { min(180, 125 + Double($0) / 2) }))
            pieces.append((180, { max(120, 180 - Double($0) / 2) }))
        }
        let sessions = Self.summaries(Self.run(Self.curve(pieces)))
        try #require(sessions.count == 1)
        #expect(sessions[0].decision.sessionClass == .hiit)
        #expect(sessions[0].decision.features.bouts >= 3)
    }

    @Test func setsWithModerateSwingsAndRestsAreResistance() throws {
        // 15 sets: 40 s work to ~130 bpm, 100 s rest back to ~100 bpm.
        var pieces: [(seconds: Int, hr: (Int) -> Double)] = [(300, { _ in 62 })]
        for _ in 0..<15 {
            pieces.append((40, { 100 + Double($0) * 0.8 }))
            pieces.append((100, { max(100, 132 - Double($0) * 0.6) }))
        }
        let sessions = Self.summaries(Self.run(Self.curve(pieces)))
        try #require(sessions.count == 1)
        #expect(sessions[0].decision.sessionClass == .resistance)
    }

    /// A light strength session: after a warm-up at ~95 bpm, `sets` sets rising 16 bpm (0.13
    /// HRR, under the 0.15 a bout needs) from ~96 to ~112 bpm, each `rest(k)` seconds after the last.
    static func lightSets(_ sets: Int, rest: (Int) -> Int) -> [(Double, Double)] {
        var pieces: [(seconds: Int, hr: (Int) -> Double)] = [(300, { _ in 62 }), (480, { _ in 95 })]
        for k in 0..<sets {
            pieces.append((40, { 96 + Double($0) * 0.4 }))
            pieces.append((rest(k), { 96 + 16 * exp(-Double($0) / 25) }))
        }
        return Self.curve(pieces + [(900, { _ in 62 })])
    }

    @Test func lightSetsBelowTheBoutThresholdAreStillLifting() throws {
        // 20 sets, one every ~2.5 min: HR 95–112, the light session.
        let sessions = Self.summaries(Self.run(Self.lightSets(20) { 100 + 20 * ($0 % 3) }))
        try #require(sessions.count == 1)
        let f = sessions[0].decision.features
        #expect(f.bouts < 3)
        #expect(f.smallBouts >= 18)
        #expect(sessions[0].decision.sessionClass == .resistance)
        // Its sets count for the resistance index too.
        let rei = sessions[0].stimulus.first { $0.key == "resistance_endocrine_index" }
        #expect((rei?.value ?? 0) > 0)
    }

    @Test func smallBurstsAtRandomTimesAreNoLifting() throws {
        // The same rises at the irregular times of a day's errands (rests of 1–9 minutes).
        let gaps = [60, 420, 90, 540, 120, 60, 480, 300, 75, 510, 200, 66, 450, 90, 360, 80, 530, 150, 70, 400]
        let sessions = Self.summaries(Self.run(Self.lightSets(20) { gaps[$0] }))
        #expect(sessions.allSatisfy { $0.decision.sessionClass != .resistance })
        #expect(sessions.allSatisfy { $0.decision.features.smallPeriodVariation > 0.6 })
    }

    @Test func heavySetsWithRisesAsLargeAsIntervalsAreLifting() throws {
        // 25 heavy compound sets: 35 s from ~80 to ~138 bpm (a rise of 0.45 HRR, as large as an
        // interval's), then 3.5 min of rest: a long series with moderate peaks is sets, however
        // large each rise and however much HR swings around its trend.
        var pieces: [(seconds: Int, hr: (Int) -> Double)] = [(300, { _ in 62 }), (300, { _ in 80 })]
        for _ in 0..<25 {
            pieces.append((35, { 80 + Double($0) * 58 / 35 }))
            pieces.append((210, { 80 + 58 * exp(-Double($0) / 40) }))
        }
        let sessions = Self.summaries(Self.run(Self.curve(pieces)))
        try #require(sessions.count == 1)
        #expect(sessions[0].decision.features.bouts >= 20)
        #expect(sessions[0].decision.sessionClass == .resistance)
        #expect(sessions[0].segments.map(\.sessionClass) == [.resistance])
    }

    @Test func anEnduranceSessionAbsorbsItsHIITWindowsButNotItsLifting() {
        func seg(_ start: Double, _ end: Double, _ c: SessionClass) -> SessionSegment {
            SessionSegment(start: start, end: end, sessionClass: c)
        }
        // A ride whose hard climbs were windows of HIIT is one endurance segment.
        let ride = [seg(0, 600, .hiit), seg(600, 3000, .endurance), seg(3000, 4200, .hiit), seg(4200, 5000, .endurance)]
        #expect(PhysiologyEngine.cardioFollowsSession(ride, sessionClass: .endurance) == [seg(0, 5000, .endurance)])
        // A run, then lifting: the lifting stands, the run's surges join the run.
        let runThenLift = [seg(0, 900, .endurance), seg(900, 1500, .hiit), seg(1500, 3000, .resistance)]
        #expect(PhysiologyEngine.cardioFollowsSession(runThenLift, sessionClass: .endurance)
                == [seg(0, 1500, .endurance), seg(1500, 3000, .resistance)])
        // HIIT and resistance sessions keep their windows' labels (the warm-up jog before the
        // intervals may be all that tells a late pair of bouts from a graded ride).
        let intervals = [seg(0, 1200, .endurance), seg(1200, 2400, .hiit)]
        #expect(PhysiologyEngine.cardioFollowsSession(intervals, sessionClass: .hiit) == intervals)
        #expect(PhysiologyEngine.cardioFollowsSession(runThenLift, sessionClass: .resistance) == runThenLift)
    }

    /// The engine depends on its input only: fed in step with a second engine reading another
    /// workout (no shared or global state), it gives what it gives alone; fed the same workout a
    /// week later, the same session, a week later (no clock, no calendar).
    @Test func theEngineDependsOnItsInputOnly() throws {
        let pieces: [(seconds: Int, hr: (Int) -> Double)] = [(600, { _ in 62 }), (2400, { 140 + Double(($0 * 7919) % 11) }), (900, { _ in 64 })]
        let workout = Self.curve(pieces)
        let alone = Self.run(workout)
        let first = try #require(Self.summaries(alone).first)
        let other = Self.curve([(300, { _ in 70 }), (3000, { 120 + 40 * Double(($0 / 60) % 2) }), (900, { _ in 66 })])
        var a = PhysiologyEngine(profile: AthleteProfile(age: 30)), b = PhysiologyEngine(profile: AthleteProfile(age: 55))
        var eventsA: [EngineEvent] = [], eventsB: [EngineEvent] = []
        for i in 0..<max(workout.count, other.count) {
            if i < workout.count { a.ingest(time: workout[i].0, heartRate: workout[i].1, rrIntervals: [Double]()) { eventsA.append($0) } }
            if i < other.count { b.ingest(time: other[i].0, heartRate: other[i].1, rrIntervals: [Double]()) { eventsB.append($0) } }
        }
        a.finish { eventsA.append($0) }
        b.finish { eventsB.append($0) }
        #expect(eventsA == alone)
        #expect(!Self.summaries(eventsB).isEmpty && Self.summaries(eventsB) != Self.summaries(eventsA))

        let week = 7 * 86_400.0
        let later = try #require(Self.summaries(Self.run(Self.curve(from: 1_700_000_000 + week, pieces))).first)
        #expect(later.start == first.start + week && later.end == first.end + week)
        #expect(later.banisterTRIMP == first.banisterTRIMP && later.decision == first.decision && later.meanHeartRate == first.meanHeartRate)
    }

    /// The session's RR statistics are the session's: the rest after it (which only confirms
    /// that it ended) adds no beats and no variability (before: SDNN 112 ms against 77 ms of
    /// the session's own beats in a real export).
    @Test func sessionHRVStopsWhereTheSessionEnds() throws {
        var engine = PhysiologyEngine(profile: AthleteProfile(age: 30))
        var events: [EngineEvent] = []
        var t = 1_700_000_000.0
        var workBeats = 0
        for i in 0..<3000 {  // 5 min rest, 40 min at 150 bpm with 2-ms alternation, then rest
            let working = i >= 300 && i < 2700
            let rr: [Double] = working ? [400, 402.0] : (i % 2 == 0 ? [1000, 1160.0] : [1080, 920.0])
            if working { workBeats += 2 }
            engine.ingest(time: t, heartRate: working ? 150 : 55, rrIntervals: rr) { events.append($0) }
            t += working ? 0.802 : 2.08
        }
        engine.finish { events.append($0) }
        let s = try #require(Self.summaries(events).first)
        #expect(s.beatsAccepted <= workBeats + 120, "\(s.beatsAccepted) beats for \(workBeats) of work")
        #expect(s.beatsAccepted >= workBeats * 9 / 10)
        #expect((s.sdnn ?? 999) < 20, "SDNN \(s.sdnn ?? -1) ms: the rest's 1 000–1 160 ms beats are not the session's")
        #expect((s.rmssd ?? 999) < 20, "RMSSD \(s.rmssd ?? -1) ms")
    }

    @Test func hrFromRRWhenTheSampleHasNoHR() throws {
        var engine = PhysiologyEngine(profile: AthleteProfile(age: 30))
        var events: [EngineEvent] = []
        var t = 1_700_000_000.0
        for _ in 0..<3000 {
            engine.ingest(time: t, heartRate: nil, rrIntervals: [400.0, 400.0]) { events.append($0) }  // 150 bpm
            t += 0.8
        }
        engine.finish { events.append($0) }
        let s = try #require(Self.summaries(events).first)
        #expect(abs(s.meanHeartRate - 150) < 0.5)
        #expect(s.beatsAccepted == 6000)
        // Identical intervals are no heart's: the series is not beat to beat, so no HRV.
        #expect(s.repeatedPercent == 100)
        #expect(s.rmssd == nil && s.sdnn == nil)
    }

    /// A head unit that re-sends its last interval (each reading four times here, as a Garmin
    /// Edge file does) yields the right heart rate but no HRV; the same beats each measured
    /// keep theirs.
    @Test func repeatedIntervalsGiveHeartRateButNoHRV() throws {
        func session(repeating: Bool) throws -> SessionSummary {
            var engine = PhysiologyEngine(profile: AthleteProfile(age: 30))
            var events: [EngineEvent] = []
            var t = 1_700_000_000.0
            var rng = SplitMix64(seed: 7)
            var reading = 400.0
            for i in 0..<6000 {  // 40 min at 150 bpm, one beat per sample
                if !repeating || i % 4 == 0 { reading = 400 + Double(rng.next() % 17) - 8 }
                engine.ingest(time: t, heartRate: nil, rrIntervals: [reading]) { events.append($0) }
                t += 0.4
            }
            engine.finish { events.append($0) }
            return try #require(Self.summaries(events).first)
        }
        let repeated = try session(repeating: true)
        let measured = try session(repeating: false)
        #expect(abs(repeated.meanHeartRate - 150) < 1 && abs(measured.meanHeartRate - 150) < 1)
        #expect(repeated.repeatedPercent > 70 && measured.repeatedPercent < 10)
        #expect(repeated.rmssd == nil && repeated.sdnn == nil && repeated.alpha1Mean == nil)
        #expect(measured.rmssd != nil && measured.sdnn != nil && measured.alpha1Mean != nil)
    }
}

@Suite struct RRGateTests {
    @Test func rejectsOutOfRangeAndJumps() {
        var gate = RRGate()
        do { let ok = gate.admit(200); #expect(!ok) }
        do { let ok = gate.admit(2500); #expect(!ok) }
        for _ in 0..<5 { let ok = gate.admit(1000); #expect(ok) }
        do { let ok = gate.admit(1400); #expect(!ok, "40 % jump at 60 bpm is beyond 25 %") }
        do { let ok = gate.admit(1100); #expect(ok, "10 % at 60 bpm is within 25 %") }
        #expect(gate.rejected == 3)
    }

    @Test func isStrictAtHighHeartRates() {
        var gate = RRGate()
        for _ in 0..<7 { _ = gate.admit(500) }  // 120 bpm
        do { let ok = gate.admit(540); #expect(!ok, "8 % at 120 bpm is beyond 5 %") }
        do { let ok = gate.admit(520); #expect(ok) }
    }

    @Test func restartsAfterARunOfRejections() {
        var gate = RRGate()
        for _ in 0..<7 { _ = gate.admit(1000) }
        for _ in 0..<RRGate.resetAfterRejects { let ok = gate.admit(600); #expect(!ok) }
        do { let ok = gate.admit(600); #expect(ok, "a real step change is accepted after the reset") }
    }
}

@Suite struct ProfileTests {
    @Test func tanakaAndBanister() {
        #expect(AthleteProfile(age: 40).predictedMaximumHeartRate == 180)
        #expect(AthleteProfile(sex: .female).banister == (0.86, 1.67))
        #expect(AthleteProfile().banister == (0.64, 1.92))
        let ref = HeartRateReference(maximum: 180, resting: 60)
        #expect(ref.reserveFraction(120) == 0.5)
        #expect(ref.reserveFraction(200) == 1)
        #expect(ref.reserveFraction(40) == 0)
    }

    @Test func exponentialAverageFollowsItsTimeConstant() {
        var avg = ExponentialAverage(timeConstant: 10)
        avg.add(0, dt: 0)
        avg.add(100, dt: 10)
        #expect(abs(avg.value! - 100 * (1 - 0.36787944117144233)) < 1e-9)
    }
}
