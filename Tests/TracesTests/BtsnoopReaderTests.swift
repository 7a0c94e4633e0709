import HeartRateWire
import Testing
import TestSupport
@testable import Traces

/// btsnoop captures built here record by record (the layout `btmon -w` writes), including the
/// ways real captures go wrong.
@Suite struct BtsnoopReaderTests {
    static let values: [[UInt8]] = [[0x10, 0x48, 0x33, 0x03], [0x16, 0x49, 0x20, 0x03, 0x28, 0x03], [0x00, 0x4A]]
    static let start: Int64 = 1_700_000_000_000_000

    /// A capture: connection complete, optional discovery, values as notifications on 0x000C
    /// (plus a battery notification on 0x0013), ACL cut into `fragment`-byte packets.
    static func capture(datalink: UInt32 = 2001, discovery: Bool = true, fragment: Int = 0) -> [UInt8] {
        var out = Array("btsnoop\0".utf8) + be(1) + be(datalink)
        func record(_ opcode: UInt32, _ type: UInt8, _ received: Bool, _ payload: [UInt8], _ t: Int64) {
            let data = datalink == 2001 ? payload : [type] + payload
            let flags = datalink == 2001 ? opcode : (received ? 1 : 0) | (type == 4 ? 2 : 0)
            let ts = UInt64(t + BtsnoopReader<InMemoryByteSource>.unixEpochMicros)
            out += be(UInt32(data.count)) + be(UInt32(data.count)) + be(flags) + be(0)
            out += (0..<8).map { UInt8(truncatingIfNeeded: ts >> (56 - 8 * UInt64($0))) } + data
        }
        func att(_ pdu: ATTPDU, received: Bool, _ t: Int64) {
            let bytes = pdu.encoded()
            let frame = le(UInt16(bytes.count)) + le(4) + bytes
            let size = fragment > 0 ? fragment : frame.count
            for (n, i) in stride(from: 0, to: frame.count, by: size).enumerated() {
                let chunk = Array(frame[i..<min(i + size, frame.count)])
                record(received ? 5 : 4, 2, received, le(0x0040 | (n == 0 ? 0x2000 : 0x1000)) + le(UInt16(chunk.count)) + chunk, t)
            }
        }
        // LE Connection Complete, peer A0:9E:1A:12:34:56.
        record(3, 4, true, [0x3E, 19, 0x01, 0x00, 0x40, 0x00, 0x00, 0x00, 0x56, 0x34, 0x12, 0x1A, 0x9E, 0xA0,
                            24, 0, 0, 0, 0x90, 0x01, 0], start)
        if discovery {
            att(.readByTypeRequest(start: 10, end: 16, type: .characteristic), received: false, start)
            att(.readByTypeResponse([ATTHandleValue(handle: 11, value: [0x10, 0x0C, 0x00, 0x37, 0x2A])]), received: true, start)
        }
        for (i, v) in values.enumerated() {
            let t = start + Int64(i + 1) * 1_000_000
            att(.handleValueNotification(handle: 0x0C, value: v), received: true, t)
            att(.handleValueNotification(handle: 0x13, value: [87]), received: true, t)
        }
        return out
    }

    static func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func le(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

    static func read(_ bytes: [UInt8], handle: UInt16? = nil) throws(TraceError) -> (events: [RawNotification], reader: BtsnoopReader<InMemoryByteSource>) {
        var reader = BtsnoopReader(InMemoryByteSource(bytes, chunkSize: 7), name: "c.btsnoop", heartRateHandle: handle)
        var events: [RawNotification] = []
        while let e = try reader.next() {
            guard case .notification(let n) = e else { continue }
            events.append(n)
        }
        return (events, reader)
    }

    @Test(arguments: [(UInt32(2001), 0), (2001, 5), (1002, 0), (1002, 3)])
    func readsTheHeartRateNotificationsOfTheDiscoveredHandle(datalink: UInt32, fragment: Int) throws {
        let (events, reader) = try Self.read(Self.capture(datalink: datalink, fragment: fragment))
        #expect(events.map(\.value) == Self.values, "battery notifications are not heart rate")
        #expect(events.allSatisfy { $0.device == DeviceAddress("A0:9E:1A:12:34:56")! && $0.characteristic == ATTUUID(.heartRateMeasurement) })
        #expect(events.map(\.receiveTimeMicros) == [1, 2, 3].map { Self.start + $0 * 1_000_000 })
        #expect(reader.tailDamage == nil)
        #expect(TraceFormat.sniff(Self.capture()) == .btsnoop)
    }

    @Test func aCaptureWithoutDiscoveryNeedsTheHandle() throws {
        let bytes = Self.capture(discovery: false)
        #expect(throws: TraceError.self) { try Self.read(bytes) }
        do { _ = try Self.read(bytes) } catch { #expect(error.description.contains("give its value handle")) }
        #expect(try Self.read(bytes, handle: 0x0C).events.map(\.value) == Self.values)
    }

    @Test func aTornTailKeepsEverythingBeforeIt() throws {
        let whole = Self.capture()
        // The capture ends with the third heart-rate record (37 bytes) and a battery record (36).
        for (cut, kept) in [(1, 3), (30, 3), (37, 2), (60, 2)] {
            let (events, reader) = try Self.read(Array(whole.dropLast(cut)))
            #expect(events.map(\.value) == Array(Self.values.prefix(kept)), "cut \(cut)")
            #expect(reader.tailDamage != nil)
        }
    }

    static let magic: [UInt8] = Array("btsnoop\0".utf8)
    static let badHeaderCases: [([UInt8], String)] = [
        ([], "empty"), (magic, "no 16-byte btsnoop header"),
        ([0x62] + Array(magic.dropFirst()).reversed() + [0, 0, 0, 1, 0, 0, 7, 0xD1], "magic"),
        (magic + [0, 0, 0, 2, 0, 0, 7, 0xD1], "version 2"),
        (magic + [0, 0, 0, 1, 0, 0, 0x03, 0xE9 + 2], "datalink 1003"),
    ]

    @Test("bad headers are errors that say where", arguments: badHeaderCases)
    func badHeaders(bytes: [UInt8], message: String) {
        do {
            _ = try Self.read(bytes)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(message) || (message == "empty" && error.code == .empty), "\(error)")
        }
    }

    @Test func mutatedCapturesNeverCrash() {
        var rng = SplitMix64(seed: 0xB75)
        let seeds = [Self.capture(), Self.capture(datalink: 1002, fragment: 4), Self.capture(discovery: false)]
        for _ in 0..<3_000 {
            var bytes = seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let at = Int.random(in: 16..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] ^= UInt8.random(in: 1...255, using: &rng)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &rng)))
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                }
                if bytes.count <= 17 { break }
            }
            if let (events, _) = try? Self.read(bytes, handle: Bool.random(using: &rng) ? 0x0C : nil) {
                #expect(events.count <= 3 + 3)
            }
        }
    }
}
