import HeartRateWire

/// A strap's GATT server as the tests need it: the attribute table of a Polar H10-like strap
/// (GAP, Heart Rate with measurement, CCCD and location, Battery) answering the client's
/// requests, with faults to inject.
struct StrapGATTServer {
    var mtu: UInt16 = 232
    var hasHeartRate = true
    var refuseCCCD: ATTErrorCode? = nil
    var refuseMTU = false
    var notificationsEnabled = false

    static let measurement: UInt16 = 0x0C, cccd: UInt16 = 0x0D, location: UInt16 = 0x0F, battery: UInt16 = 0x13

    /// The answer to one request (nil for PDUs that get none).
    mutating func answer(_ bytes: [UInt8]) -> ATTPDU? {
        guard let pdu = try? ATTPDU(decoding: bytes) else {
            return .errorResponse(request: bytes.first ?? 0, handle: 0, error: .invalidPDU)
        }
        switch pdu {
        case .exchangeMTURequest:
            return refuseMTU ? .errorResponse(request: 0x02, handle: 0, error: .requestNotSupported) : .exchangeMTUResponse(mtu: mtu)
        case .readByGroupTypeRequest(let start, _, _):
            var groups = [ATTGroup(handle: 1, end: 9, value: [0x00, 0x18])]
            if hasHeartRate { groups.append(ATTGroup(handle: 0x0A, end: 0x10, value: [0x0D, 0x18])) }
            groups.append(ATTGroup(handle: 0x11, end: 0x14, value: [0x0F, 0x18]))
            // Two per page, as a small MTU forces.
            let page = groups.filter { $0.handle >= start }.prefix(2)
            return page.isEmpty ? .errorResponse(request: 0x10, handle: start, error: .attributeNotFound) : .readByGroupTypeResponse(Array(page))
        case .readByTypeRequest(let start, let end, let type):
            if type == ATTUUID(.batteryLevel) { return .readByTypeResponse([ATTHandleValue(handle: Self.battery, value: [64])]) }
            let declarations = [ATTHandleValue(handle: 0x0B, value: [0x10, 0x0C, 0x00, 0x37, 0x2A]),
                                ATTHandleValue(handle: 0x0E, value: [0x02, 0x0F, 0x00, 0x38, 0x2A])]
                .filter { $0.handle >= start && $0.handle <= end }.prefix(1)
            return declarations.isEmpty ? .errorResponse(request: 0x08, handle: start, error: .attributeNotFound)
                : .readByTypeResponse(Array(declarations))
        case .findInformationRequest(let start, let end):
            return start <= Self.cccd && end >= Self.cccd ? .findInformationResponse([ATTHandleUUID(handle: Self.cccd, type: .clientConfiguration)])
                : .errorResponse(request: 0x04, handle: start, error: .attributeNotFound)
        case .readRequest(let handle):
            return handle == Self.location ? .readResponse([0x01]) : .errorResponse(request: 0x0A, handle: handle, error: .invalidHandle)
        case .writeRequest(let handle, let value):
            if let refuseCCCD { return .errorResponse(request: 0x12, handle: handle, error: refuseCCCD) }
            notificationsEnabled = handle == Self.cccd && value == [1, 0]
            return .writeResponse
        default:
            return nil
        }
    }
}
