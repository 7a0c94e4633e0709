import HeartRateWire
import Testing
import TestSupport
@testable import Traces

@Suite struct RawLogTests {
    static func log(_ count: Int) -> (bytes: [UInt8], records: [RawNotification]) {
        var bytes = RawLogFormat.header()
        var records: [RawNotification] = []
        let device = DeviceAddress("A0:9E:1A:12:34:56")!
        for i in 0..<count {
            let value = HeartRateMeasurement(heartRate: UInt16(60 + i % 100), sensorContact: .detected,
                                             rrIntervals: RRIntervals([Double(600 + i)])).encoded()
            let n = RawNotification(receiveTimeMicros: 1_700_000_000_000_000 + Int64(i) * 1_000_000,
                                    monotonicMicros: Int64(i) * 1_000_000, device: device,
                                    characteristic: .heartRateMeasurement, value: value)
            records.append(n)
            bytes += RawLogFormat.encode(n)
        }
        return (bytes, records)
    }

    static func readAll(_ bytes: [UInt8], chunk: Int = 4096) throws -> (records: [RawNotification], reader: RawLogReader<InMemoryByteSource>) {
        var reader = RawLogReader(InMemoryByteSource(bytes, chunkSize: chunk), name: "raw.log")
        var out: [RawNotification] = []
        while let n = try reader.nextNotification() { out.append(n) }
        return (out, reader)
    }

    @Test func roundTrip() throws {
        let (bytes, records) = Self.log(300)
        let (read, reader) = try Self.readAll(bytes, chunk: 5)
        #expect(read == records)
        #expect(reader.tailDamage == nil)
        #expect(reader.validLength == bytes.count)
    }

    @Test("a torn tail is cut at every possible cut point, keeping all whole records")
    func tornTail() throws {
        let (bytes, records) = Self.log(3)
        let lastStart = bytes.count - RawLogFormat.encode(records[2]).count
        for cut in (lastStart + 1)..<bytes.count {
            let (read, reader) = try Self.readAll(Array(bytes.prefix(cut)))
            #expect(read == Array(records.prefix(2)))
            #expect(reader.tailDamage?.validLength == lastStart)
            #expect(reader.tailDamage?.discardedBytes == cut - lastStart)
        }
    }

    @Test func aCorruptRecordStopsTheReadAndIsReported() throws {
        var (bytes, records) = Self.log(5)
        let third = RawLogFormat.headerSize + 2 * RawLogFormat.encode(records[0]).count
        bytes[third + 12] ^= 0x40
        let (read, reader) = try Self.readAll(bytes)
        #expect(read == Array(records.prefix(2)))
        #expect(reader.tailDamage?.validLength == third)
        #expect(reader.tailDamage?.reason.contains("CRC") == true)
    }

    @Test func badHeadersAreErrors() {
        #expect(throws: TraceError.self) { try Self.readAll([]) }
        #expect(throws: TraceError.self) { try Self.readAll(Array("NOTALOG!\u{1}\0\u{10}\0\0\0\0\0".utf8)) }
        var future = RawLogFormat.header()
        future[8] = 9
        #expect(throws: TraceError.self) { try Self.readAll(future) }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(FITCRC.checksum(Array("123456789".utf8)) == 0xBB3D)  // CRC-16/ARC
    }

    @Test func sniffsFormats() throws {
        #expect(TraceFormat.sniff(RawLogFormat.header()) == .rawLog)
        #expect(TraceFormat.sniff(try FileBytes.read(TestPaths.fixture("fitdecode-testfiles/garmin-fenix-5-run.fit"))) == .fit)
        #expect(TraceFormat.sniff(Array("timestamp,hr,rr\n".utf8)) == .csv)
    }
}
