/// The RR intervals carried by one measurement, in milliseconds.
///
/// A small vector: up to `inlineCapacity` intervals are stored inline, so decoding a real
/// strap's notification (one to four beats a second) never allocates on the hot path; longer
/// lists (up to the 255 a legal 512-byte attribute value can carry) spill to the heap.
public struct RRIntervals: RandomAccessCollection, Sendable, Equatable {
    /// How many intervals one value can hold.
    public static let capacity = 255
    /// How many are stored without allocating.
    public static let inlineCapacity = 16

    private var inline: InlineArray<16, Double>
    private var spill: [Double]? = nil
    /// The number of intervals.
    public private(set) var count: Int

    /// An empty list.
    public init() {
        inline = InlineArray(repeating: 0)
        count = 0
    }

    /// A list made of the given intervals in milliseconds (at most `capacity` are kept).
    public init(_ milliseconds: some Sequence<Double>) {
        self.init()
        for value in milliseconds { append(value) }
    }

    /// Appends one interval in milliseconds. Returns false when the list is full.
    @discardableResult
    public mutating func append(_ milliseconds: Double) -> Bool {
        guard count < Self.capacity else { return false }
        if count < Self.inlineCapacity {
            inline[count] = milliseconds
        } else {
            if spill == nil {
                spill = []
                spill!.reserveCapacity(Self.capacity - Self.inlineCapacity)
            }
            spill!.append(milliseconds)
        }
        count += 1
        return true
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> Double {
        precondition(position >= 0 && position < count, "RR index out of range")
        return position < Self.inlineCapacity ? inline[position] : spill![position - Self.inlineCapacity]
    }

    public static func == (lhs: RRIntervals, rhs: RRIntervals) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
