/// Why a characteristic value could not be decoded.
///
/// Every case says which characteristic, what was wrong and where, so a log line made of it is
/// enough to find the bytes again.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The value is shorter than its flags or fixed layout require.
        public static let truncated = Code(name: "truncated")
        /// The value is longer than its layout allows, or bytes are left over.
        public static let trailingBytes = Code(name: "trailing bytes")
        /// The value is empty.
        public static let empty = Code(name: "empty")
        /// A field holds a value the specification forbids.
        public static let invalidValue = Code(name: "invalid value")
        /// More RR intervals than one measurement can carry in this decoder.
        public static let tooManyRRIntervals = Code(name: "too many RR intervals")
        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// The characteristic whose value was decoded.
    public var characteristic: GATTIdentifier
    /// The byte offset inside the value where the problem was found.
    public var offset: Int
    /// A human sentence with the details (expected and found lengths, the flag that asked).
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, characteristic: GATTIdentifier, offset: Int, detail: String) {
        self.code = code
        self.characteristic = characteristic
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        "characteristic \(characteristic) at byte \(offset): \(code): \(detail)"
    }
}
