import Glibc

/// A D-Bus value, typed as on the wire (the subset of the type system BlueZ uses, and all of
/// the basic types).
public indirect enum BusValue: Sendable, Equatable {
    case byte(UInt8)
    case bool(Bool)
    case int16(Int16)
    case uint16(UInt16)
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case double(Double)
    case string(String)
    case objectPath(String)
    case signature(String)
    /// A Unix file descriptor (received: owned by the message until duplicated).
    case unixFD(Int32)
    /// An array with its element signature (needed for empty arrays).
    case array(elementSignature: String, [BusValue])
    case structure([BusValue])
    case variant(BusValue)
    case dictEntry(BusValue, BusValue)

    /// The D-Bus signature of the value.
    public var signature: String {
        switch self {
        case .byte: "y"
        case .bool: "b"
        case .int16: "n"
        case .uint16: "q"
        case .int32: "i"
        case .uint32: "u"
        case .int64: "x"
        case .uint64: "t"
        case .double: "d"
        case .string: "s"
        case .objectPath: "o"
        case .signature: "g"
        case .unixFD: "h"
        case .array(let element, _): "a" + element
        case .structure(let values): "(" + values.map(\.signature).joined() + ")"
        case .variant: "v"
        case .dictEntry(let k, let v): "{" + k.signature + v.signature + "}"
        }
    }

    /// The string of a string, object path or signature value.
    public var text: String? {
        switch self {
        case .string(let s), .objectPath(let s), .signature(let s): s
        case .variant(let v): v.text
        default: nil
        }
    }

    /// The elements of an array.
    public var elements: [BusValue]? {
        if case .array(_, let e) = self { return e }
        return nil
    }

    /// The bytes of a byte array (`ay`, also inside a variant): a characteristic's value.
    public var bytes: [UInt8]? {
        if case .variant(let v) = self { return v.bytes }
        guard case .array(_, let elements) = self else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(elements.count)
        for e in elements {
            guard case .byte(let b) = e else { return nil }
            out.append(b)
        }
        return out
    }
}

extension BusValue {
    /// Closes every file descriptor this value holds (a received `h` is a duplicate the
    /// receiver owns): for a reply of an unexpected shape, whose descriptors nobody takes.
    public func closeDescriptors() {
        switch self {
        case .unixFD(let fd): close(fd)
        case .array(_, let values), .structure(let values): for v in values { v.closeDescriptors() }
        case .variant(let v): v.closeDescriptors()
        case .dictEntry(let k, let v):
            k.closeDescriptors()
            v.closeDescriptors()
        default: break
        }
    }
}
