import HeartRateWire
import Testing
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
}
