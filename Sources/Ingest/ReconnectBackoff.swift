/// The wait between reconnect attempts of a strap link, for both live backends: 1 s, doubling
/// per consecutive failure up to a maximum, each wait ±20 % jitter so a gym's straps do not
/// retry in step. Pure: the jitter comes from a seeded SplitMix64, the caller owns the clock.
public struct ReconnectBackoff: Sendable, Equatable {
    /// The first wait and the cap (seconds).
    public let first: Double
    public let maximum: Double
    /// Consecutive failures since the last `reset()`.
    public private(set) var failures = 0
    private var random: UInt64

    /// A backoff whose jitter `seed` drives.
    public init(first: Double = 1, maximum: Double, seed: UInt64) {
        self.first = first
        self.maximum = maximum
        random = seed
    }

    /// Counts a failure and returns the wait before the next attempt.
    public mutating func nextDelay() -> Double {
        failures += 1
        let base = min(maximum, first * Double(1 << min(failures - 1, 20)))
        return base * (0.8 + 0.4 * nextUnit())
    }

    /// The link works again: the next failure waits `first` again.
    public mutating func reset() { failures = 0 }

    /// SplitMix64 → [0, 1).
    private mutating func nextUnit() -> Double {
        random &+= 0x9E37_79B9_7F4A_7C15
        var z = random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
