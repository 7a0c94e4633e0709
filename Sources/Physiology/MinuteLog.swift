/// Per-minute snapshots of a session's structure, kept in storage allocated once, so that at
/// the end of a session the segments can be found with hindsight: each minute is classified
/// from the ±`halfWindow` minutes around it (past and future), labels are smoothed, and runs
/// shorter than `minimumSegmentMinutes` are merged into their neighbours. Sessions longer than
/// the capacity keep their last `capacity` minutes of detail (earlier minutes join the first
/// segment).
struct MinuteLog: Sendable {
    /// Minutes of detail kept (12 h).
    static let capacity = 720
    /// Minutes on each side of a minute that decide its label (H).
    static let halfWindow = 10
    /// Shortest segment reported, in minutes (H).
    static let minimumSegmentMinutes = 8

    private var snapshots: FixedRing<StructureStats>
    private var doses: FixedRing<StimulusDose>
    private var peaks: FixedRing<Double>
    private var minutePeak = 0.0
    private(set) var start = 0.0
    private var nextBoundary = 0.0

    init() {
        snapshots = FixedRing(capacity: Self.capacity + 1, filler: StructureStats())
        doses = FixedRing(capacity: Self.capacity + 1, filler: StimulusDose())
        peaks = FixedRing(capacity: Self.capacity + 1, filler: 0)
    }

    /// Starts a session at `time` (snapshot of the empty structure).
    mutating func begin(at time: Double, with stats: StructureStats, dose: StimulusDose) {
        snapshots.removeAll()
        doses.removeAll()
        peaks.removeAll()
        snapshots.push(stats)
        doses.push(dose)
        peaks.push(0)
        minutePeak = 0
        start = time
        nextBoundary = time + 60
    }

    /// Records the structure after a sample at `time` with the 2-min trend intensity `trend`.
    mutating func record(at time: Double, stats: StructureStats, dose: StimulusDose, trend: Double) {
        minutePeak = max(minutePeak, trend)
        while time >= nextBoundary {
            snapshots.push(stats)
            doses.push(dose)
            peaks.push(minutePeak)
            minutePeak = trend
            nextBoundary += 60
        }
    }

    /// The stimulus dose and highest 2-min intensity between two times of the session, at minute
    /// resolution (`total` and its peak close the last minute).
    func dose(from: Double, to: Double, total: StimulusDose, totalPeak: Double) -> (StimulusDose, Double) {
        let n = doses.count - 1
        let offset = max(0, Int(((to - start) / 60).rounded(.down)) - n)
        func index(_ t: Double) -> Int { min(max(Int(((t - start) / 60).rounded()) - offset, 0), n) }
        let a = index(from), b = index(to)
        let end = b >= n ? total : doses[b]
        var peak = 0.0
        if b > a { for k in (a + 1)...b { peak = max(peak, peaks[k]) } }
        return (end.since(doses[a]), b >= n ? max(peak, totalPeak) : peak)
    }

    /// The most frequent label of `window`; a tie goes to `current` if it is one of the tied,
    /// else to the first tied class in `SessionClass.allCases` order — never to a hash order, so
    /// the same recording always gives the same segments.
    static func majority(_ window: ArraySlice<SessionClass>, keeping current: SessionClass) -> SessionClass {
        let count = { (c: SessionClass) in window.reduce(0) { $0 + ($1 == c ? 1 : 0) } }
        var best = current, bestCount = count(current)
        for c in SessionClass.allCases where count(c) > bestCount {
            best = c
            bestCount = count(c)
        }
        return best
    }

    /// Segments of the session up to `end`, from hindsight per-minute labels.
    func segments(end: Double, classify: (StructureStats) -> SessionClass) -> [SessionSegment] {
        let n = snapshots.count - 1  // whole minutes recorded
        guard n >= 1 else { return [] }
        let offset = Double(max(0, Int(((end - start) / 60).rounded(.down)) - n))  // minutes lost to the ring
        var labels: [SessionClass] = []
        labels.reserveCapacity(n)
        for m in 0..<n {
            let a = max(0, m - Self.halfWindow), b = min(n, m + Self.halfWindow + 1)
            var peak = 0.0
            for k in (a + 1)...b { peak = max(peak, peaks[k]) }
            labels.append(classify(snapshots[b].since(snapshots[a], peak: peak)))
        }
        // Majority over ±4 minutes smooths single-minute flips.
        var smooth = labels
        for m in 0..<n { smooth[m] = Self.majority(labels[max(0, m - 4)..<min(n, m + 5)], keeping: labels[m]) }
        // Runs, then merge runs shorter than the minimum into the longer neighbour.
        var runs: [(cls: SessionClass, from: Int, to: Int)] = []
        for (m, c) in smooth.enumerated() {
            if let last = runs.last, last.cls == c { runs[runs.count - 1].to = m + 1 } else { runs.append((c, m, m + 1)) }
        }
        var changed = true
        while changed && runs.count > 1 {
            changed = false
            guard let i = runs.indices.min(by: { runs[$0].to - runs[$0].from < runs[$1].to - runs[$1].from }),
                  runs[i].to - runs[i].from < Self.minimumSegmentMinutes else { break }
            let left = i > 0 ? runs[i - 1].to - runs[i - 1].from : -1
            let right = i + 1 < runs.count ? runs[i + 1].to - runs[i + 1].from : -1
            if left >= right { runs[i - 1].to = runs[i].to } else { runs[i + 1].from = runs[i].from }
            runs.remove(at: i)
            var merged: [(cls: SessionClass, from: Int, to: Int)] = []
            for r in runs {
                if let last = merged.last, last.cls == r.cls { merged[merged.count - 1].to = r.to } else { merged.append(r) }
            }
            runs = merged
            changed = true
        }
        return runs.enumerated().map { i, r in
            let from = i == 0 ? start : start + (offset + Double(r.from)) * 60
            let to = i == runs.count - 1 ? end : start + (offset + Double(r.to)) * 60
            return SessionSegment(start: from, end: to, sessionClass: r.cls)
        }
    }
}
