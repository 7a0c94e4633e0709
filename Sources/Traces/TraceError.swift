/// Why a recorded trace could not be read, and where.
///
/// The description reads like a compiler diagnostic: `FILE:LINE: reason` for text formats,
/// `FILE@OFFSET: reason` for binary formats, so a user can go straight to the bad bytes.
public struct TraceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The file is empty.
        public static let empty = Code(name: "empty file")
        /// The header, magic or a field is not what the format requires.
        public static let malformed = Code(name: "malformed")
        /// The data ends in the middle of a header or record.
        public static let truncated = Code(name: "truncated")
        /// A checksum does not match.
        public static let checksum = Code(name: "checksum mismatch")
        /// A value is outside what the format or physiology allows (hr 900, negative RR).
        public static let outOfRange = Code(name: "value out of range")
        /// Time runs backwards.
        public static let timeOrder = Code(name: "time goes backwards")
        /// Reading the underlying file failed.
        public static let io = Code(name: "I/O error")
        /// The format could not be recognised.
        public static let unknownFormat = Code(name: "unknown format")
        public var description: String { name }
    }

    /// Where in the input the problem is.
    public enum Location: Hashable, Sendable {
        /// A 1-based line number (text formats).
        case line(Int)
        /// A 0-based byte offset (binary formats).
        case offset(Int)
        /// The whole input.
        case whole
    }

    /// The kind of failure.
    public var code: Code
    /// The input's name (usually its path); empty when unknown.
    public var source: String
    /// Where the problem is.
    public var location: Location
    /// A sentence a user can act on.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, source: String = "", at location: Location, _ reason: String) {
        self.code = code
        self.source = source
        self.location = location
        self.reason = reason
    }

    public var description: String {
        let name = source.isEmpty ? "<input>" : source
        switch location {
        case .line(let n): return "\(name):\(n): \(code): \(reason)"
        case .offset(let o): return "\(name)@\(o): \(code): \(reason)"
        case .whole: return "\(name): \(code): \(reason)"
        }
    }

    /// The same error naming `source`.
    public func naming(_ source: String) -> TraceError {
        var copy = self
        copy.source = source
        return copy
    }
}
