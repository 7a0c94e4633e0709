import HeartRateWire

/// A strap's GATT server as the tests need it: the attribute table of a Polar H10-like strap
/// (GAP, Heart Rate with measurement, CCCD and location, Battery, and with `pmd` Polar's
/// Measurement Data service) answering the client's requests, with faults to inject.
struct StrapGATTServer {
    var mtu: UInt16 = 232
    var hasHeartRate = true
    var refuseCCCD: ATTErrorCode? = nil
    var refuseMTU = false
    var notificationsEnabled = false
    /// The PMD service (handles 0x15…0x1B) and how it answers.
    var pmd: PMD? = nil
    /// A broken server that answers every discovery request from handle 1, whatever was asked.
    var repeatsFirstPage = false

    struct PMD {
        /// The status byte of the control point's answer to the start request (0 = success).
        var startStatus: UInt8 = 0
        /// A write to the control point refused at the ATT layer.
        var refuseStart: ATTErrorCode? = nil
        /// The data characteristic lacks its CCCD.
        var dataHasCCCD = true
        /// What the client wrote: CCCD values by handle, the control point's requests.
        var cccds: [UInt16: [UInt8]] = [:]
        var requests: [[UInt8]] = []
    }

    static let measurement: UInt16 = 0x0C, cccd: UInt16 = 0x0D, location: UInt16 = 0x0F, battery: UInt16 = 0x13
    static let controlPoint: UInt16 = 0x17, controlPointCCCD: UInt16 = 0x18, data: UInt16 = 0x1A, dataCCCD: UInt16 = 0x1B

    /// The PMD attributes Find Information reports (after the service declaration).
    private var pmdAttributes: [ATTHandleUUID] {
        var list = [ATTHandleUUID(handle: 0x16, type: .characteristic), ATTHandleUUID(handle: 0x17, type: PolarPMDFrame.controlPoint),
                    ATTHandleUUID(handle: 0x18, type: .clientConfiguration), ATTHandleUUID(handle: 0x19, type: .characteristic),
                    ATTHandleUUID(handle: 0x1A, type: PolarPMDFrame.data)]
        if pmd?.dataHasCCCD == true { list.append(ATTHandleUUID(handle: 0x1B, type: .clientConfiguration)) }
        return list
    }

    /// The answers to one PDU (none for PDUs that get none; a write to the PMD control point
    /// gets its Write Response and then the control point's indication).
    mutating func answer(_ bytes: [UInt8]) -> [ATTPDU] {
        guard let pdu = try? ATTPDU(decoding: bytes) else {
            return [.errorResponse(request: bytes.first ?? 0, handle: 0, error: .invalidPDU)]
        }
        if repeatsFirstPage {
            switch pdu {
            case .readByGroupTypeRequest(_, let end, let type): return answerHeartRate(.readByGroupTypeRequest(start: 1, end: end, type: type)).map { [$0] } ?? []
            case .readByTypeRequest(_, let end, let type): return answerHeartRate(.readByTypeRequest(start: 1, end: end, type: type)).map { [$0] } ?? []
            default: break
            }
        }
        if case .writeRequest(let handle, let value) = pdu, handle >= 0x15, var p = pmd {
            defer { pmd = p }
            if handle == Self.controlPoint {
                if let refused = p.refuseStart { return [.errorResponse(request: 0x12, handle: handle, error: refused)] }
                p.requests.append(value)
                return [.writeResponse, .handleValueIndication(handle: handle, value: [0xF0, value[0], value.count > 1 ? value[1] : 0, p.startStatus, 0])]
            }
            p.cccds[handle] = value
            return [.writeResponse]
        }
        return answerHeartRate(pdu).map { [$0] } ?? []
    }

    private mutating func answerHeartRate(_ pdu: ATTPDU) -> ATTPDU? {
        switch pdu {
        case .exchangeMTURequest:
            return refuseMTU ? .errorResponse(request: 0x02, handle: 0, error: .requestNotSupported) : .exchangeMTUResponse(mtu: mtu)
        case .readByGroupTypeRequest(let start, _, _):
            var groups = [ATTGroup(handle: 1, end: 9, value: [0x00, 0x18])]
            if hasHeartRate { groups.append(ATTGroup(handle: 0x0A, end: 0x10, value: [0x0D, 0x18])) }
            groups.append(ATTGroup(handle: 0x11, end: 0x14, value: [0x0F, 0x18]))
            if pmd != nil { groups.append(ATTGroup(handle: 0x15, end: 0x1B, value: PolarPMDFrame.service.wireBytes)) }
            // At most two per page, as a small MTU forces, and one UUID size per response.
            let rest = groups.filter { $0.handle >= start }
            let page = rest.prefix { $0.value.count == rest.first?.value.count }.prefix(2)
            return page.isEmpty ? .errorResponse(request: 0x10, handle: start, error: .attributeNotFound) : .readByGroupTypeResponse(Array(page))
        case .readByTypeRequest(let start, let end, let type):
            if type == ATTUUID(.batteryLevel) { return .readByTypeResponse([ATTHandleValue(handle: Self.battery, value: [64])]) }
            let declarations = [ATTHandleValue(handle: 0x0B, value: [0x10, 0x0C, 0x00, 0x37, 0x2A]),
                                ATTHandleValue(handle: 0x0E, value: [0x02, 0x0F, 0x00, 0x38, 0x2A]),
                                ATTHandleValue(handle: 0x16, value: [0x2A, 0x17, 0x00] + PolarPMDFrame.controlPoint.wireBytes),
                                ATTHandleValue(handle: 0x19, value: [0x10, 0x1A, 0x00] + PolarPMDFrame.data.wireBytes)]
                .filter { $0.handle >= start && $0.handle <= end }.prefix(1)
            return declarations.isEmpty ? .errorResponse(request: 0x08, handle: start, error: .attributeNotFound)
                : .readByTypeResponse(Array(declarations))
        case .findInformationRequest(let start, let end) where start >= 0x15:
            let rest = pmdAttributes.filter { $0.handle >= start && $0.handle <= end }
            let page = rest.prefix { $0.type.wireBytes.count == rest.first?.type.wireBytes.count }
            return page.isEmpty ? .errorResponse(request: 0x04, handle: start, error: .attributeNotFound) : .findInformationResponse(Array(page))
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
