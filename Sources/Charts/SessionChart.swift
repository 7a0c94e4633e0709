import Ingest
import Physiology
import Traces

/// One session's chart: heart rate over time on zone bands (% of heart-rate reserve between the
/// session's own HRrest and HRmax), the class segments coloured and labelled above it, and the
/// provisional label as a strip under it (what a live display showed, from when).
public struct SessionChart {
    /// Layout, in SVG user units.
    public struct Layout: Sendable, Equatable {
        public var width: Double
        public var left = 56.0, right = 16.0, top = 58.0
        public var plotHeight = 300.0, strip = 22.0, gap = 8.0
        /// The RR panel's height (0 without RR).
        public var rrHeight = 0.0
        public var plotLeft: Double { left }
        public var plotRight: Double { width - right }
        public var plotTop: Double { top }
        public var plotBottom: Double { top + plotHeight }
        public var labelStripTop: Double { plotBottom + gap }
        public var rrTop: Double { labelStripTop + strip + 40 }
        public var rrBottom: Double { rrTop + rrHeight }
        public var height: Double { rrHeight > 0 ? rrBottom + 24 : labelStripTop + strip + 44 }
        public init(width: Double, rrPanel: Bool = false) {
            self.width = max(400, width)
            rrHeight = rrPanel ? 140 : 0
        }
    }

    /// Zone bands by fraction of HRR, with their names and colours.
    public static let zones: [(from: Double, to: Double, name: String, color: String)] = [
        (0, 0.4, "< 40 % HRR", "#eef1f4"), (0.4, 0.6, "40–60 % moderate", "#dff3e3"),
        (0.6, 0.8, "60–80 % vigorous", "#fdebd3"), (0.8, 1.05, "≥ 80 % HRR", "#fbd9d9"),
    ]

    /// Colours of the classes (segments, label strip).
    public static func color(_ c: SessionClass) -> String {
        switch c {
        case .resistance: "#6a4c93"
        case .endurance: "#1982c4"
        case .hiit: "#e63946"
        default: "#9aa0a6"
        }
    }

    public let layout: Layout
    public let document: SVGDocument

    /// DFA α1 at the first ventilatory threshold and at the second (Rogers et al. 2021; Mateo-March
    /// et al. 2023): the panel's reference lines.
    public static let alpha1References = [(0.75, "α1 0.75 ≈ VT1"), (0.5, "α1 0.5 ≈ VT2")]

    /// The chart of `record` with its heart rate `series` (Unix s, bpm) and, when the session
    /// has RR, a panel of `hrv`'s DFA α1 and artifact %.
    public init(_ record: SessionRecord, series: [(time: Double, heartRate: Double)], hrv: [HRVTimeline.Point] = [],
                width: Double = 1200) {
        let t0 = record.startUnix, t1 = max(record.endUnix, record.startUnix + 60)
        let hrv = hrv.filter { $0.time >= t0 && $0.time <= t1 }
        let l = Layout(width: width, rrPanel: !hrv.isEmpty)
        layout = l
        var svg = SVGDocument(width: l.width, height: l.height)
        let rest = record.reference.hrRest, maxHR = max(record.reference.hrMax, rest + 20)
        let inSpan = series.filter { $0.time >= t0 && $0.time <= t1 && $0.heartRate > 0 }
        let lo = min(rest - 5, inSpan.map(\.heartRate).min() ?? rest)
        let hi = max(maxHR + 5, inSpan.map(\.heartRate).max() ?? maxHR)
        func x(_ t: Double) -> Double { l.plotLeft + (t - t0) / (t1 - t0) * (l.plotRight - l.plotLeft) }
        func y(_ bpm: Double) -> Double { l.plotBottom - (bpm - lo) / (hi - lo) * l.plotHeight }

        svg.rect(x: 0, y: 0, width: l.width, height: l.height, fill: "#ffffff")
        let minutes = Int((record.durationSeconds / 60).rounded())
        svg.text("\(record.id) — \(record.class.rawValue) (confidence \(SVGDocument.number(record.confidence, places: 2))), \(minutes) min, "
                 + "mean HR \(Int(record.meanHr.rounded())), TRIMP \(SVGDocument.number(record.trimp.banister))",
                 x: l.plotLeft, y: 20, size: 15, weight: "bold", role: "title")
        // Zone bands, clipped to the plotted range.
        for z in Self.zones {
            let top = y(min(hi, rest + z.to * (maxHR - rest))), bottom = y(max(lo, rest + z.from * (maxHR - rest)))
            guard bottom > top else { continue }
            svg.rect(x: l.plotLeft, y: top, width: l.plotRight - l.plotLeft, height: bottom - top, fill: z.color, role: "zone", title: z.name)
        }
        // Axes: bpm every 20, minutes every 5/10/30.
        var bpm = (lo / 20).rounded(.up) * 20
        while bpm <= hi {
            svg.line(x1: l.plotLeft, y1: y(bpm), x2: l.plotRight, y2: y(bpm), stroke: "#c8ccd0", width: 0.5, role: "grid")
            svg.text(String(Int(bpm)), x: l.plotLeft - 6, y: y(bpm) + 4, size: 11, anchor: "end", role: "y-tick")
            bpm += 20
        }
        let span = (t1 - t0) / 60
        let step = span <= 40 ? 5.0 : span <= 120 ? 10 : 30
        var m = 0.0
        while m <= span {
            let px = x(t0 + m * 60)
            svg.line(x1: px, y1: l.plotBottom, x2: px, y2: l.plotBottom + 4, stroke: "#555", role: "x-tick")
            svg.text("\(Int(m)) min", x: px, y: l.labelStripTop + l.strip + 16, size: 11, anchor: "middle", role: "x-label")
            m += step
        }
        svg.line(x1: l.plotLeft, y1: l.plotBottom, x2: l.plotRight, y2: l.plotBottom, stroke: "#555", role: "axis")
        svg.line(x1: l.plotLeft, y1: l.plotTop, x2: l.plotLeft, y2: l.plotBottom, stroke: "#555", role: "axis")
        svg.text("bpm", x: 8, y: l.plotTop - 6, size: 11, role: "y-label")
        // Class segments above the plot.
        for s in record.segments {
            guard let a = ISO8601.parse(s.start), let b = ISO8601.parse(s.end) else { continue }
            let xa = x(max(a, t0)), xb = x(min(b, t1))
            svg.rect(x: xa, y: l.plotTop - 24, width: xb - xa, height: 18, fill: Self.color(s.class), role: "segment",
                     title: "\(s.class.rawValue) \(s.start) → \(s.end)")
            svg.text(s.class.rawValue, x: (xa + xb) / 2, y: l.plotTop - 11, size: 11, anchor: "middle", fill: "#fff", role: "segment-label")
        }
        // Heart rate: at most one point per horizontal unit (the mean of what falls in it).
        var points: [(x: Double, y: Double)] = []
        var bucket = -1, sum = 0.0, n = 0.0
        for s in inSpan {
            let b = Int(x(s.time).rounded(.down))
            if b != bucket, n > 0 {
                points.append((Double(bucket), y(sum / n)))
                sum = 0
                n = 0
            }
            bucket = b
            sum += s.heartRate
            n += 1
        }
        if n > 0 { points.append((Double(bucket), y(sum / n))) }
        svg.polyline(points, stroke: "#c1121f", role: "heart-rate")
        // Work bouts: a bar along the plot's foot from the trough to the confirmed fall, a tick at the peak.
        for b in record.bouts ?? [] where b.end >= t0 && b.start <= t1 {
            let xa = x(max(b.start, t0)), xb = x(min(b.end, t1)), xp = x(min(max(b.peakTime, t0), t1))
            svg.rect(x: xa, y: l.plotBottom - 7, width: xb - xa, height: 5, fill: "#264653", opacity: 0.7, role: "bout",
                     title: "bout: \(Int(b.troughBpm.rounded())) → \(Int(b.peakBpm.rounded())) bpm")
            svg.line(x1: xp, y1: l.plotBottom - 12, x2: xp, y2: l.plotBottom - 2, stroke: "#264653", width: 1.5, role: "bout-peak")
        }
        // The provisional label strip: what was shown, from when.
        svg.text("live", x: l.plotLeft - 6, y: l.labelStripTop + 15, size: 11, anchor: "end", role: "strip-label")
        let labels = record.provisionalLabels ?? []
        for (i, label) in labels.enumerated() {
            let from = t0 + label.afterSeconds
            let to = i + 1 < labels.count ? t0 + labels[i + 1].afterSeconds : t1
            guard to > from else { continue }
            svg.rect(x: x(min(from, t1)), y: l.labelStripTop, width: x(min(to, t1)) - x(min(from, t1)), height: l.strip,
                     fill: Self.color(label.class), opacity: 0.85, role: "provisional",
                     title: "\(label.class.rawValue) from \(label.at) (confidence \(SVGDocument.number(label.confidence, places: 2)))")
        }
        if !hrv.isEmpty { Self.drawRR(hrv, into: &svg, layout: l, x: x) }
        // Legend.
        var lx = l.plotLeft
        for z in Self.zones {
            svg.rect(x: lx, y: 30, width: 12, height: 12, fill: z.color, role: "legend")
            svg.text(z.name, x: lx + 16, y: 40, size: 11, role: "legend")
            lx += 150
        }
        document = svg
    }

    /// The RR panel: α1 on 0–1.5 with its threshold lines, artifact % on 0–20 % (its own colour),
    /// gaps where α1 is gated.
    static func drawRR(_ hrv: [HRVTimeline.Point], into svg: inout SVGDocument, layout l: Layout, x: (Double) -> Double) {
        func yAlpha(_ a: Double) -> Double { l.rrBottom - min(max(a, 0), 1.5) / 1.5 * l.rrHeight }
        func yArtifact(_ p: Double) -> Double { l.rrBottom - min(max(p, 0), 20) / 20 * l.rrHeight }
        svg.rect(x: l.plotLeft, y: l.rrTop, width: l.plotRight - l.plotLeft, height: l.rrHeight, fill: "#f7f8fa", role: "rr-panel")
        for (value, name) in alpha1References {
            svg.line(x1: l.plotLeft, y1: yAlpha(value), x2: l.plotRight, y2: yAlpha(value), stroke: "#8d99ae", width: 0.8, role: "alpha1-reference")
            svg.text(name, x: l.plotRight - 4, y: yAlpha(value) - 3, size: 10, anchor: "end", fill: "#5c677d", role: "alpha1-reference-label")
        }
        for a in [0.0, 0.5, 1.0, 1.5] {
            svg.text(SVGDocument.number(a), x: l.plotLeft - 6, y: yAlpha(a) + 4, size: 10, anchor: "end", role: "alpha1-tick")
        }
        svg.text("DFA α1", x: 8, y: l.rrTop - 6, size: 11, fill: "#2b6cb0", role: "rr-label")
        svg.text("artifacts (0–20 %)", x: l.plotLeft + 70, y: l.rrTop - 6, size: 11, fill: "#b7791f", role: "rr-label")
        svg.polyline(hrv.map { (x($0.time), yArtifact($0.artifactPercent)) }, stroke: "#b7791f", width: 1, role: "artifact")
        // α1 in runs between gated readings.
        var run: [(x: Double, y: Double)] = []
        for p in hrv {
            if let a = p.alpha1 {
                run.append((x(p.time), yAlpha(a)))
            } else if !run.isEmpty {
                svg.polyline(run, stroke: "#2b6cb0", width: 1.5, role: "alpha1")
                run = []
            }
        }
        if !run.isEmpty { svg.polyline(run, stroke: "#2b6cb0", width: 1.5, role: "alpha1") }
    }
}
