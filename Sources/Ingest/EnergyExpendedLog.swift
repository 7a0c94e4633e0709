/// The strap's Energy Expended field (Heart Rate Measurement flag bit 3: cumulative kJ since the
/// strap's counter was last reset, saturating at 65 535) turned into the energy of any span:
/// readings are unwrapped into one rising total (a lower reading is a counter reset, after which
/// the new count adds on), kept only when the total changes, and forgotten once a session that
/// covered them has ended. A few points a minute during work; none without the field.
public struct EnergyExpendedLog: Sendable {
    private var times: [Double] = []
    private var totals: [Double] = []
    private var lastReading: UInt16? = nil
    private var total = 0.0

    public init() {}

    /// Folds in one reading (kJ) received at `time`.
    public mutating func add(_ kilojoules: UInt16, at time: Double) {
        if let last = lastReading {
            total += kilojoules >= last ? Double(kilojoules - last) : Double(kilojoules)
        }
        lastReading = kilojoules
        if totals.last != total || totals.isEmpty {
            times.append(time)
            totals.append(total)
        }
    }

    /// kJ the strap counted between `start` and `end`, nil when it sent no reading in that span.
    public func expended(from start: Double, to end: Double) -> Double? {
        guard let first = times.firstIndex(where: { $0 >= start }), times[first] <= end else { return nil }
        // The total at `start` is the last one before it (else the first inside the span).
        let atStart = first > 0 ? totals[first - 1] : totals[first]
        let last = times.lastIndex(where: { $0 <= end }) ?? first
        return totals[last] - atStart
    }

    /// Drops the points before `time`, keeping the one a span starting at `time` measures from.
    public mutating func forget(before time: Double) {
        guard let keep = times.lastIndex(where: { $0 < time }), keep > 0 else { return }
        times.removeFirst(keep)
        totals.removeFirst(keep)
    }
}
