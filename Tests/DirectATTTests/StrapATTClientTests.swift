import HeartRateWire
import Testing
import TestSupport
@testable import DirectATT

/// The client procedure against a strap's GATT server, PDU by PDU, with the faults real straps
/// and radios produce.
@Suite struct StrapATTClientTests {
    /// Runs the client against `server` until it streams or fails; returns everything it said.
    static func discover(_ server: inout StrapGATTServer, client: inout StrapATTClient) -> [StrapATTClient.Output] {
        var said: [StrapATTClient.Output] = []
        var queue = client.start()
        while let out = queue.first {
            queue.removeFirst()
            said.append(out)
            if case .send(let bytes) = out {
                for reply in server.answer(bytes) { queue += client.receive(reply.encoded()) }
            }
        }
        return said
    }

    /// A strap with a large MTU may send values past the raw log's 512 bytes: whatever exceeds
    /// the negotiated MTU is dropped before it reaches anything (it used to trap the daemon).
    @Test func aNotificationLongerThanTheMTUIsDropped() {
        var server = StrapGATTServer()
        var client = StrapATTClient()
        #expect(Self.discover(&server, client: &client).contains(.streaming(measurementHandle: 0x0C, mtu: 232)))
        let fits = [UInt8](repeating: 0x10, count: 229)
        #expect(client.receive(ATTPDU.handleValueNotification(handle: 0x0C, value: fits).encoded()) == [.measurement(fits)])
        for size in [230, 600, 4000] {
            let out = client.receive(ATTPDU.handleValueNotification(handle: 0x0C, value: [UInt8](repeating: 0x10, count: size)).encoded())
            #expect(out.count == 1)
            guard case .warning(let why)? = out.first else { Issue.record("\(out)"); continue }
            #expect(why.contains("longer than the link's MTU of 232"))
        }
    }

    @Test func discoversSubscribesAndStreams() {
        var server = StrapGATTServer()
        var client = StrapATTClient()
        let said = Self.discover(&server, client: &client)
        #expect(said.contains(.streaming(measurementHandle: 0x0C, mtu: 232)))
        #expect(said.contains(.location(1)) && said.contains(.battery(64)))
        #expect(server.notificationsEnabled)
        #expect(!client.awaitingResponse)
        let value: [UInt8] = [0x10, 0x48, 0x33, 0x03]
        #expect(client.receive(ATTPDU.handleValueNotification(handle: 0x0C, value: value).encoded()) == [.measurement(value)])
        #expect(client.receive(ATTPDU.handleValueNotification(handle: 0x13, value: [60]).encoded()).isEmpty, "another handle")
        #expect(client.receive(ATTPDU.handleValueIndication(handle: 0x13, value: [60]).encoded()) == [.send([0x1E])])
    }

    @Test(arguments: [(UInt16(23), 23), (10, 23), (517, 247)])
    func mtuEdgeCases(server mtu: UInt16, negotiated: Int) {
        var server = StrapGATTServer(mtu: mtu)
        var client = StrapATTClient()
        let said = Self.discover(&server, client: &client)
        #expect(said.contains(.streaming(measurementHandle: 0x0C, mtu: negotiated)), "\(said)")
        #expect(said.contains { if case .warning(let w) = $0 { return w.contains("below 23") } else { return false } } == (mtu < 23))
    }

    @Test func aRefusedMTUExchangeFallsBackTo23() {
        var server = StrapGATTServer(refuseMTU: true)
        var client = StrapATTClient()
        #expect(Self.discover(&server, client: &client).contains(.streaming(measurementHandle: 0x0C, mtu: 23)))
    }

    @Test func noHeartRateServiceIsUnsupported() {
        var server = StrapGATTServer(hasHeartRate: false)
        var client = StrapATTClient()
        #expect(Self.discover(&server, client: &client).last == .failed("no Heart Rate service (0x180D)", unsupported: true))
    }

    @Test func aRefusedCCCDWriteNamesTheATTError() {
        var server = StrapGATTServer(refuseCCCD: .insufficientAuthentication)
        var client = StrapATTClient()
        #expect(Self.discover(&server, client: &client).last
                == .failed("enabling notifications (CCCD write at handle 13) refused: Insufficient Authentication (0x05)", unsupported: false))
    }

    @Test func garbageAndStrayPDUsAreWarningsAndTheProcedureGoesOn() {
        var client = StrapATTClient()
        _ = client.start()
        #expect(client.receive([0x7F, 0x00]).first.map { if case .warning = $0 { true } else { false } } == true)
        #expect(client.receive([0x13]).first.map { if case .warning = $0 { true } else { false } } == true, "a response to nothing we asked")
        // The strap's own client asks us something: we serve nothing.
        #expect(client.receive(ATTPDU.readRequest(handle: 3).encoded()) == [.send([0x01, 0x0A, 0x00, 0x00, 0x06])])
        #expect(client.awaitingResponse)
        #expect(client.receive(ATTPDU.exchangeMTUResponse(mtu: 100).encoded()).first == .send(ATTPDU.readByGroupTypeRequest(start: 1, end: 0xFFFF, type: .primaryService).encoded()))
    }

    @Test("a server that answers every page from handle 1 is refused, not asked forever")
    func aRepeatingServerCannotLoopTheClient() {
        var server = StrapGATTServer(repeatsFirstPage: true)
        var client = StrapATTClient()
        let said = Self.discover(&server, client: &client)
        #expect(said.last == .failed("service handles out of range (1…9)", unsupported: false), "\(said)")
        // Also past the services: a characteristic page that starts before the handle asked for.
        var client2 = StrapATTClient()
        _ = client2.start()
        _ = client2.receive(ATTPDU.exchangeMTUResponse(mtu: 23).encoded())
        _ = client2.receive(ATTPDU.readByGroupTypeResponse([ATTGroup(handle: 0x0A, end: 0x10, value: [0x0D, 0x18])]).encoded())
        _ = client2.receive(ATTPDU.readByGroupTypeResponse([ATTGroup(handle: 0x11, end: 0xFFFF, value: [0x00, 0x18])]).encoded())
        _ = client2.receive(ATTPDU.readByTypeResponse([ATTHandleValue(handle: 0x0B, value: [0x10, 0x0C, 0x00, 0x37, 0x2A])]).encoded())
        #expect(client2.receive(ATTPDU.readByTypeResponse([ATTHandleValue(handle: 0x0B, value: [0x10, 0x0C, 0x00, 0x37, 0x2A])]).encoded())
                == [.failed("characteristic declaration at handle 11 is out of range or malformed", unsupported: false)])
    }

    @Test func aSilentServerTimesOut() {
        var client = StrapATTClient()
        _ = client.start()
        #expect(client.timedOut() == [.failed("no response to Exchange MTU Request (ATT transaction timeout)", unsupported: false)])
        #expect(!client.awaitingResponse)
    }

    // MARK: Polar PMD

    static func ecgSteps(_ said: [StrapATTClient.Output]) -> [PolarECGStart] {
        said.compactMap { if case .ecg(let s) = $0 { s } else { nil } }
    }

    @Test func startsPolarECGBeforeTheHeartRateAndPassesItsFrames() {
        var server = StrapGATTServer(pmd: .init())
        var client = StrapATTClient(polarECG: true)
        let said = Self.discover(&server, client: &client)
        #expect(Self.ecgSteps(said) == [.requested, .started])
        #expect(server.pmd?.cccds == [StrapGATTServer.controlPointCCCD: [0x02, 0x00], StrapGATTServer.dataCCCD: [0x01, 0x00]])
        #expect(server.pmd?.requests == [PolarPMDFrame.startECG])
        #expect(said.contains(.streaming(measurementHandle: 0x0C, mtu: 232)) && server.notificationsEnabled)
        let frame = PolarPMDFrame(type: .ecg, timestamp: 1, microvolts: [1, -2, 3]).encoded()
        #expect(client.receive(ATTPDU.handleValueNotification(handle: StrapGATTServer.data, value: frame).encoded()) == [.ecgFrame(frame)])
        let hr: [UInt8] = [0x00, 61]
        #expect(client.receive(ATTPDU.handleValueNotification(handle: 0x0C, value: hr).encoded()) == [.measurement(hr)])
    }

    @Test func withoutTheSwitchAPolarStrapIsOnlyAHeartRateStrap() {
        var server = StrapGATTServer(pmd: .init())
        var client = StrapATTClient()
        let said = Self.discover(&server, client: &client)
        #expect(Self.ecgSteps(said).isEmpty && server.pmd?.requests == [] && server.pmd?.cccds == [:])
        #expect(client.receive(ATTPDU.handleValueNotification(handle: StrapGATTServer.data, value: [0]).encoded()).isEmpty)
    }

    @Test func aStrapWithoutPMDStreamsHeartRateAndSaysSo() {
        var server = StrapGATTServer()
        var client = StrapATTClient(polarECG: true)
        let said = Self.discover(&server, client: &client)
        #expect(Self.ecgSteps(said) == [.notOffered])
        #expect(said.contains(.streaming(measurementHandle: 0x0C, mtu: 232)))
    }

    @Test("PMD refusals are named and never stop the heart rate")
    func pmdRefusals() {
        let cases: [(StrapGATTServer.PMD, PolarECGStart)] = [
            (.init(startStatus: 10), .unavailable("the strap refused ECG: PMD status 10: invalid MTU")),
            (.init(startStatus: 13), .unavailable("the strap refused ECG: PMD status 13: device in charger")),
            (.init(refuseStart: .insufficientEncryption), .unavailable("Write Request at handle 23 refused: Insufficient Encryption (0x0F)")),
            (.init(dataHasCCCD: false), .unavailable("a PMD characteristic has no Client Characteristic Configuration")),
        ]
        for (pmd, expected) in cases {
            var server = StrapGATTServer(pmd: pmd)
            var client = StrapATTClient(polarECG: true)
            let said = Self.discover(&server, client: &client)
            #expect(Self.ecgSteps(said).last == expected, "\(said)")
            #expect(said.contains(.streaming(measurementHandle: 0x0C, mtu: 232)) && server.notificationsEnabled)
        }
    }

    @Test func pmdDiscoveryWorksAtTheMinimumMTU() {
        var server = StrapGATTServer(mtu: 23, pmd: .init())
        var client = StrapATTClient(polarECG: true)
        #expect(Self.ecgSteps(Self.discover(&server, client: &client)) == [.requested, .started])
    }

    // MARK: fuzzing the procedure

    /// A random PDU of the kinds a strap sends, with handles and UUIDs near the real table's.
    static func randomPDU(_ rng: inout SplitMix64) -> [UInt8] {
        func handle() -> UInt16 { UInt16(rng.next() % 0x24) }
        func uuid() -> ATTUUID {
            [ATTUUID(.heartRateService), ATTUUID(.heartRateMeasurement), ATTUUID(.batteryService), .clientConfiguration,
             .characteristic, PolarPMDFrame.service, PolarPMDFrame.controlPoint, PolarPMDFrame.data][Int(rng.next() % 8)]
        }
        func bytes(_ n: UInt64) -> [UInt8] { (0..<Int(rng.next() % n)).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let pdu: ATTPDU
        switch rng.next() % 10 {
        case 0: pdu = .errorResponse(request: [0x02, 0x04, 0x08, 0x0A, 0x10, 0x12][Int(rng.next() % 6)], handle: handle(),
                                     error: ATTErrorCode(UInt8(truncatingIfNeeded: rng.next() % 20)))
        case 1: pdu = .exchangeMTUResponse(mtu: UInt16(truncatingIfNeeded: rng.next()))
        case 2:
            let u = uuid()
            pdu = .findInformationResponse((0..<(1 + Int(rng.next() % 3))).map { _ in ATTHandleUUID(handle: handle(), type: u) })
        case 3:
            let long = rng.next() % 2 == 0
            pdu = .readByTypeResponse((0..<(1 + Int(rng.next() % 3))).map { _ in
                ATTHandleValue(handle: handle(), value: [UInt8(truncatingIfNeeded: rng.next()), UInt8(handle()), 0]
                               + (long ? PolarPMDFrame.data.wireBytes : uuid().wireBytes.prefix(2) + [])) })
        case 4: pdu = .readResponse(bytes(4))
        case 5:
            let u = rng.next() % 2 == 0 ? PolarPMDFrame.service : ATTUUID(.heartRateService)
            pdu = .readByGroupTypeResponse((0..<(1 + Int(rng.next() % 2))).map { _ in
                let h = handle()
                return ATTGroup(handle: h, end: h &+ UInt16(rng.next() % 8), value: u.wireBytes)
            })
        case 6: pdu = .writeResponse
        case 7: pdu = .handleValueIndication(handle: handle(), value: [0xF0, 0x02, 0x00, UInt8(rng.next() % 14), 0])
        case 8: pdu = .handleValueNotification(handle: handle(), value: bytes(12))
        default: return bytes(24)
        }
        return pdu.encoded()
    }

    @Test("20 000 discoveries against a server that lies one time in eight: no crash, and each ends")
    func chaoticServersNeverCrashOrLoopTheClient() {
        var rng = SplitMix64(seed: 0xA77_0009)
        var outcomes = (streaming: 0, failed: 0)
        for _ in 0..<20_000 {
            var server = StrapGATTServer(mtu: 23 + UInt16(rng.next() % 300), pmd: rng.next() % 2 == 0 ? .init() : nil)
            var client = StrapATTClient(polarECG: rng.next() % 4 != 0)
            var queue = client.start()
            var exchanges = 0
            while let out = queue.first, exchanges < 400 {
                queue.removeFirst()
                switch out {
                case .send(let bytes):
                    exchanges += 1
                    if rng.next() % 8 == 0 {
                        queue += client.receive(Self.randomPDU(&rng))
                    } else if rng.next() % 50 == 0 {
                        queue += client.timedOut()
                    } else {
                        for reply in server.answer(bytes) { queue += client.receive(reply.encoded()) }
                    }
                case .streaming: outcomes.streaming += 1
                case .failed: outcomes.failed += 1
                default: break
                }
            }
            #expect(exchanges < 400, "a discovery that never ends")
            if client.awaitingResponse { _ = client.timedOut() }
            #expect(!client.awaitingResponse)
        }
        #expect(outcomes.streaming > 2_000 && outcomes.failed > 2_000, "both ends are reached: \(outcomes)")
    }

    /// The daemon's hot path takes a streaming strap's measurements by `measurementValueRange`
    /// without decoding: on any PDU, before and after streaming starts, it must pick out exactly
    /// what `receive` would call a measurement, and nothing else.
    @Test func theHotPathFindsExactlyTheMeasurementsReceiveFinds() {
        var rng = SplitMix64(seed: 0xFA57_0017)
        var server = StrapGATTServer()
        var client = StrapATTClient()
        var pdus = (0..<3_000).map { _ in Self.randomPDU(&rng) }
        pdus += (0..<1_000).map { _ in ATTPDU.handleValueNotification(handle: 0x0C, value: Self.randomPDU(&rng)).encoded() }
        pdus += [[0x1B], [0x1B, 0x0C], [0x1B, 0x0C, 0x00], [UInt8](repeating: 0x1B, count: 300)]
        for pdu in pdus { #expect(client.measurementValueRange(in: pdu) == nil, "not streaming yet") }
        #expect(Self.discover(&server, client: &client).contains(.streaming(measurementHandle: 0x0C, mtu: 232)))
        var found = 0
        for pdu in pdus.shuffled(using: &rng) {
            let range = client.measurementValueRange(in: pdu)
            var copy = client
            let said = copy.receive(pdu)
            if let range {
                found += 1
                #expect(said == [.measurement(Array(pdu[range]))], "\(pdu)")
            } else {
                #expect(!said.contains { if case .measurement = $0 { true } else { false } }, "\(pdu) is a measurement the hot path missed")
            }
        }
        #expect(found > 900, "the notifications on the measurement handle are found: \(found)")
    }
}
