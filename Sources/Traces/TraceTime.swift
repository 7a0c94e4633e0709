/// The times a trace may carry.
///
/// Every time that comes from input (a CSV cell, an ISO 8601 string, a raw-log stamp) is checked
/// against `plausible` before anything computes with it: far outside it, `Double` arithmetic
/// stops being exact (at 1e19 s adding a minute changes nothing, so a loop that walks minutes
/// never ends) and conversions to `Int` trap.
public enum TraceTime {
    /// Unix seconds from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the years ISO 8601 writes
    /// with four digits. At the upper end a `Double` still resolves 0.03 ms.
    public static let plausible: ClosedRange<Double> = -62_167_219_200...253_402_300_799

    /// Whether `seconds` is a time a trace may carry.
    public static func isPlausible(_ seconds: Double) -> Bool { plausible.contains(seconds) }
}
