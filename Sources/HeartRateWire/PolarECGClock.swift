/// Gives every sample of a Polar ECG stream its time on the strap's clock.
///
/// A PMD frame stamps only its last sample (nanoseconds since 2000-01-01 on the strap's clock).
/// As in Polar's SDK, the samples of a frame are spaced by the time since the previous frame
/// divided by the frame's sample count; the first frame, and a frame after a gap or a clock
/// step (a spacing outside half to twice the nominal one), use the nominal rate instead.
public struct PolarECGClock: Sendable {
    /// The ECG rate the start request asks for (`PolarPMDFrame.startECG`), Hz.
    public static let nominalRate = 130.0
    private var previous: UInt64?

    /// A clock before the first frame.
    public init() {}

    /// The strap time (ns since 2000-01-01) of each sample of `frame`, oldest first.
    public mutating func times(of frame: PolarPMDFrame) -> [UInt64] {
        let n = frame.microvolts.count
        defer { previous = frame.timestamp }
        guard n > 0 else { return [] }
        let nominal = 1e9 / Self.nominalRate
        var step = nominal
        if let previous, frame.timestamp > previous {
            let measured = Double(frame.timestamp - previous) / Double(n)
            if measured >= nominal / 2 && measured <= nominal * 2 { step = measured }
        }
        return (0..<n).map { i in
            let back = (Double(n - 1 - i) * step).rounded()
            return back >= Double(frame.timestamp) ? 0 : frame.timestamp - UInt64(back)
        }
    }
}
