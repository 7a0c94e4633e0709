import ArgumentParser
import Charts
import HeartRateWire
import Ingest
import IngestDaemon
import Physiology
import Storage
import Traces

/// `ingestctl plot SESSION_ID|FILE`: a session's chart as SVG (or HTML with its summary).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Chart a stored session (by ID) or every session of a recording (FILE) as SVG or HTML.",
        discussion: """
            Heart rate over time on zone bands (% of heart-rate reserve between the session's HRrest and HRmax), \
            the class segments above it and the live (provisional) label under it. A stored session's heart rate \
            comes from its FIT export. -o OUT.html wraps the chart with the session's summary, self-contained.
            """
    )

    @Argument(help: "A session ID (see `ingestctl sessions`) or a recording (CSV, FIT, raw log, btsnoop); none with --week.")
    var target: String?

    @Flag(name: .long, help: "Chart the 28 days up to today (or the last session): daily load, CTL/ATL/TSB, WHO minutes, strength days.")
    var week = false

    @Option(name: .long, help: "With --week: whose (an [[athlete]] id; default: the default athlete).")
    var athlete: String?

    @Option(name: .long, help: "With --week: the daemon's config, for the athletes (default /etc/ingestd/ingestd.toml if present).")
    var config: String?

    @Option(name: .shortAndLong, help: "Output file (.svg or .html); default ID.svg in the current directory. With several sessions, -1, -2 … are added before the extension.")
    var output: String?

    @Option(name: .long, help: "Chart width in pixels (400 or more).")
    var width: Double = 1200

    @OptionGroup var options: StateOptions

    func validate() throws {
        if week == (target != nil) { throw ValidationError("give a session ID or a FILE, or --week (not both)") }
        if athlete != nil && !week { throw ValidationError("--athlete goes with --week") }
        if let athlete, !Athlete.isIdentifier(athlete) { throw ValidationError("`\(athlete)` is not an athlete id") }
        if width < 400 || width > 20_000 { throw ValidationError("--width must be 400…20000, not \(width)") }
        if let output, !(output.hasSuffix(".svg") || output.hasSuffix(".html")) {
            throw ValidationError("-o takes a file ending in .svg or .html, not `\(output)`")
        }
    }

    /// Collects one strap's heart rate as the pipeline folds it in.
    final class Series: SampleSink, PipelineSink {
        var points: [(time: Double, heartRate: Double)] = []
        var hrv = HRVTimeline()
        var records: [SessionRecord] = []
        func sample(time: Double, heartRate: UInt16?, rrIntervals: RRIntervals) {
            if let heartRate, heartRate > 0 { points.append((time, Double(heartRate))) }
            hrv.add(time: time, heartRate: heartRate.map(Double.init), rrIntervals: rrIntervals.map { $0 })
        }
        func receive(_ event: PipelineEvent) {
            if case .sessionEnded(let r) = event { records.append(r) }
        }
    }

    func run() throws {
        guard let target else { return try plotWeek() }
        var charts: [(SessionRecord, [(time: Double, heartRate: Double)], [HRVTimeline.Point])] = []
        if SessionRecord.isIdentifier(target) {
            guard let record = try StoredState.session(target, stateDirectory: options.stateDirectory) else {
                StandardError.write("ingestctl: no session \(target) in \(options.stateDirectory) (see `ingestctl sessions`)\n")
                throw ExitCode(1)
            }
            let fit = options.stateDirectory + "/sessions/" + target + ".fit"
            var points: [(time: Double, heartRate: Double)] = []
            var hrv = HRVTimeline()
            do {
                var reader = FITTraceReader(try FileByteSource(path: fit), name: fit)
                while let e = try reader.next() {
                    guard case .sample(let s) = e else { continue }
                    if let hr = s.heartRate, hr > 0 { points.append((s.time, Double(hr))) }
                    hrv.add(time: s.time, heartRate: s.heartRate.map(Double.init), rrIntervals: s.rrIntervals.map { $0 })
                }
            } catch {
                StandardError.write("ingestctl: session \(target): its heart rate is in \(fit), which cannot be read: \(error)\n")
                throw ExitCode(1)
            }
            charts.append((record, points, hrv.points))
        } else {
            var opened = try openTrace(target)
            var series: [Series] = []
            _ = TraceReplay.run(&opened.reader, device: .replay, pipelineFor: { address in
                let s = Series()
                series.append(s)
                let pipeline = StrapPipeline(device: address, profile: AthleteProfile(), sinks: [s])
                pipeline.add(sampleSink: s)
                return pipeline
            })
            for s in series { for r in s.records { charts.append((r, s.points, s.hrv.points)) } }
            if charts.isEmpty {
                StandardError.write("ingestctl: \(target): no session found, nothing to plot\n")
                throw ExitCode(1)
            }
        }
        for (i, (record, points, hrv)) in charts.enumerated() {
            guard points.contains(where: { $0.time >= record.startUnix && $0.time <= record.endUnix }) else {
                StandardError.write("ingestctl: session \(record.id) has no heart rate to plot\n")
                throw ExitCode(1)
            }
            let chart = SessionChart(record, series: points, hrv: hrv, width: width)
            var path = output ?? record.id + ".svg"
            if charts.count > 1, let dot = path.lastIndex(of: ".") {
                path = String(path[..<dot]) + "-\(i + 1)" + String(path[dot...])
            }
            try Self.write(path.hasSuffix(".html") ? Self.html(record, svg: chart.document.text) : chart.document.text, to: path)
            print("\(record.id): \(path)")
        }
    }

    /// `--week`: the chosen athlete's last 28 days.
    func plotWeek() throws {
        let roster: AthleteRoster
        do {
            roster = try ConfigLoader.load(path: config).roster
        } catch {
            StandardError.write("ingestctl: config error: \(error)\n")
            throw ExitCode(2)
        }
        let id = athlete ?? roster.defaultID
        guard roster.athlete(id: id) != nil else {
            StandardError.write("ingestctl: no athlete \"\(id)\" in the config (known: \(roster.athletes.map(\.id).joined(separator: ", ")))\n")
            throw ExitCode(1)
        }
        let (all, problems) = StoredState.days(stateDirectory: options.stateDirectory)
        for p in problems { StandardError.write("ingestctl: \(p)\n") }
        let days = WeekText.sessions(of: id, in: all, defaultID: roster.defaultID)
        guard !days.isEmpty else {
            StandardError.write("ingestctl: no sessions of \(id) in \(options.stateDirectory), nothing to plot\n")
            throw ExitCode(1)
        }
        let asOf = WeekText.endDay(of: days, today: Int((WallClock.now() / 86_400).rounded(.down))).day
        let chart = WeekChart(sessions: days, asOfDay: asOf, title: "\(id): the 28 days to \(WeekChart.date(asOf))", width: width)
        let path = output ?? "week-\(id).svg"
        try Self.write(path.hasSuffix(".html")
            ? "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>week</title></head><body>\n" + chart.document.text + "</body></html>\n"
            : chart.document.text, to: path)
        print("week of \(id): \(path)")
    }

    /// Writes a chart file (readable by others: it is for people), or says why not and exits 1.
    static func write(_ text: String, to path: String) throws {
        do {
            try AtomicFile.write(Array(text.utf8), to: path, mode: 0o644)
        } catch {
            StandardError.write("ingestctl: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// A self-contained page: the chart and the session's summary (no network, no script).
    static func html(_ record: SessionRecord, svg: String) -> String {
        SessionPage.document(record, svg: svg, summary: SessionText.describe(record))
    }
}
