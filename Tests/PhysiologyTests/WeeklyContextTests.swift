import Testing
@testable import Physiology

@Suite struct WeeklyContextTests {
    static func day(_ d: Int, id: String? = nil, trimp: Double = 50, moderate: Double = 20, vigorous: Double = 10,
                    endurance: Double = 0, strength: Bool = false) -> TrainingDay {
        TrainingDay(id: id ?? "s\(d)", start: Double(d) * 86_400 + 3600, trimp: trimp, moderateMinutes: moderate,
                    vigorousMinutes: vigorous, enduranceMinutes: endurance, strength: strength)
    }

    @Test func whoMinutesCountVigorousDoubleAndOnlyTheLastSevenDays() {
        let w = WeeklyContext(sessions: [Self.day(100), Self.day(104, strength: true), Self.day(106, strength: true), Self.day(90)],
                              asOfDay: 106)
        #expect(w.mvpaEquivalentMinutes == 3 * (20 + 2 * 10))
        #expect(w.sessions == 3)
        #expect(w.strengthDays == 2)
    }

    @Test func duplicatesCountOnce() {
        let w = WeeklyContext(sessions: [Self.day(100, id: "a"), Self.day(100, id: "a")], asOfDay: 100)
        #expect(w.sessions == 1)
    }

    @Test func fitnessFatigueAndFlags() {
        // 120 days of the same daily load: CTL and ATL converge on it, TSB → 0, ACWR → 1.
        let steady = (0..<120).map { Self.day($0, trimp: 60) }
        let w = WeeklyContext(sessions: steady, asOfDay: 119)
        var ctl = 0.0
        for _ in 0..<120 { ctl += (60 - ctl) / 42 }  // the 42-day average has not quite converged
        #expect(abs(w.ctl - ctl) < 1e-9 && ctl > 55)
        #expect(abs(w.atl - 60) < 0.01)
        #expect(abs(w.acwr! - 1) < 1e-9)
        #expect(w.monotony == nil, "no day-to-day variation: monotony undefined, not infinite")
        // A sudden week of double load after 3 easy weeks raises ACWR above the band.
        let spike = (0..<21).map { Self.day($0, trimp: 30) } + (21..<28).map { Self.day($0, trimp: 120) }
        let s = WeeklyContext(sessions: spike, asOfDay: 27)
        #expect(!WeeklyContext.acwrBand.contains(s.acwr!))
        #expect(s.atl > s.ctl && s.tsb < 0)
    }

    @Test func hpgCautionFollowsTwelveWeeksOfEnduranceHours() {
        let light = WeeklyContext(sessions: (0..<84).map { Self.day($0, endurance: 30) }, asOfDay: 83)
        #expect(light.hpgFlag == "green")
        let amber = WeeklyContext(sessions: (0..<84).map { Self.day($0, endurance: 65) }, asOfDay: 83)
        #expect(amber.hpgFlag == "amber")
        let red = WeeklyContext(sessions: (0..<84).map { Self.day($0, endurance: 95) }, asOfDay: 83)
        #expect(red.hpgFlag == "red")
    }

    @Test func ftoIsPopulationContextOnlyWhenGiven() {
        let sessions = (0..<7).map { Self.day($0, moderate: 30, vigorous: 0) }
        #expect(WeeklyContext(sessions: sessions, asOfDay: 6).ftoContext == nil)
        let aa = WeeklyContext(sessions: sessions, asOfDay: 6, genotype: .aa).ftoContext!
        #expect(aa.contains("Kilpeläinen 2011") && aa.contains("active") && aa.contains("not your individual risk"))
        #expect(aa.contains("1.49"), "1.22² for two alleles in an active week")
    }
}
