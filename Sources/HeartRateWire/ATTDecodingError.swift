/// Why bytes are not an ATT PDU: the opcode, the byte offset and the details.
public struct ATTDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case empty, truncated, unknownOpcode = "unknown opcode", invalidLength = "invalid length"
        case invalidValue = "invalid value", trailingBytes = "trailing bytes"
    }
    public var code: Code
    public var opcode: UInt8?
    public var offset: Int
    public var detail: String

    public init(_ code: Code, opcode: UInt8?, offset: Int, detail: String) {
        self.code = code
        self.opcode = opcode
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        let op = opcode.map { "ATT opcode 0x" + ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) } ?? "ATT PDU"
        return "\(op) at byte \(offset): \(code.rawValue): \(detail)"
    }
}
