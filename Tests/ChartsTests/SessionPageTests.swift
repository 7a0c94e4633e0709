import Charts
import Foundation
import Ingest
import Testing
import TestSupport

/// The session page carries each stimulus index whole: value and interval, sentence, grade,
/// anchors, caveats and heuristics, escaped, with nothing fetched from elsewhere.
@Suite struct SessionPageTests {
    @Test func everyIndexShowsItsIntervalGradeAnchorsAndCaveats() throws {
        var (record, series) = SessionChartTests.session()
        let json = """
            {"index":"cortisol_stress_load","value":0.42,"unit":"fold","interval":[0.2,0.7],"peak_fold":1.18,"evidence_grade":"B",
             "anchors":[{"source":"Hill et al. 2008 <J Endocrinol Invest>","measured":"serum cortisol","values":"+40 % at 80 % VO2max"}],
             "caveats":["cortisol has a strong diurnal rhythm & this ignores it"],"heuristics":["dose weights (H)"],
             "sentence":"Similar to protocols that raised cortisol by about 18 % right after exercise."}
            """
        let index = try JSONLines.decode(StimulusRecord.self, from: Array(json.utf8))
        record.stimulus = [index]
        record.stimulusNote = "Exposure scores, not measurements of you."
        let svg = SessionChart(record, series: series, width: 800).document.text
        let page = SessionPage.document(record, svg: svg, summary: "session <summary>")
        #expect(page.contains("<h3>cortisol_stress_load</h3>"))
        #expect(page.contains("0.42 fold (interval 0.2–0.7)") && page.contains("evidence grade B"))
        #expect(page.contains("Hill et al. 2008 &lt;J Endocrinol Invest&gt;") && page.contains("+40 % at 80 % VO2max"))
        #expect(page.contains("<li>cortisol has a strong diurnal rhythm &amp; this ignores it</li>"))
        #expect(page.contains("<li>dose weights (H)</li>") && page.contains("Exposure scores, not measurements of you."))
        #expect(page.contains("session &lt;summary&gt;") && page.contains("<svg"))
        let outside = page.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!outside.contains("<script") && !outside.contains("http") && !outside.contains("src="), "self-contained")
        // The page's own markup is well-formed apart from the doctype and the unclosed meta.
        let start = try #require(page.range(of: "<body>")).lowerBound
        let body = String(page[start...]).replacingOccurrences(of: "</html>", with: "")
        try SessionChartTests.expectValidXML(body)
    }
}
