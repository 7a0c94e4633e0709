import Testing
import TestSupport
@testable import HeartRateWire

/// The ATT codec: the PDUs of a strap's discovery and stream, byte for byte, and typed errors for
/// bytes that lie about their lengths.
@Suite struct ATTPDUTests {
    /// PDUs as a Polar H10 and a Linux client exchange them (layouts from Core 5.3 Vol 3 Part F 3.4).
    static let vectors: [(ATTPDU, [UInt8])] = [
        (.exchangeMTURequest(mtu: 247), [0x02, 0xF7, 0x00]),
        (.exchangeMTUResponse(mtu: 232), [0x03, 0xE8, 0x00]),
        (.readByGroupTypeRequest(start: 1, end: 0xFFFF, type: .primaryService), [0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28]),
        (.readByGroupTypeResponse([ATTGroup(handle: 1, end: 9, value: [0x00, 0x18]), ATTGroup(handle: 10, end: 13, value: [0x0D, 0x18])]),
         [0x11, 0x06, 0x01, 0x00, 0x09, 0x00, 0x00, 0x18, 0x0A, 0x00, 0x0D, 0x00, 0x0D, 0x18]),
        (.readByTypeRequest(start: 10, end: 13, type: .characteristic), [0x08, 0x0A, 0x00, 0x0D, 0x00, 0x03, 0x28]),
        (.readByTypeResponse([ATTHandleValue(handle: 11, value: [0x10, 0x0C, 0x00, 0x37, 0x2A])]),
         [0x09, 0x07, 0x0B, 0x00, 0x10, 0x0C, 0x00, 0x37, 0x2A]),
        (.findInformationRequest(start: 13, end: 13), [0x04, 0x0D, 0x00, 0x0D, 0x00]),
        (.findInformationResponse([ATTHandleUUID(handle: 13, type: .clientConfiguration)]), [0x05, 0x01, 0x0D, 0x00, 0x02, 0x29]),
        (.readRequest(handle: 0x10), [0x0A, 0x10, 0x00]),
        (.readResponse([0x01]), [0x0B, 0x01]),
        (.writeRequest(handle: 13, value: [0x01, 0x00]), [0x12, 0x0D, 0x00, 0x01, 0x00]),
        (.writeResponse, [0x13]),
        (.handleValueNotification(handle: 12, value: [0x10, 0x48, 0x33, 0x03]), [0x1B, 0x0C, 0x00, 0x10, 0x48, 0x33, 0x03]),
        (.handleValueIndication(handle: 0x40, value: [0xF0, 0x02]), [0x1D, 0x40, 0x00, 0xF0, 0x02]),
        (.handleValueConfirmation, [0x1E]),
        (.errorResponse(request: 0x10, handle: 14, error: .attributeNotFound), [0x01, 0x10, 0x0E, 0x00, 0x0A]),
    ]

    @Test func decodesAndEncodesEachPDU() throws {
        for (pdu, bytes) in Self.vectors {
            #expect(try ATTPDU(decoding: bytes) == pdu, "\(bytes)")
            #expect(pdu.encoded() == bytes, "\(pdu)")
        }
    }

    @Test func longUUIDsTravelLittleEndian() throws {
        let data = PolarPMDFrame.data
        #expect(data.description == "FB005C82-02E7-F387-1CAD-8ACD2D8DF0C8")
        #expect(data.wireBytes.first == 0xC8 && data.wireBytes.last == 0xFB)
        let pdu = ATTPDU.findInformationResponse([ATTHandleUUID(handle: 0x41, type: data)])
        #expect(try ATTPDU(decoding: pdu.encoded()) == pdu)
        #expect(ATTUUID(string: "0000180d-0000-1000-8000-00805f9b34fb") == .short(0x180D))
    }

    @Test func characteristicDeclarations() {
        let d = ATTCharacteristicDeclaration([0x10, 0x0C, 0x00, 0x37, 0x2A])
        #expect(d == ATTCharacteristicDeclaration(properties: 0x10, valueHandle: 0x0C, type: ATTUUID(.heartRateMeasurement)))
        #expect(d?.notifies == true && ATTCharacteristicDeclaration([0x02, 0x0F, 0x00, 0x38, 0x2A])?.notifies == false)
        let pmd = ATTCharacteristicDeclaration([0x28, 0x41, 0x00] + PolarPMDFrame.data.wireBytes)
        #expect(pmd?.type == PolarPMDFrame.data && pmd?.valueHandle == 0x41)
        #expect(ATTCharacteristicDeclaration([0x10, 0x0C, 0x00, 0x37]) == nil)
    }

    @Test func errorResponsesNameTheError() {
        #expect(ATTErrorCode.attributeNotFound.description == "Attribute Not Found (0x0A)")
        #expect(ATTErrorCode(0x05).description == "Insufficient Authentication (0x05)")
        #expect(ATTErrorCode(0x85).description == "application error 0x85")
    }

    @Test("bytes that lie are typed errors", arguments: [
        ([UInt8](), ATTDecodingError.Code.empty),
        ([0x7F], .unknownOpcode),
        ([0x02, 0xF7], .truncated),
        ([0x02, 0xF7, 0x00, 0x00], .trailingBytes),
        ([0x09, 0x07, 0x0B, 0x00, 0x10, 0x0C], .invalidLength),
        ([0x09, 0x01, 0x0B], .invalidLength),
        ([0x11, 0x06], .truncated),
        ([0x05, 0x03, 0x0D, 0x00, 0x02, 0x29], .invalidValue),
        ([0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00], .invalidLength),
        ([0x1B, 0x0C], .truncated),
    ])
    func lies(bytes: [UInt8], code: ATTDecodingError.Code) {
        do {
            _ = try ATTPDU(decoding: bytes)
            Issue.record("accepted \(bytes)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.offset <= bytes.count)
        }
    }

    @Test func randomAndMutatedBytesNeverCrashAndRoundTripWhenAccepted() {
        var rng = SplitMix64(seed: 0xA77)
        var accepted = 0
        for i in 0..<200_000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if !bytes.isEmpty { bytes[0] = [0x01, 0x03, 0x05, 0x09, 0x0B, 0x11, 0x13, 0x1B, 0x1D][Int.random(in: 0..<9, using: &rng)] }
            } else {
                bytes = Self.vectors.randomElement(using: &rng)!.1
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] ^= UInt8.random(in: 1...255, using: &rng)
                case 1: bytes.removeLast(bytes.count - at)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                }
            }
            do {
                let pdu = try ATTPDU(decoding: bytes)
                accepted += 1
                // Responses whose entries differ in length cannot be re-encoded with one length byte.
                if case .readByTypeResponse = pdu { continue }
                if case .readByGroupTypeResponse = pdu { continue }
                #expect(try ATTPDU(decoding: pdu.encoded()) == pdu, "\(bytes)")
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
        #expect(accepted > 10_000)
    }
}
