/// The RR intervals carried by one measurement, in milliseconds, stored inline.
///
/// A fixed-capacity collection so that decoding a notification never allocates on the hot
/// path. The capacity covers everything a Heart Rate Measurement can carry in the largest
/// legal attribute value (512 bytes: at most 255 intervals).
public struct RRIntervals: RandomAccessCollection, Sendable, Equatable {
    /// How many intervals one value can hold.
    public static let capacity = 255

    private var storage: InlineArray<255, Double>
    /// The number of intervals.
    public private(set) var count: Int

    /// An empty list.
    public init() {
        storage = InlineArray(repeating: 0)
        count = 0
    }

    /// A list made of the given intervals in milliseconds; more than `capacity` is a precondition failure.
    public init(_ milliseconds: some Sequence<Double>) {
        self.init()
        for value in milliseconds { append(value) }
    }

    /// Appends one interval in milliseconds. Returns false when the list is full.
    @discardableResult
    public mutating func append(_ milliseconds: Double) -> Bool {
        guard count < Self.capacity else { return false }
        storage[count] = milliseconds
        count += 1
        return true
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> Double {
        precondition(position >= 0 && position < count, "RR index out of range")
        return storage[position]
    }

    public static func == (lhs: RRIntervals, rhs: RRIntervals) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
