/// A ring buffer of fixed capacity, allocated once; push and pop never allocate.
public struct FixedRing<Element>: Sendable where Element: Sendable {
    private var storage: [Element]
    private var head = 0
    /// Elements held.
    public private(set) var count = 0

    /// A ring of `capacity` slots, each first holding `filler`.
    public init(capacity: Int, filler: Element) {
        precondition(capacity > 0)
        storage = Array(repeating: filler, count: capacity)
    }

    /// Slots available.
    public var capacity: Int { storage.count }
    /// Whether no element is held.
    public var isEmpty: Bool { count == 0 }
    /// Whether every slot is used.
    public var isFull: Bool { count == storage.count }

    /// Appends at the back; when full, the oldest element is dropped and returned.
    @discardableResult
    public mutating func push(_ element: Element) -> Element? {
        var dropped: Element? = nil
        if count == storage.count { dropped = popFirst() }
        storage[(head + count) % storage.count] = element
        count += 1
        return dropped
    }

    /// Removes and returns the oldest element.
    @discardableResult
    public mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let e = storage[head]
        head = (head + 1) % storage.count
        count -= 1
        return e
    }

    /// The oldest element.
    public var first: Element? { count > 0 ? storage[head] : nil }
    /// The newest element.
    public var last: Element? { count > 0 ? storage[(head + count - 1) % storage.count] : nil }

    /// The `i`-th element from the oldest.
    public subscript(i: Int) -> Element {
        storage[(head + i) % storage.count]
    }

    /// Empties the ring (capacity kept).
    public mutating func removeAll() {
        head = 0
        count = 0
    }
}
