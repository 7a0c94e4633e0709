import Charts
import Foundation
import Ingest
import Physiology
import Testing
import TestSupport
import Traces

/// The SVG writer escapes what it is given and the session chart puts things where they belong:
/// valid XML (xmllint), the heart rate inside the plot, segments above it at their times.
@Suite struct SessionChartTests {
    /// A two-segment session record over a real-looking series.
    static func session() -> (SessionRecord, [(time: Double, heartRate: Double)]) {
        let t0 = 1_767_225_600.0
        var series: [(time: Double, heartRate: Double)] = []
        for s in 0..<3600 { series.append((t0 + Double(s), s < 1800 ? 140 + Double(s % 9) : 100 + Double((s / 60) % 2) * 30)) }
        let json = """
            {"kind":"session","id":"20260101T000000Z-A09E1A000001","device":"A0:9E:1A:00:00:01","start":"2026-01-01T00:00:00Z",
             "end":"2026-01-01T01:00:00Z","start_unix":\(t0),"end_unix":\(t0 + 3600),"duration_seconds":3600,"class":"endurance",
             "confidence":0.8,"scores":{},"features":{},"segments":[{"start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:30:00Z","class":"endurance"},
             {"start":"2026-01-01T00:30:00Z","end":"2026-01-01T01:00:00Z","class":"resistance"}],"mean_hr":125,"max_hr":148,
             "trimp":{"banister":80,"edwards":120},"reference":{"hr_max":190,"hr_rest":55},
             "rr":{"beats_accepted":0,"beats_rejected":0,"artifact_percent":0},"hrv":{},
             "load":{"lucia_trimp":0,"acute_load_peak":0,"hrr_zone_minutes":{},"hrmax_zone_minutes":{}},
             "inputs":{"heart_rate":true,"rr_intervals":false},"stimulus":[],"stimulus_note":"","assumptions":[],"heuristics":"",
             "provisional_labels":[{"at":"2026-01-01T00:10:00Z","after_seconds":600,"class":"endurance","confidence":0.7},
                                   {"at":"2026-01-01T00:40:00Z","after_seconds":2400,"class":"resistance","confidence":0.6}]}
            """
        let record = try! JSONLines.decode(SessionRecord.self, from: Array(json.utf8))
        return (record, series)
    }

    @Test func theWriterEscapesTextAndAttributes() throws {
        var svg = SVGDocument(width: 100, height: 50)
        svg.text("a < b & \"c\" 'd' \u{1}", x: 1, y: 2, role: "t\"x")
        #expect(svg.text.contains(">a &lt; b &amp; &quot;c&quot; &apos;d&apos; </text>"))
        #expect(svg.text.contains("class=\"t&quot;x\""))
        #expect(SVGDocument.number(.nan) == "0" && SVGDocument.number(2.04) == "2" && SVGDocument.number(2.25) == "2.3")
        try Self.expectValidXML(svg.text)
    }

    @Test func theChartPlacesHeartRateSegmentsAndLabelsWhereTheyBelong() throws {
        let (record, series) = Self.session()
        let chart = SessionChart(record, series: series, width: 1000)
        let text = chart.document.text
        try Self.expectValidXML(text)
        let l = chart.layout
        // Heart rate: one point per horizontal unit at most, all inside the plot.
        let points = try #require(Self.attribute("points", ofFirst: "heart-rate", in: text))
            .split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(points.count > 500 && points.count <= Int(l.plotRight - l.plotLeft) + 1)
        #expect(points.allSatisfy { $0[0] >= l.plotLeft && $0[0] <= l.plotRight && $0[1] >= l.plotTop && $0[1] <= l.plotBottom })
        // The first half's HR (140–148) is drawn above the second half's troughs (100).
        let firstHalf = points.filter { $0[0] < (l.plotLeft + l.plotRight) / 2 - 5 }.map { $0[1] }
        let secondHalf = points.filter { $0[0] > (l.plotLeft + l.plotRight) / 2 + 5 }.map { $0[1] }
        #expect((firstHalf.max() ?? 0) < (secondHalf.max() ?? 0), "higher bpm is higher up (smaller y)")
        // Two segments, each half the plot wide, in their class colours, in time order.
        let segments = Self.elements("segment", in: text)
        #expect(segments.count == 2)
        let xs = segments.compactMap { Self.attribute("x", in: $0).flatMap(Double.init) }
        let widths = segments.compactMap { Self.attribute("width", in: $0).flatMap(Double.init) }
        let half = (l.plotRight - l.plotLeft) / 2
        #expect(abs(xs[0] - l.plotLeft) < 1 && abs(xs[1] - (l.plotLeft + half)) < 1 && widths.allSatisfy { abs($0 - half) < 1 })
        #expect(segments[0].contains(SessionChart.color(.endurance)) && segments[1].contains(SessionChart.color(.resistance)))
        // The live strip starts at 10 min and changes at 40 min.
        let strip = Self.elements("provisional", in: text)
        #expect(strip.count == 2)
        let stripX = strip.compactMap { Self.attribute("x", in: $0).flatMap(Double.init) }
        #expect(abs(stripX[0] - (l.plotLeft + (l.plotRight - l.plotLeft) / 6)) < 1)
        #expect(Self.elements("zone", in: text).count == 4, "four HRR zone bands")
        #expect(Self.elements("x-label", in: text).count >= 6 && text.contains(">60 min</text>"))
    }

    @Test func aSessionWithRRGetsAPanelOfDFAAlpha1AndArtifacts() throws {
        // Twenty minutes of clean beats: a seeded random walk around 600 ms with beat-to-beat
        // noise (the chart's plumbing, not physiology; the real strap below is for the gate).
        var random = SplitMix64(seed: 21)
        var samples: [(time: Double, heartRate: Int, rr: [Double])] = []
        var t = 1_767_225_600.0, level = 600.0
        while t < 1_767_225_600 + 1200 {
            level = min(max(level + Double.random(in: -4...4, using: &random), 450), 800)
            let rr = level + Double.random(in: -15...15, using: &random)
            t += rr / 1000
            samples.append((t, Int((60_000 / rr).rounded()), [rr]))
        }
        var timeline = HRVTimeline()
        for s in samples { timeline.add(time: s.time, heartRate: Double(s.heartRate), rrIntervals: s.rr) }
        let points = timeline.points
        try #require(points.count > 20, "a reading every 5 s: \(points.count)")
        let alphas = points.compactMap(\.alpha1)
        #expect(alphas.count >= 10 && alphas.allSatisfy { $0 > 0.1 && $0 < 2 }, "\(alphas.count) of \(points.count)")
        // A Polar H10 with many premature beats: artifacts shown, α1 gated where they pass 5 %.
        var ectopic = HRVTimeline()
        for s in try RealRecordings.polarH10() { ectopic.add(time: s.time, heartRate: Double(s.heartRate), rrIntervals: s.rr) }
        #expect(ectopic.points.contains { $0.artifactPercent > 5 })
        #expect(ectopic.points.filter { $0.artifactPercent > 5 }.allSatisfy { $0.alpha1 == nil })
        #expect(zip(points, points.dropFirst()).allSatisfy { $1.time - $0.time >= 5 })
        // The chart over the recording's span: the panel below the strip, α1 inside it.
        var (record, _) = Self.session()
        let t0 = samples[0].time, t1 = samples[samples.count - 1].time
        record.startUnix = t0
        record.endUnix = t1
        let series = samples.map { (time: $0.time, heartRate: Double($0.heartRate)) }
        let chart = SessionChart(record, series: series, hrv: points, width: 1000)
        let text = chart.document.text
        try Self.expectValidXML(text)
        let l = chart.layout
        #expect(l.rrHeight > 0 && l.rrTop > l.labelStripTop + l.strip && l.height > l.rrBottom)
        #expect(Self.elements("rr-panel", in: text).count == 1 && Self.elements("alpha1-reference", in: text).count == 2)
        let drawn = Self.elements("alpha1", in: text).flatMap { line in
            (Self.attribute("points", in: line) ?? "").split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        }
        #expect(drawn.count == alphas.count, "one α1 point per ungated reading")
        #expect(drawn.allSatisfy { $0[1] >= l.rrTop - 0.01 && $0[1] <= l.rrBottom + 0.01 && $0[0] >= l.plotLeft && $0[0] <= l.plotRight + 0.01 })
        #expect(Self.elements("artifact", in: text).count == 1)
        // Without RR there is no panel.
        let plain = SessionChart(record, series: series, width: 1000)
        #expect(plain.layout.rrHeight == 0 && !plain.document.text.contains("rr-panel"))
    }

    // MARK: helpers

    static func expectValidXML(_ text: String) throws {
        let dir = try FileBytes.temporaryDirectory("svg")
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/c.svg"))
        let lint = try Executable.runTool("/usr/bin/xmllint", ["--noout", dir + "/c.svg"])
        #expect(lint.status == 0, "xmllint: \(lint.stderr)")
    }

    /// The elements with `class="role"`.
    static func elements(_ role: String, in text: String) -> [String] {
        text.split(separator: "\n").filter { $0.contains("class=\"\(role)\"") }.map(String.init)
    }

    static func attribute(_ name: String, ofFirst role: String, in text: String) -> String? {
        elements(role, in: text).first.flatMap { attribute(name, in: $0) }
    }

    static func attribute(_ name: String, in element: String) -> String? {
        guard let r = element.range(of: " \(name)=\"") else { return nil }
        let rest = element[r.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
