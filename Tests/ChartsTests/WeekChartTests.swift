import Charts
import Foundation
import Physiology
import Testing
import TestSupport

/// The week chart: one bar per day with load, as tall as its TRIMP, the CTL/ATL lines and the
/// WHO bar saying what `ingestctl week` says.
@Suite struct WeekChartTests {
    @Test func barsLinesAndTheWHOBarSayWhatTheWeekSays() throws {
        let day = 20_500
        let sessions = [
            TrainingDay(id: "a", start: Double(day - 20) * 86_400 + 3600, trimp: 60, moderateMinutes: 20, vigorousMinutes: 10,
                        enduranceMinutes: 30, strength: false),
            TrainingDay(id: "b", start: Double(day - 3) * 86_400 + 3600, trimp: 120, moderateMinutes: 30, vigorousMinutes: 40,
                        enduranceMinutes: 0, strength: true),
            TrainingDay(id: "b", start: Double(day - 3) * 86_400 + 3600, trimp: 120, moderateMinutes: 30, vigorousMinutes: 40,
                        enduranceMinutes: 0, strength: true),  // the same session twice counts once
            TrainingDay(id: "c", start: Double(day) * 86_400 + 7200, trimp: 30, moderateMinutes: 25, vigorousMinutes: 0,
                        enduranceMinutes: 25, strength: false),
        ]
        let chart = WeekChart(sessions: sessions, asOfDay: day, title: "anna <&>", width: 1000)
        let text = chart.document.text
        try SessionChartTests.expectValidXML(text)
        #expect(chart.bars.keys.sorted() == [day - 20, day - 3, day])
        let heights = chart.bars.mapValues(\.height)
        #expect(abs((heights[day - 3] ?? 0) / (heights[day] ?? 1) - 4) < 0.01, "bars as tall as TRIMP: 120 is 4 × 30")
        #expect((chart.bars[day - 20]?.x ?? 0) < (chart.bars[day - 3]?.x ?? 0))
        let week = WeeklyContext(sessions: sessions, asOfDay: day)
        #expect(chart.context == week)
        #expect(text.contains("\(Int(week.mvpaEquivalentMinutes.rounded())) MVPA-equivalent min") && text.contains("strength days 1 of 2"))
        #expect(SessionChartTests.elements("ctl", in: text).count == 1 && SessionChartTests.elements("atl", in: text).count == 1)
        #expect(text.contains("anna &lt;&amp;&gt;"))
        #expect(WeekChart.date(day) == "2026-02-16")
    }
}
