import Testing
@testable import Physiology

/// The orderings of PHYSIOLOGY.md's Validation section, and the honesty rules.
@Suite struct StimulusTests {
    static let vt1 = HeartRateReference.defaultFirstThresholdFraction
    static let vt2 = HeartRateReference.defaultSecondThresholdFraction

    static func dose(_ blocks: [(minutes: Double, x: Double)], lactateThreshold: Double = StimulusDose.defaultLactateThreshold) -> StimulusDose {
        var d = StimulusDose()
        for b in blocks {
            for _ in 0..<Int(b.minutes * 60) {
                d.add(x: b.x, dt: 1, lactateThreshold: lactateThreshold, firstThreshold: vt1, secondThreshold: vt2)
            }
        }
        return d
    }

    @Test func hillCortisol80Over60Over40() {
        let c = [0.8, 0.6, 0.4].map { Self.dose([(30, $0)]).cortisol }
        #expect(c[0] > c[1] && c[1] > c[2] && c[2] > 0)
        #expect(abs(c[0] - 83.1) < 0.01 && abs(c[1] - 39.9) < 0.01 && abs(c[2] - 5.7) < 0.01, "30 min reproduce Hill's anchors")
    }

    @Test func pritzlaffGH175Over125OverLT() {
        let lt = StimulusDose.defaultLactateThreshold
        let g = [1.75, 1.25, 1.0].map { Self.dose([(30, min(1, $0 * lt))]).growthHormone }
        #expect(g[0] > g[1] && g[1] > g[2] && g[2] > 0)
        #expect(Self.dose([(9, 0.9)]).growthHormone == 0, "nothing before 10 min above LT (Felsing 1992)")
    }

    @Test func nordsborgPGC85Over70() {
        let high = Self.dose([(16, 0.85)]).mitochondrial, moderate = Self.dose([(16, 0.70)]).mitochondrial
        #expect(high > moderate)
        #expect(abs(high / moderate - 1.5) < 0.01, "4–5-fold vs 3-fold")
        #expect(abs(Self.dose([(60, 0.72)]).mitochondrial - 100) < 0.01, "Stepto's anchor is 100")
    }

    @Test func kraemer10RMShortRestOver5RMLongRest() {
        var tenRM = StimulusDose(), fiveRM = StimulusDose()
        for _ in 0..<12 {
            tenRM.addSet(amplitude: 0.32, restBefore: 60)
            fiveRM.addSet(amplitude: 0.25, restBefore: 180)
        }
        let a = StimulusReport.indices(tenRM, sessionClass: .resistance, sustainedPeak: 0.5, sex: .male)
        let b = StimulusReport.indices(fiveRM, sessionClass: .resistance, sustainedPeak: 0.5, sex: .male)
        let rei = { (i: [StimulusIndex]) in i.first { $0.key == "resistance_endocrine_index" }!.value! }
        #expect(rei(a) > rei(b))
    }

    @Test func lightSetsTheBoutsMissedAreTheSetsAndLargeSetsAreNotCountedTwice() {
        let rei = { (d: StimulusDose) in
            StimulusReport.indices(d, sessionClass: .resistance, sustainedPeak: 0.35, sex: .male)
                .first { $0.key == "resistance_endocrine_index" }! }
        // A light session: 18 sets the bout detector missed, seen only as small bouts.
        var light = StimulusDose()
        for _ in 0..<18 { light.addSmallSet(amplitude: 0.13, restBefore: 90) }
        #expect(light.setSeries.sets == 18)
        #expect(rei(light).value! > 20)
        #expect(rei(light).caveats.contains("sets: 18"))
        // Heavy sets: each is a bout and (with a wobble on the way up) sometimes two small bouts;
        // the bouts are read, not the sum and not the finer split.
        var heavy = StimulusDose()
        for k in 0..<12 {
            heavy.addSet(amplitude: 0.3, restBefore: 150)
            heavy.addSmallSet(amplitude: 0.3, restBefore: 150)
            if k % 2 == 0 { heavy.addSmallSet(amplitude: 0.1, restBefore: 20) }
        }
        #expect(heavy.setSeries.sets == 12 && heavy.setSeries.load == heavy.resistanceLoad)
        #expect(rei(heavy).caveats.contains("sets: 12"))
    }

    @Test func hiitOverLightForBDNF() {
        let hiit = Self.dose([(10, 0.5)] + Array(repeating: [(4.0, 0.92), (3.0, 0.45)], count: 4).flatMap { $0 })
        let light = Self.dose([(40, 0.4)])
        #expect(hiit.bdnf > light.bdnf)
        #expect(light.bdnf == 0)
    }

    @Test func aNonExerciseRecordingYieldsNoStimulus() {
        let d = Self.dose([(60, 0.2), (30, 0.28)])
        #expect(d.cortisol == 0 && d.growthHormone == 0 && d.catecholamineDose == 0 && d.mitochondrial == 0 && d.bdnf == 0)
    }

    @Test func resistanceMakesNoPGCClaimAndEveryIndexCarriesItsSources() {
        let d = Self.dose([(40, 0.55)])
        for cls in [SessionClass.resistance, .endurance, .hiit, .unclassified] {
            let indices = StimulusReport.indices(d, sessionClass: cls, sustainedPeak: 0.6, sex: nil)
            #expect(indices.count == 6)
            for i in indices {
                #expect(!i.anchors.isEmpty && !i.caveats.isEmpty && !i.sentence.isEmpty, "\(i.key)")
                #expect(!i.sentence.contains("your "), "exposure wording, never about the person")
                if let v = i.value { #expect(v.isFinite && v >= 0) }
            }
            let pgc = indices.first { $0.key == "mitochondrial_pgc1a_signal" }!
            if cls == .resistance { #expect(pgc.value == nil) }
            let rei = indices.first { $0.key == "resistance_endocrine_index" }!
            #expect((rei.value != nil) == (cls == .resistance))
        }
    }

    @Test func sessionsCarryStimulusPerSegment() throws {
        let sessions = try HardCaseTests.run("run-then-lift")
        let s = try #require(sessions.first)
        #expect(s.stimulus.count == 6)
        #expect(s.segmentStimulus.count == s.segments.count)
        let run = s.segmentStimulus[0].first { $0.key == "mitochondrial_pgc1a_signal" }!.value
        let lift = s.segmentStimulus[1].first { $0.key == "mitochondrial_pgc1a_signal" }!.value
        #expect(run != nil && run! > 0, "the run segment has an aerobic signal")
        #expect(lift == nil, "the lifting segment makes no PGC-1α claim")
    }
}
