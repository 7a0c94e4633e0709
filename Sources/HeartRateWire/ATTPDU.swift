/// The ATT protocol data units a heart-rate strap's client needs (Core Specification Vol 3
/// Part F, 3.4), decoded from and encoded to the bytes of one L2CAP ATT (CID 4) frame.
///
/// Decoding checks every length: an unknown opcode, a PDU cut short, a length field that does
/// not divide what follows, or bytes left over is an `ATTDecodingError` naming the opcode and
/// offset, never a crash.
public enum ATTPDU: Equatable, Sendable {
    case errorResponse(request: UInt8, handle: UInt16, error: ATTErrorCode)
    case exchangeMTURequest(mtu: UInt16)
    case exchangeMTUResponse(mtu: UInt16)
    case findInformationRequest(start: UInt16, end: UInt16)
    case findInformationResponse([ATTHandleUUID])
    case readByTypeRequest(start: UInt16, end: UInt16, type: ATTUUID)
    case readByTypeResponse([ATTHandleValue])
    case readRequest(handle: UInt16)
    case readResponse([UInt8])
    case readByGroupTypeRequest(start: UInt16, end: UInt16, type: ATTUUID)
    case readByGroupTypeResponse([ATTGroup])
    case writeRequest(handle: UInt16, value: [UInt8])
    case writeResponse
    case writeCommand(handle: UInt16, value: [UInt8])
    case handleValueNotification(handle: UInt16, value: [UInt8])
    case handleValueIndication(handle: UInt16, value: [UInt8])
    case handleValueConfirmation

    /// Opcodes (3.4.8 table).
    public enum Opcode {
        public static let errorResponse: UInt8 = 0x01
        public static let exchangeMTURequest: UInt8 = 0x02
        public static let exchangeMTUResponse: UInt8 = 0x03
        public static let findInformationRequest: UInt8 = 0x04
        public static let findInformationResponse: UInt8 = 0x05
        public static let readByTypeRequest: UInt8 = 0x08
        public static let readByTypeResponse: UInt8 = 0x09
        public static let readRequest: UInt8 = 0x0A
        public static let readResponse: UInt8 = 0x0B
        public static let readByGroupTypeRequest: UInt8 = 0x10
        public static let readByGroupTypeResponse: UInt8 = 0x11
        public static let writeRequest: UInt8 = 0x12
        public static let writeResponse: UInt8 = 0x13
        public static let writeCommand: UInt8 = 0x52
        public static let handleValueNotification: UInt8 = 0x1B
        public static let handleValueIndication: UInt8 = 0x1D
        public static let handleValueConfirmation: UInt8 = 0x1E
    }

    /// The smallest ATT_MTU (LE).
    public static let minimumMTU = 23

    /// Decodes one PDU.
    public init(decoding bytes: [UInt8]) throws(ATTDecodingError) {
        var r = ATTReader(bytes)
        let opcode = try r.u8()
        switch opcode {
        case Opcode.errorResponse:
            self = .errorResponse(request: try r.u8(), handle: try r.u16(), error: ATTErrorCode(try r.u8()))
        case Opcode.exchangeMTURequest:
            self = .exchangeMTURequest(mtu: try r.u16())
        case Opcode.exchangeMTUResponse:
            self = .exchangeMTUResponse(mtu: try r.u16())
        case Opcode.findInformationRequest:
            self = .findInformationRequest(start: try r.u16(), end: try r.u16())
        case Opcode.findInformationResponse:
            let format = try r.u8()
            guard format == 1 || format == 2 else {
                throw r.error(.invalidValue, "format \(format), expected 1 (16-bit UUIDs) or 2 (128-bit)")
            }
            let entries = try r.entries(length: format == 1 ? 4 : 18)
            self = .findInformationResponse(entries.map { ATTHandleUUID(handle: le16($0, 0), type: ATTUUID(wire: $0.dropFirst(2))!) })
        case Opcode.readByTypeRequest, Opcode.readByGroupTypeRequest:
            let start = try r.u16(), end = try r.u16()
            guard let type = ATTUUID(wire: r.rest()) else {
                throw r.error(.invalidLength, "attribute type of \(r.remaining) bytes, expected 2 or 16")
            }
            self = opcode == Opcode.readByTypeRequest ? .readByTypeRequest(start: start, end: end, type: type)
                : .readByGroupTypeRequest(start: start, end: end, type: type)
        case Opcode.readByTypeResponse:
            let length = Int(try r.u8())
            guard length >= 2 else { throw r.error(.invalidLength, "entry length \(length), at least 2 (a handle)") }
            self = .readByTypeResponse(try r.entries(length: length).map { ATTHandleValue(handle: le16($0, 0), value: Array($0.dropFirst(2))) })
        case Opcode.readRequest:
            self = .readRequest(handle: try r.u16())
        case Opcode.readResponse:
            self = .readResponse(Array(r.rest()))
        case Opcode.readByGroupTypeResponse:
            let length = Int(try r.u8())
            guard length >= 4 else { throw r.error(.invalidLength, "entry length \(length), at least 4 (two handles)") }
            self = .readByGroupTypeResponse(try r.entries(length: length).map {
                ATTGroup(handle: le16($0, 0), end: le16($0, 2), value: Array($0.dropFirst(4)))
            })
        case Opcode.writeRequest, Opcode.writeCommand, Opcode.handleValueNotification, Opcode.handleValueIndication:
            let handle = try r.u16()
            let value = Array(r.rest())
            switch opcode {
            case Opcode.writeRequest: self = .writeRequest(handle: handle, value: value)
            case Opcode.writeCommand: self = .writeCommand(handle: handle, value: value)
            case Opcode.handleValueNotification: self = .handleValueNotification(handle: handle, value: value)
            default: self = .handleValueIndication(handle: handle, value: value)
            }
        case Opcode.writeResponse:
            self = .writeResponse
        case Opcode.handleValueConfirmation:
            self = .handleValueConfirmation
        default:
            throw ATTDecodingError(.unknownOpcode, opcode: opcode, offset: 0, detail: "opcode 0x\(String(opcode, radix: 16, uppercase: true)) is not one this client handles")
        }
        try r.end()
    }

    /// The PDU's bytes.
    public func encoded() -> [UInt8] {
        switch self {
        case .errorResponse(let request, let handle, let error):
            return [Opcode.errorResponse, request] + le16Bytes(handle) + [error.rawValue]
        case .exchangeMTURequest(let mtu): return [Opcode.exchangeMTURequest] + le16Bytes(mtu)
        case .exchangeMTUResponse(let mtu): return [Opcode.exchangeMTUResponse] + le16Bytes(mtu)
        case .findInformationRequest(let start, let end): return [Opcode.findInformationRequest] + le16Bytes(start) + le16Bytes(end)
        case .findInformationResponse(let entries):
            let format: UInt8 = entries.first.map { $0.type.wireBytes.count == 2 ? 1 : 2 } ?? 1
            return [Opcode.findInformationResponse, format] + entries.flatMap { le16Bytes($0.handle) + $0.type.wireBytes }
        case .readByTypeRequest(let start, let end, let type):
            return [Opcode.readByTypeRequest] + le16Bytes(start) + le16Bytes(end) + type.wireBytes
        case .readByTypeResponse(let entries):
            return [Opcode.readByTypeResponse, UInt8(2 + (entries.first?.value.count ?? 0))]
                + entries.flatMap { le16Bytes($0.handle) + $0.value }
        case .readRequest(let handle): return [Opcode.readRequest] + le16Bytes(handle)
        case .readResponse(let value): return [Opcode.readResponse] + value
        case .readByGroupTypeRequest(let start, let end, let type):
            return [Opcode.readByGroupTypeRequest] + le16Bytes(start) + le16Bytes(end) + type.wireBytes
        case .readByGroupTypeResponse(let groups):
            return [Opcode.readByGroupTypeResponse, UInt8(4 + (groups.first?.value.count ?? 0))]
                + groups.flatMap { le16Bytes($0.handle) + le16Bytes($0.end) + $0.value }
        case .writeRequest(let handle, let value): return [Opcode.writeRequest] + le16Bytes(handle) + value
        case .writeResponse: return [Opcode.writeResponse]
        case .writeCommand(let handle, let value): return [Opcode.writeCommand] + le16Bytes(handle) + value
        case .handleValueNotification(let handle, let value): return [Opcode.handleValueNotification] + le16Bytes(handle) + value
        case .handleValueIndication(let handle, let value): return [Opcode.handleValueIndication] + le16Bytes(handle) + value
        case .handleValueConfirmation: return [Opcode.handleValueConfirmation]
        }
    }
}
