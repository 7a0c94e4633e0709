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
            bytes += (try? RawLogFormat.encode(n)) ?? []  // a failure shows as a round-trip mismatch
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
        let lastStart = try bytes.count - RawLogFormat.encode(records[2]).count
        for cut in (lastStart + 1)..<bytes.count {
            let (read, reader) = try Self.readAll(Array(bytes.prefix(cut)))
            #expect(read == Array(records.prefix(2)))
            #expect(reader.tailDamage?.validLength == lastStart)
            #expect(reader.tailDamage?.discardedBytes == cut - lastStart)
        }
    }

    @Test func aCorruptRecordInsideTheLogIsSkippedAndTheRestKept() throws {
        var (bytes, records) = Self.log(163)
        let size = try RawLogFormat.encode(records[0]).count
        let bad = RawLogFormat.headerSize + 47 * size  // record 48 of 163, as the issue found it
        bytes[bad + 12] ^= 0x40
        for chunk in [1, 13, 4096] {
            let (read, reader) = try Self.readAll(bytes, chunk: chunk)
            #expect(read == Array(records.prefix(47)) + Array(records.dropFirst(48)), "115 good records after it are kept")
            #expect(reader.tailDamage == nil)
            #expect(reader.skipped == [RawLogSkippedRange(offset: bad, length: size, reason: reader.skipped.first?.reason ?? "")])
            #expect(reader.skipped.first?.reason.contains("CRC") == true)
            #expect(reader.damage.count == 1 && reader.damage[0].contains("raw.log@\(bad)"))
        }
        // A length field that lies (claims more than is left) inside the log: skipped too.
        var lying = Self.log(10).bytes
        lying[RawLogFormat.headerSize + 3 * size] = 0xFF
        lying[RawLogFormat.headerSize + 3 * size + 1] = 0x01
        let (read, reader) = try Self.readAll(lying)
        #expect(read.count == 9)
        #expect(reader.skipped.count == 1 && reader.tailDamage == nil)
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

    @Test("vendor (128-bit) characteristics round-trip beside SIG ones, at every chunking")
    func vendorRecordsRoundTrip() throws {
        let device = DeviceAddress("A0:9E:1A:12:34:56")!
        let ecg = PolarPMDFrame(type: .ecg, timestamp: 599_000_000_000_000_000, microvolts: (0..<73).map { Int32($0 * 37 - 1_000) })
        let records = [
            RawNotification(receiveTimeMicros: 1, device: device, characteristic: .heartRateMeasurement, value: [0x10, 60, 0x20, 0x03]),
            RawNotification(receiveTimeMicros: 2, device: device, characteristic: PolarPMDFrame.data, value: ecg.encoded()),
            RawNotification(receiveTimeMicros: 3, device: device, characteristic: PolarPMDFrame.data,
                            value: [UInt8](repeating: 0xAB, count: RawLogFormat.maximumValueLength)),
            RawNotification(receiveTimeMicros: 4, device: device, characteristic: PolarPMDFrame.data, value: []),
            RawNotification(receiveTimeMicros: 5, device: device, characteristic: .batteryLevel, value: [88]),
        ]
        var bytes = RawLogFormat.header()
        for r in records { bytes += try RawLogFormat.encode(r) }
        // The UUID goes in written order, after the 0x0000 marker.
        let second = try RawLogFormat.headerSize + RawLogFormat.encode(records[0]).count
        #expect(Array(bytes[(second + 24)..<(second + 30)]) == [0x00, 0x00, 0xFB, 0x00, 0x5C, 0x82])
        for chunk in [1, 7, 4096] {
            let (read, reader) = try Self.readAll(bytes, chunk: chunk)
            #expect(read == records)
            #expect(reader.tailDamage == nil)
        }
    }

    @Test("a vendor record too short for its UUID, or a SIG record past 512 value bytes, is a damaged tail")
    func lyingVendorLengths() throws {
        let (good, records) = Self.log(2)
        func record(code: UInt16, valueBytes: Int) -> [UInt8] {
            var r = RawLogFormat.le(UInt16(24 + valueBytes)) + [UInt8](repeating: 0, count: 22) + RawLogFormat.le(code)
            r += [UInt8](repeating: 7, count: valueBytes)
            return r + RawLogFormat.le(CRC32.checksum(r))
        }
        for (code, size, words) in [(UInt16(0), 15, "no room for its 16-byte UUID"), (0x2A37, 513, "outside 24…536")] {
            let (read, reader) = try Self.readAll(good + record(code: code, valueBytes: size))
            #expect(read == records)
            #expect(reader.tailDamage?.validLength == good.count)
            #expect(reader.tailDamage?.reason.contains(words) == true, "\(String(describing: reader.tailDamage))")
        }
    }

    @Test("3 000 mutated logs with vendor records: never a crash, and what is read is always written records in order")
    func mutatedLogsReadAsAPrefix() throws {
        var (bytes, records) = Self.log(40)
        let device = DeviceAddress("A0:9E:1A:12:34:56")!
        for i in 0..<20 {
            let frame = PolarPMDFrame(type: .ecg, timestamp: UInt64(i), microvolts: (0..<(i * 3)).map { Int32($0) - 30 })
            let r = RawNotification(receiveTimeMicros: Int64(i), device: device, characteristic: PolarPMDFrame.data, value: frame.encoded())
            records.append(r)
            bytes += try RawLogFormat.encode(r)
        }
        var rng = SplitMix64(seed: 0x5EED_0009)
        for _ in 0..<3_000 {
            var m = bytes
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = RawLogFormat.headerSize + Int(rng.next() % UInt64(m.count - RawLogFormat.headerSize))
                m[at] = UInt8(truncatingIfNeeded: rng.next())
            }
            if rng.next() % 3 == 0 { m.removeLast(Int(rng.next() % 200)) }
            let (read, reader) = try Self.readAll(m, chunk: 1 + Int(rng.next() % 300))
            var rest = records[...]
            for r in read {  // a subsequence: damage skips records, never invents or reorders them
                guard let k = rest.firstIndex(of: r) else { Issue.record("a record that was never written"); break }
                rest = rest[(k + 1)...]
            }
            #expect(read.count == records.count || reader.tailDamage != nil || !reader.skipped.isEmpty)
        }
    }
}

