import RealModule

/// An exponentially weighted moving average for irregularly spaced samples:
/// `m ← m + (1 − e^(−Δt/τ)) (x − m)`. O(1), no allocation.
public struct ExponentialAverage: Sendable, Equatable {
    /// The time constant τ in seconds.
    public let timeConstant: Double
    /// The current mean, nil before the first value.
    public private(set) var value: Double?

    /// An empty average with time constant `seconds`.
    public init(timeConstant seconds: Double) {
        precondition(seconds > 0)
        timeConstant = seconds
    }

    /// Folds in `x`, observed `dt` seconds after the previous value.
    public mutating func add(_ x: Double, dt: Double) {
        guard let m = value else {
            value = x
            return
        }
        let alpha = 1 - Double.exp(-max(dt, 0) / timeConstant)
        value = m + alpha * (x - m)
    }

    /// Forgets everything.
    public mutating func reset() { value = nil }
}

