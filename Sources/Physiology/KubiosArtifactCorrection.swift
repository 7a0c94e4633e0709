/// Lipponen & Tarvainen (2019) RR artifact detection and correction on a fixed window of beats,
/// as neurokit2 0.2.13 implements it (`signal_fixpeaks(method="Kubios")`): alpha 5.2, a 91-beat
/// quartile window, an 11-beat median, c1 0.13, c2 0.17, iterated while the number of
/// artifacts falls. Works on beat times in milliseconds (integers, as peaks sampled at 1 kHz).
///
/// A batch algorithm: the live path uses `RRGate`; this one is for recordings and research
/// (`ingestctl hrv --correct`). Cost O(n · 91 log 91) per pass; it allocates.
public enum KubiosArtifactCorrection {
    /// What was found and the corrected series.
    public struct Result: Sendable, Equatable {
        /// Corrected beat times (ms, integers as neurokit2 keeps them).
        public var peaks: [Int]
        /// Indices (into the series of the last pass) classified per artifact kind.
        public var ectopic: [Int]
        public var missed: [Int]
        public var extra: [Int]
        public var longShort: [Int]
        /// Corrected RR intervals (ms).
        public var rrIntervals: [Double] {
            peaks.count < 2 ? [] : (1..<peaks.count).map { Double(peaks[$0] - peaks[$0 - 1]) }
        }
    }

    /// Constants of the method (Lipponen & Tarvainen 2019).
    public static let alpha = 5.2
    public static let windowWidth = 91
    public static let medianOrder = 11
    public static let c1 = 0.13
    public static let c2 = 0.17

    /// Corrects RR intervals (ms): beat times are their cumulative sum from 0, rounded to ms.
    public static func correct(rrIntervals: [Double]) -> Result {
        var peaks = [0]
        var t = 0.0
        for rr in rrIntervals {
            t += rr
            peaks.append(Int(t.rounded()))
        }
        return correct(peaks: peaks)
    }

    /// Corrects beat times (ms).
    public static func correct(peaks input: [Int]) -> Result {
        var found = find(input)
        var peaks = apply(found, to: input)
        var current = found.total
        while true {
            let next = find(peaks)
            if next.total >= current { break }
            current = next.total
            found = next
            peaks = apply(found, to: peaks)
        }
        return Result(peaks: peaks, ectopic: found.ectopic, missed: found.missed, extra: found.extra,
                      longShort: found.longShort)
    }

    struct Found {
        var ectopic: [Int] = []
        var missed: [Int] = []
        var extra: [Int] = []
        var longShort: [Int] = []
        var total: Int { ectopic.count + missed.count + extra.count + longShort.count }
    }

    // MARK: - Detection (neurokit2 `_find_artifacts`)

    static func find(_ peaks: [Int]) -> Found {
        let n = peaks.count
        guard n >= 3 else { return Found() }
        var rr = [Double](repeating: 0, count: n)
        for i in 1..<n { rr[i] = Double(peaks[i] - peaks[i - 1]) / 1000 }
        rr[0] = mean(rr[1...])
        var drrs = [Double](repeating: 0, count: n)
        for i in 1..<n { drrs[i] = rr[i] - rr[i - 1] }
        drrs[0] = mean(drrs[1...])

        let th1 = threshold(drrs)
        for i in 0..<n { drrs[i] = th1[i] != 0 ? drrs[i] / th1[i] : .nan }

        let pad = reflectPad(drrs, 2)
        var s12 = [Double](repeating: 0, count: n)
        var s22 = [Double](repeating: 0, count: n)
        for d in 2..<(2 + n) {
            if pad[d] > 0 {
                s12[d - 2] = nanMax(pad[d - 1], pad[d + 1])
            } else if pad[d] < 0 {
                s12[d - 2] = nanMin(pad[d - 1], pad[d + 1])
            }
            if pad[d] >= 0 {
                s22[d - 2] = nanMin(pad[d + 1], pad[d + 2])
            } else if pad[d] < 0 {
                s22[d - 2] = nanMax(pad[d + 1], pad[d + 2])
            }
        }
        let medrr = rollingQuantile(rr, window: medianOrder, q: 0.5)
        var mrrs = (0..<n).map { rr[$0] - medrr[$0] }
        for i in 0..<n where mrrs[i] < 0 { mrrs[i] *= 2 }
        let th2 = threshold(mrrs)
        for i in 0..<n { mrrs[i] = th2[i] != 0 ? mrrs[i] / th2[i] : .nan }

        var found = Found()
        var i = 0
        while i < n - 2 {
            if abs(drrs[i]) <= 1 {
                i += 1
                continue
            }
            let eq1 = drrs[i] > 1 && s12[i] < (-c1 * drrs[i] - c2)
            let eq2 = drrs[i] < -1 && s12[i] > (-c1 * drrs[i] + c2)
            if eq1 || eq2 {
                found.ectopic.append(i)
                i += 1
                continue
            }
            if !(abs(drrs[i]) > 1 || abs(mrrs[i]) > 3) {
                i += 1
                continue
            }
            var candidates = [i]
            if abs(drrs[i + 1]) < abs(drrs[i + 2]) { candidates.append(i + 1) }
            for j in candidates {
                let eq3 = drrs[j] > 1 && s22[j] < -1
                let eq4 = abs(mrrs[j]) > 3
                let eq5 = drrs[j] < -1 && s22[j] > 1
                if !(eq3 || eq4 || eq5) {
                    i += 1  // neurokit2 advances i once per candidate
                    continue
                }
                let eq6 = abs(rr[j] / 2 - medrr[j]) < th2[j]
                let eq7 = j + 1 < n && abs(rr[j] + rr[j + 1] - medrr[j]) < th2[j]
                if eq5 && eq7 {
                    found.extra.append(j)
                } else if eq3 && eq6 {
                    found.missed.append(j)
                } else {
                    found.longShort.append(j)
                }
                i += 1
            }
        }
        return found
    }

    // MARK: - Correction (neurokit2 `_correct_artifacts`)

    static func apply(_ f: Found, to input: [Int]) -> [Int] {
        var peaks = input
        var missed = f.missed, ectopic = f.ectopic, longShort = f.longShort
        if !f.extra.isEmpty {
            let drop = Set(f.extra)
            peaks = peaks.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            missed = update(f.extra, missed, -1)
            ectopic = update(f.extra, ectopic, -1)
            longShort = update(f.extra, longShort, -1)
        }
        if !missed.isEmpty {
            let valid = missed.filter { $0 > 1 && $0 < peaks.count }
            let added = valid.map { Int(Double(peaks[$0 - 1]) + Double(peaks[$0] - peaks[$0 - 1]) / 2) }
            // np.insert at the original indices: insert from the back so earlier indices hold.
            for (index, value) in zip(valid, added).sorted(by: { $0.0 > $1.0 }) { peaks.insert(value, at: index) }
            ectopic = update(missed, ectopic, 1)
            longShort = update(missed, longShort, 1)
        }
        if !ectopic.isEmpty { peaks = realign(ectopic, peaks) }
        if !longShort.isEmpty { peaks = realign(longShort, peaks) }
        return peaks
    }

    private static func realign(_ indices: [Int], _ input: [Int]) -> [Int] {
        let valid = indices.filter { $0 > 1 && $0 < input.count - 1 }
        let moved = valid.map { Int(Double(input[$0 - 1]) + Double(input[$0 + 1] - input[$0 - 1]) / 2) }
        let drop = Set(valid)
        var peaks = input.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        peaks.append(contentsOf: moved)
        return peaks.sorted()
    }

    private static func update(_ source: [Int], _ targets: [Int], _ delta: Int) -> [Int] {
        guard !targets.isEmpty else { return targets }
        var out = targets
        for s in source { out = out.map { $0 > s ? $0 + delta : $0 } }
        return Array(Set(out)).sorted()
    }

    // MARK: - Helpers (pandas rolling, numpy padding)

    static func threshold(_ signal: [Double]) -> [Double] {
        let a = signal.map { abs($0) }
        let q1 = rollingQuantile(a, window: windowWidth, q: 0.25)
        let q3 = rollingQuantile(a, window: windowWidth, q: 0.75)
        return (0..<a.count).map { alpha * (q3[$0] - q1[$0]) / 2 }
    }

    /// pandas `rolling(window, center=True, min_periods=1).quantile(q)` (linear interpolation).
    static func rollingQuantile(_ x: [Double], window: Int, q: Double) -> [Double] {
        let n = x.count
        let half = window / 2
        var out = [Double](repeating: 0, count: n)
        var buffer: [Double] = []
        buffer.reserveCapacity(window)
        for i in 0..<n {
            buffer.removeAll(keepingCapacity: true)
            for j in max(0, i - half)...min(n - 1, i + half) where !x[j].isNaN { buffer.append(x[j]) }
            guard !buffer.isEmpty else {
                out[i] = .nan
                continue
            }
            buffer.sort()
            let position = q * Double(buffer.count - 1)
            let lo = Int(position.rounded(.down))
            let hi = min(lo + 1, buffer.count - 1)
            out[i] = buffer[lo] + (buffer[hi] - buffer[lo]) * (position - Double(lo))
        }
        return out
    }

    /// numpy `pad(x, k, "reflect")`.
    static func reflectPad(_ x: [Double], _ k: Int) -> [Double] {
        let n = x.count
        func at(_ i: Int) -> Double {
            var j = i
            if n == 1 { return x[0] }
            let period = 2 * (n - 1)
            j = ((j % period) + period) % period
            return j < n ? x[j] : x[period - j]
        }
        return (-k..<(n + k)).map(at)
    }

    private static func mean(_ s: ArraySlice<Double>) -> Double {
        s.isEmpty ? 0 : s.reduce(0, +) / Double(s.count)
    }

    /// numpy `max`/`min` of two values propagate NaN.
    private static func nanMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : max(a, b) }
    private static func nanMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : min(a, b) }
}
