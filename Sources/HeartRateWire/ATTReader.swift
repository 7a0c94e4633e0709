/// A bounds-checked little-endian reader over one PDU.
struct ATTReader {
    let bytes: [UInt8]
    var position = 0
    var opcode: UInt8? { bytes.first }

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    func error(_ code: ATTDecodingError.Code, _ detail: String) -> ATTDecodingError {
        ATTDecodingError(code, opcode: opcode, offset: position, detail: detail)
    }

    mutating func u8() throws(ATTDecodingError) -> UInt8 {
        guard position < bytes.count else {
            throw error(bytes.isEmpty ? .empty : .truncated, bytes.isEmpty ? "no bytes" : "PDU of \(bytes.count) bytes ends here")
        }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(ATTDecodingError) -> UInt16 {
        guard remaining >= 2 else { throw error(.truncated, "PDU of \(bytes.count) bytes ends before a 2-byte field") }
        defer { position += 2 }
        return le16(bytes[position...], 0)
    }

    mutating func rest() -> ArraySlice<UInt8> {
        defer { position = bytes.count }
        return bytes[position...]
    }

    /// The rest as entries of `length` bytes; at least one entry, none cut.
    mutating func entries(length: Int) throws(ATTDecodingError) -> [ArraySlice<UInt8>] {
        guard remaining > 0 else { throw error(.truncated, "no entries") }
        guard remaining % length == 0 else {
            throw error(.invalidLength, "\(remaining) bytes of entries are not a multiple of the entry length \(length)")
        }
        var list: [ArraySlice<UInt8>] = []
        while remaining > 0 {
            list.append(bytes[position..<position + length])
            position += length
        }
        return list
    }

    func end() throws(ATTDecodingError) {
        guard remaining == 0 else { throw error(.trailingBytes, "\(remaining) bytes after the PDU") }
    }
}

/// Little-endian UInt16 at `offset` from the start of a slice.
func le16(_ s: ArraySlice<UInt8>, _ offset: Int) -> UInt16 {
    UInt16(s[s.startIndex + offset]) | UInt16(s[s.startIndex + offset + 1]) << 8
}

func le16Bytes(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
