/// Why a PMD notification is not a frame this decoder reads.
public struct PolarPMDError: Error, Hashable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var detail: String
    public var description: String { "Polar PMD frame at byte \(offset): \(detail)" }
}
