import HeartRateWire

/// The ATT client side of one strap connection, without I/O: it is given the PDUs the strap
/// sends and answers with what to send and what happened. The daemon owns the socket, the
/// clock and the timeouts (`awaitingResponse` says when one is running).
///
/// The procedure: Exchange MTU; primary services (Read By Group Type, page by page); the Heart
/// Rate service's characteristics (Read By Type 0x2803); the measurement's CCCD (Find
/// Information); Body Sensor Location (Read) and Battery Level (Read By Type in the Battery
/// service) when present; the CCCD write (notifications on); then every Handle Value
/// Notification of the measurement handle is a value. ATT allows one request in flight, and
/// this client never has more.
///
/// With `polarECG`, a strap that offers Polar's Measurement Data (PMD) service also gets, before
/// the heart-rate CCCD write: the PMD characteristics and their CCCDs, indications on the
/// control point, notifications on the data characteristic, and the control-point request that
/// starts ECG. Anything that goes wrong there is reported (`ecg(.unavailable)`) and the heart
/// rate streams as without it.
public struct StrapATTClient: Sendable {

    /// What the client asks of its owner.
    public enum Output: Equatable, Sendable {
        /// Send these bytes as one ATT PDU.
        case send([UInt8])
        /// Discovery is done: notifications of the measurement handle follow.
        case streaming(measurementHandle: UInt16, mtu: Int)
        /// A Heart Rate Measurement value, as the strap sent it.
        case measurement([UInt8])
        case location(UInt8)
        case battery(UInt8)
        /// A step of starting Polar ECG (only with `polarECG`).
        case ecg(PolarECGStart)
        /// A notification of the PMD data characteristic, as the strap sent it.
        case ecgFrame([UInt8])
        /// Something odd the session survives (a PDU that does not decode, an unexpected
        /// response, a read refused).
        case warning(String)
        /// The strap cannot be used on this connection (no Heart Rate service, the CCCD write
        /// refused, a discovery error). `unsupported` means retrying will not help.
        case failed(String, unsupported: Bool)
    }

    private enum Step: Sendable, Equatable {
        case idle, mtu, services(from: UInt16), characteristics(from: UInt16), descriptors(from: UInt16)
        case location, battery, subscribing, streaming, failed
        case pmdCharacteristics(from: UInt16), pmdDescriptors(from: UInt16), pmdControlCCCD, pmdDataCCCD, pmdStart
    }

    /// The MTU this client offers.
    public static let clientMTU: UInt16 = 247

    private var step = Step.idle
    private var lastRequest: UInt8 = 0
    /// The negotiated ATT_MTU.
    public private(set) var mtu = ATTPDU.minimumMTU
    private var heartRate: (start: UInt16, end: UInt16)?
    private var batteryService: (start: UInt16, end: UInt16)?
    private var declarations: [(handle: UInt16, declaration: ATTCharacteristicDeclaration)] = []
    private var cccd: UInt16?
    /// The Heart Rate Measurement value handle, once discovered.
    public private(set) var measurementHandle: UInt16?
    private var locationHandle: UInt16?
    /// Whether to start Polar ECG when the PMD service is there.
    public let polarECG: Bool
    private var pmd: (start: UInt16, end: UInt16)?
    private var pmdDeclarations: [(handle: UInt16, declaration: ATTCharacteristicDeclaration)] = []
    private var pmdDescriptors: [ATTHandleUUID] = []
    private var controlPoint: (value: UInt16, cccd: UInt16)?
    private var dataHandle: (value: UInt16, cccd: UInt16)?

    /// A client before its first request; `polarECG` starts Polar's ECG stream when offered.
    public init(polarECG: Bool = false) { self.polarECG = polarECG }

    /// Whether a request is in flight (the owner runs the ATT transaction timeout).
    public var awaitingResponse: Bool {
        switch step {
        case .idle, .streaming, .failed: false
        default: true
        }
    }

    /// Starts the procedure: the first request.
    public mutating func start() -> [Output] {
        step = .mtu
        return [request(.exchangeMTURequest(mtu: Self.clientMTU))]
    }

    /// Handles one PDU from the strap.
    ///
    /// A PDU longer than the negotiated MTU breaks the protocol (Core Spec Vol 3 Part F 3.2.8):
    /// it is dropped with a warning before it is decoded, so no value longer than the
    /// link allows (and never one past the raw log's 512 bytes) goes further.
    public mutating func receive(_ bytes: [UInt8]) -> [Output] {
        guard bytes.count <= mtu else {
            return [.warning("a PDU of \(bytes.count) bytes is longer than the link's MTU of \(mtu); dropped")]
        }
        let pdu: ATTPDU
        do {
            pdu = try ATTPDU(decoding: bytes)
        } catch {
            if let op = bytes.first, op & 0x01 == 0, op != ATTPDU.Opcode.handleValueConfirmation, op & 0x40 == 0 {
                // An undecodable request from the strap's own client still gets an answer (3.4.1.1).
                return [.send(ATTPDU.errorResponse(request: op, handle: 0, error: .invalidPDU).encoded()), .warning("\(error)")]
            }
            return [.warning("\(error)")]
        }
        switch pdu {
        case .handleValueNotification(let handle, let value):
            if handle == measurementHandle && step == .streaming { return [.measurement(value)] }
            if let dataHandle, handle == dataHandle.value { return [.ecgFrame(value)] }
            return controlPointAnswer(handle: handle, value)
        case .handleValueIndication(let handle, let value):
            return [.send(ATTPDU.handleValueConfirmation.encoded())] + controlPointAnswer(handle: handle, value)
        case .exchangeMTURequest, .findInformationRequest, .readByTypeRequest, .readRequest,
             .readByGroupTypeRequest, .writeRequest:
            // We serve no attributes.
            return [.send(ATTPDU.errorResponse(request: bytes[0], handle: 0, error: .requestNotSupported).encoded())]
        case .writeCommand, .handleValueConfirmation:
            return []
        default:
            return respond(pdu, opcode: bytes[0])
        }
    }

    /// Where the heart-rate measurement value sits in `bytes` when they are a notification of it
    /// on a streaming link (the hot path: no decoding, no allocation); nil for every other PDU,
    /// which goes to `receive`. The same bytes given to `receive` would give `.measurement`
    /// with exactly this value.
    public func measurementValueRange(in bytes: [UInt8]) -> Range<Int>? {
        guard step == .streaming, let measurementHandle, bytes.count >= 3, bytes.count <= mtu,
              bytes[0] == ATTPDU.Opcode.handleValueNotification,
              UInt16(bytes[1]) | UInt16(bytes[2]) << 8 == measurementHandle else { return nil }
        return 3..<bytes.count
    }

    /// The owner's timeout for the request in flight fired.
    public mutating func timedOut() -> [Output] {
        guard awaitingResponse else { return [] }
        return fail("no response to \(Self.name(lastRequest)) (ATT transaction timeout)", unsupported: false)
    }

    // MARK: responses

    /// A response (`opcode` is its first byte, as received).
    private mutating func respond(_ pdu: ATTPDU, opcode: UInt8) -> [Output] {
        guard awaitingResponse else { return [.warning("unexpected response \(Self.name(opcode)) with no request in flight")] }
        if case .errorResponse(let request, let handle, let error) = pdu {
            guard request == lastRequest else {
                return [.warning("error response for \(Self.name(request)), but \(Self.name(lastRequest)) is in flight")]
            }
            return errorResponse(handle: handle, error: error)
        }
        guard opcode == lastRequest + 1 else {
            return [.warning("response \(Self.name(opcode)) does not answer \(Self.name(lastRequest)); ignored")]
        }
        switch (step, pdu) {
        case (.mtu, .exchangeMTUResponse(let server)):
            mtu = max(ATTPDU.minimumMTU, min(Int(Self.clientMTU), Int(server)))
            let warn: [Output] = server < ATTPDU.minimumMTU ? [.warning("server MTU \(server) is below 23; using 23")] : []
            return warn + services(from: 1)
        // Every page must start at or after the handle asked for and go up, so a server that
        // repeats itself cannot keep the client asking forever.
        case (.services(let from), .readByGroupTypeResponse(let groups)):
            var last = from - 1
            for g in groups {
                guard g.end >= g.handle, g.handle > last else {
                    return fail("service handles out of range (\(g.handle)…\(g.end))", unsupported: false)
                }
                last = g.end
                switch ATTUUID(wire: g.value[...]) {
                case ATTUUID(.heartRateService)?: heartRate = (g.handle, g.end)
                case ATTUUID(.batteryService)?: batteryService = (g.handle, g.end)
                case PolarPMDFrame.service?: pmd = (g.handle, g.end)
                default: break
                }
            }
            guard last >= from else { return fail("empty service page", unsupported: false) }
            return last == 0xFFFF ? servicesDone() : services(from: last + 1)
        case (.characteristics(let from), .readByTypeResponse(let entries)):
            guard let hr = heartRate else { return fail("internal: no service", unsupported: false) }
            var last = from - 1
            for e in entries {
                guard e.handle >= hr.start, e.handle <= hr.end, e.handle > last, let d = ATTCharacteristicDeclaration(e.value) else {
                    return fail("characteristic declaration at handle \(e.handle) is out of range or malformed", unsupported: false)
                }
                declarations.append((e.handle, d))
                last = e.handle
            }
            guard last >= from else { return fail("empty characteristic page", unsupported: false) }
            return last >= hr.end ? characteristicsDone() : characteristics(from: last + 1)
        case (.descriptors(let from), .findInformationResponse(let entries)):
            guard let first = entries.first?.handle, first >= from, entries.last!.handle >= first else {
                return fail("descriptor page does not start at handle \(from)", unsupported: false)
            }
            if let c = entries.first(where: { $0.type == .clientConfiguration }) {
                cccd = c.handle
                return afterDescriptors()
            }
            guard let last = entries.last?.handle, last < descriptorRangeEnd else {
                return fail("Heart Rate Measurement has no Client Characteristic Configuration", unsupported: true)
            }
            return descriptors(from: last + 1)
        case (.location, .readResponse(let value)):
            var out: [Output] = value.count == 1 ? [.location(value[0])] : [.warning("Body Sensor Location of \(value.count) bytes")]
            out += afterLocation()
            return out
        case (.battery, .readByTypeResponse(let entries)):
            var out: [Output] = []
            if let e = entries.first, e.value.count == 1 { out.append(.battery(e.value[0])) }
            return out + afterBattery()
        case (.pmdCharacteristics(let from), .readByTypeResponse(let entries)):
            guard let range = pmd else { return fail("internal: no PMD service", unsupported: false) }
            var last = from - 1
            for e in entries {
                guard e.handle >= range.start, e.handle <= range.end, e.handle > last, let d = ATTCharacteristicDeclaration(e.value) else {
                    return skipECG("PMD characteristic declaration at handle \(e.handle) is out of range or malformed")
                }
                pmdDeclarations.append((e.handle, d))
                last = e.handle
            }
            guard last >= from else { return skipECG("empty PMD characteristic page") }
            return last >= range.end ? pmdCharacteristicsDone() : pmdCharacteristics(from: last + 1)
        case (.pmdDescriptors(let from), .findInformationResponse(let entries)):
            guard let range = pmd, let first = entries.first?.handle, first >= from,
                  let last = entries.last?.handle, last >= first else {
                return skipECG("PMD descriptor page does not start at handle \(from)")
            }
            pmdDescriptors += entries
            return last >= range.end ? pmdDescriptorsDone() : pmdDescriptorsPage(from: last + 1)
        case (.pmdControlCCCD, .writeResponse):
            step = .pmdDataCCCD
            return [request(.writeRequest(handle: dataHandle!.cccd, value: [0x01, 0x00]))]
        case (.pmdDataCCCD, .writeResponse):
            step = .pmdStart
            return [request(.writeRequest(handle: controlPoint!.value, value: PolarPMDFrame.startECG))]
        case (.pmdStart, .writeResponse):
            return [.ecg(.requested)] + subscribe()
        case (.subscribing, .writeResponse):
            step = .streaming
            return [.streaming(measurementHandle: measurementHandle!, mtu: mtu)]
        default:
            return [.warning("unexpected \(Self.name(opcode)) ignored")]
        }
    }

    private mutating func errorResponse(handle: UInt16, error: ATTErrorCode) -> [Output] {
        switch step {
        case .mtu:
            return [.warning("Exchange MTU refused (\(error)); using 23")] + services(from: 1)
        case .services where error == .attributeNotFound:
            return servicesDone()
        case .characteristics where error == .attributeNotFound:
            return characteristicsDone()
        case .descriptors where error == .attributeNotFound:
            return fail("Heart Rate Measurement has no Client Characteristic Configuration", unsupported: true)
        case .location:
            return [.warning("Body Sensor Location read refused: \(error)")] + afterLocation()
        case .battery:
            return [.warning("Battery Level read refused: \(error)")] + afterBattery()
        case .pmdCharacteristics where error == .attributeNotFound:
            return pmdCharacteristicsDone()
        case .pmdDescriptors where error == .attributeNotFound:
            return pmdDescriptorsDone()
        case .pmdCharacteristics, .pmdDescriptors, .pmdControlCCCD, .pmdDataCCCD, .pmdStart:
            return skipECG("\(Self.name(lastRequest)) at handle \(handle) refused: \(error)")
        case .subscribing:
            return fail("enabling notifications (CCCD write at handle \(handle)) refused: \(error)", unsupported: false)
        default:
            return fail("\(Self.name(lastRequest)) refused: \(error)", unsupported: false)
        }
    }

    // MARK: steps

    private mutating func services(from start: UInt16) -> [Output] {
        step = .services(from: start)
        return [request(.readByGroupTypeRequest(start: start, end: 0xFFFF, type: .primaryService))]
    }

    private mutating func servicesDone() -> [Output] {
        guard let hr = heartRate else { return fail("no Heart Rate service (0x180D)", unsupported: true) }
        return characteristics(from: hr.start)
    }

    private mutating func characteristics(from start: UInt16) -> [Output] {
        step = .characteristics(from: start)
        return [request(.readByTypeRequest(start: start, end: heartRate!.end, type: .characteristic))]
    }

    private mutating func characteristicsDone() -> [Output] {
        guard let m = declarations.first(where: { $0.declaration.type == ATTUUID(.heartRateMeasurement) })?.declaration else {
            return fail("no Heart Rate Measurement (0x2A37)", unsupported: true)
        }
        guard m.notifies else { return fail("Heart Rate Measurement does not notify", unsupported: true) }
        measurementHandle = m.valueHandle
        locationHandle = declarations.first(where: { $0.declaration.type == ATTUUID(.bodySensorLocation) })?.declaration.valueHandle
        guard m.valueHandle < descriptorRangeEnd else { return fail("Heart Rate Measurement has no room for a CCCD", unsupported: true) }
        return descriptors(from: m.valueHandle + 1)
    }

    /// The last handle that can hold the measurement's descriptors.
    private var descriptorRangeEnd: UInt16 {
        let next = declarations.first(where: { $0.handle > (measurementHandle ?? 0) })?.handle
        return next.map { $0 - 1 } ?? heartRate?.end ?? 0
    }

    private mutating func descriptors(from start: UInt16) -> [Output] {
        step = .descriptors(from: start)
        return [request(.findInformationRequest(start: start, end: descriptorRangeEnd))]
    }

    private mutating func afterDescriptors() -> [Output] {
        if let locationHandle {
            step = .location
            return [request(.readRequest(handle: locationHandle))]
        }
        return afterLocation()
    }

    private mutating func afterLocation() -> [Output] {
        if let b = batteryService {
            step = .battery
            return [request(.readByTypeRequest(start: b.start, end: b.end, type: ATTUUID(.batteryLevel)))]
        }
        return afterBattery()
    }

    private mutating func afterBattery() -> [Output] {
        guard polarECG else { return subscribe() }
        guard let range = pmd else { return [.ecg(.notOffered)] + subscribe() }
        return pmdCharacteristics(from: range.start)
    }

    // MARK: Polar PMD

    private mutating func pmdCharacteristics(from start: UInt16) -> [Output] {
        step = .pmdCharacteristics(from: start)
        return [request(.readByTypeRequest(start: start, end: pmd!.end, type: .characteristic))]
    }

    /// The PMD declaration of characteristic `type`, once discovered.
    private func pmdDeclaration(_ type: ATTUUID) -> (handle: UInt16, declaration: ATTCharacteristicDeclaration)? {
        pmdDeclarations.first { $0.declaration.type == type }
    }

    private mutating func pmdCharacteristicsDone() -> [Output] {
        guard let cp = pmdDeclaration(PolarPMDFrame.controlPoint), let data = pmdDeclaration(PolarPMDFrame.data) else { return skipECG("the PMD service lacks its control point or data characteristic") }
        guard cp.declaration.indicates || cp.declaration.notifies, data.declaration.notifies else {
            return skipECG("the PMD control point does not indicate or the data characteristic does not notify")
        }
        return pmdDescriptorsPage(from: pmdDeclarations[0].handle + 1)
    }

    private mutating func pmdDescriptorsPage(from start: UInt16) -> [Output] {
        step = .pmdDescriptors(from: start)
        return [request(.findInformationRequest(start: start, end: pmd!.end))]
    }

    /// The CCCD of the characteristic declared at `handle`: the first 0x2902 between its value
    /// and the next declaration.
    private func pmdCCCD(declaredAt handle: UInt16) -> (value: UInt16, cccd: UInt16)? {
        guard let d = pmdDeclarations.first(where: { $0.handle == handle })?.declaration else { return nil }
        let next = pmdDeclarations.first(where: { $0.handle > handle })?.handle ?? (pmd!.end &+ 1)
        return pmdDescriptors.first { $0.type == .clientConfiguration && $0.handle > d.valueHandle && $0.handle < next }
            .map { (d.valueHandle, $0.handle) }
    }

    private mutating func pmdDescriptorsDone() -> [Output] {
        let cp = pmdDeclaration(PolarPMDFrame.controlPoint)!, data = pmdDeclaration(PolarPMDFrame.data)!
        guard let c = pmdCCCD(declaredAt: cp.handle), let d = pmdCCCD(declaredAt: data.handle) else {
            return skipECG("a PMD characteristic has no Client Characteristic Configuration")
        }
        controlPoint = c
        dataHandle = d
        step = .pmdControlCCCD
        return [request(.writeRequest(handle: c.cccd, value: cp.declaration.indicates ? [0x02, 0x00] : [0x01, 0x00]))]
    }

    /// The control point's answer to the start request (indicated, or notified by straps that
    /// declare notify only); other answers and other handles say nothing.
    private func controlPointAnswer(handle: UInt16, _ value: [UInt8]) -> [Output] {
        guard let controlPoint, handle == controlPoint.value, let outcome = PolarECGStart(controlPointResponse: value) else { return [] }
        return [.ecg(outcome)]
    }

    /// Starting ECG failed: say why, and subscribe to the heart rate as without it.
    private mutating func skipECG(_ why: String) -> [Output] {
        controlPoint = nil
        dataHandle = nil
        return [.ecg(.unavailable(why))] + subscribe()
    }

    private mutating func subscribe() -> [Output] {
        step = .subscribing
        return [request(.writeRequest(handle: cccd!, value: [0x01, 0x00]))]
    }

    private mutating func fail(_ why: String, unsupported: Bool) -> [Output] {
        step = .failed
        return [.failed(why, unsupported: unsupported)]
    }

    private mutating func request(_ pdu: ATTPDU) -> Output {
        let bytes = pdu.encoded()
        lastRequest = bytes[0]
        return .send(bytes)
    }

    static func name(_ opcode: UInt8) -> String {
        let names: [UInt8: String] = [
            0x01: "Error Response", 0x02: "Exchange MTU Request", 0x03: "Exchange MTU Response",
            0x04: "Find Information Request", 0x05: "Find Information Response", 0x08: "Read By Type Request",
            0x09: "Read By Type Response", 0x0A: "Read Request", 0x0B: "Read Response",
            0x10: "Read By Group Type Request", 0x11: "Read By Group Type Response", 0x12: "Write Request",
            0x13: "Write Response",
        ]
        return names[opcode] ?? "opcode 0x" + String(opcode, radix: 16, uppercase: true)
    }
}
