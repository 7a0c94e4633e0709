import RealModule

/// Ordinary-least-squares slope of log F on log n, fed one scale at a time (DFA's last step).
struct LogLogSlope {
    private var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, count = 0.0

    /// Adds the scale `n` with the log of its fluctuation.
    mutating func add(scale n: Int, logFluctuation y: Double) {
        let x = Double.log(Double(n))
        sx += x
        sy += y
        sxx += x * x
        sxy += x * y
        count += 1
    }

    /// The slope, nil with fewer than three scales.
    var slope: Double? {
        guard count >= 3 else { return nil }
        let d = count * sxx - sx * sx
        return d > 0 ? (count * sxy - sx * sy) / d : nil
    }
}
