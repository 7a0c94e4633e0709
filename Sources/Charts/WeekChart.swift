import Physiology
import Traces

/// The training load of the 28 days up to a day: daily Banister TRIMP as bars, fitness (CTL,
/// 42-day) and fatigue (ATL, 7-day) as lines with form (TSB = CTL − ATL) written at the end, and
/// for the last 7 days the WHO 2020 MVPA-equivalent minutes against 150/300 and the strength
/// days against 2.
public struct WeekChart {
    public static let days = 28
    public let document: SVGDocument
    /// The context of the last day (what the text of `ingestctl week` says).
    public let context: WeeklyContext

    /// Bar x positions and heights per day (for tests): day → (x, height).
    public private(set) var bars: [Int: (x: Double, height: Double)] = [:]
    public let plot: (left: Double, right: Double, top: Double, bottom: Double)

    public init(sessions: [TrainingDay], asOfDay: Int, title: String, width: Double = 1200) {
        let w = max(500, width)
        let left = 56.0, right = w - 56, top = 60.0, bottom = 330.0
        plot = (left, right, top, bottom)
        var svg = SVGDocument(width: w, height: 440)
        let first = asOfDay - Self.days + 1
        var load: [Int: Double] = [:]
        var seen: Set<String> = []
        for s in sessions where seen.insert(s.id).inserted { load[s.day, default: 0] += s.trimp }
        let contexts = (first...asOfDay).map { WeeklyContext(sessions: sessions, asOfDay: $0) }
        context = contexts.last ?? WeeklyContext(sessions: sessions, asOfDay: asOfDay)
        let top3 = max(10, (first...asOfDay).map { load[$0] ?? 0 }.max() ?? 0, contexts.map { max($0.ctl, $0.atl) }.max() ?? 0) * 1.1
        let slot = (right - left) / Double(Self.days)
        func y(_ v: Double) -> Double { bottom - v / top3 * (bottom - top) }
        func x(_ day: Int) -> Double { left + (Double(day - first) + 0.5) * slot }

        svg.rect(x: 0, y: 0, width: w, height: 440, fill: "#ffffff")
        svg.text(title, x: left, y: 22, size: 15, weight: "bold", role: "title")
        var v = 0.0
        let step = top3 > 200 ? 50.0 : top3 > 80 ? 20 : 10
        while v <= top3 {
            svg.line(x1: left, y1: y(v), x2: right, y2: y(v), stroke: "#d5d9dd", width: 0.5, role: "grid")
            svg.text(String(Int(v)), x: left - 6, y: y(v) + 4, size: 11, anchor: "end", role: "y-tick")
            v += step
        }
        svg.text("TRIMP", x: 8, y: top - 8, size: 11, role: "y-label")
        var bars: [Int: (x: Double, height: Double)] = [:]
        for day in first...asOfDay {
            let t = load[day] ?? 0
            let bx = x(day) - slot * 0.35
            if t > 0 {
                svg.rect(x: bx, y: y(t), width: slot * 0.7, height: bottom - y(t), fill: "#8fb8de", role: "load",
                         title: "\(Self.date(day)): TRIMP \(SVGDocument.number(t))")
                bars[day] = (bx, bottom - y(t))
            }
            if (day - first) % 7 == 0 || day == asOfDay {
                svg.text(String(Self.date(day).dropFirst(5)), x: x(day), y: bottom + 16, size: 11, anchor: "middle", role: "x-label")
            }
        }
        self.bars = bars
        svg.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#555", role: "axis")
        svg.polyline(zip(first...asOfDay, contexts).map { (x($0), y($1.ctl)) }, stroke: "#1b4965", width: 2.5, role: "ctl")
        svg.polyline(zip(first...asOfDay, contexts).map { (x($0), y($1.atl)) }, stroke: "#e07a5f", width: 2, role: "atl")
        let c = context
        svg.text("fitness (CTL) \(SVGDocument.number(c.ctl))", x: left, y: 44, size: 12, fill: "#1b4965", role: "legend")
        svg.text("fatigue (ATL) \(SVGDocument.number(c.atl))", x: left + 190, y: 44, size: 12, fill: "#e07a5f", role: "legend")
        svg.text("form (TSB) \(SVGDocument.number(c.tsb))", x: left + 380, y: 44, size: 12, role: "legend")
        // The last 7 days against the WHO 2020 recommendation.
        let barTop = 370.0, full = right - left
        let scale = full / (WeeklyContext.whoFull * 1.2)
        svg.rect(x: left, y: barTop, width: full, height: 16, fill: "#eef1f4", role: "who-track")
        svg.rect(x: left, y: barTop, width: min(full, c.mvpaEquivalentMinutes * scale), height: 16,
                 fill: c.mvpaEquivalentMinutes >= WeeklyContext.whoMinimum ? "#2a9d8f" : "#e9c46a", role: "who")
        for mark in [WeeklyContext.whoMinimum, WeeklyContext.whoFull] {
            svg.line(x1: left + mark * scale, y1: barTop - 4, x2: left + mark * scale, y2: barTop + 20, stroke: "#333", role: "who-mark")
            svg.text(String(Int(mark)), x: left + mark * scale, y: barTop - 6, size: 10, anchor: "middle", role: "who-mark")
        }
        svg.text("last 7 days: \(Int(c.mvpaEquivalentMinutes.rounded())) MVPA-equivalent min (WHO 150–300), strength days \(c.strengthDays) of \(WeeklyContext.whoStrengthDays)",
                 x: left, y: barTop + 36, size: 12, role: "who-label")
        document = svg
    }

    /// YYYY-MM-DD of a day number (days since 1970-01-01, UTC).
    public static func date(_ day: Int) -> String { String(ISO8601.format(Double(day) * 86_400).prefix(10)) }
}
