import Glibc

/// CLOCK_MONOTONIC seconds, for timing in the tools (never used by the engine).
public enum MonotonicClock {
    /// Seconds since an arbitrary start.
    public static func seconds() -> Double { WallClock.monotonic() }
}
