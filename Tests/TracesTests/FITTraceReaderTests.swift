import Foundation
import Testing
import TestSupport
@testable import Traces

@Suite struct FITTraceReaderTests {
    struct Counts: Decodable, Equatable {
        var record: Int
        var record_with_heart_rate: Int
        var hrv_rr: Int
        var session: Int
        var user_profile: Int
    }

    static let expected: [String: Counts] = {
        let bytes = try! FileBytes.read(TestPaths.fixture("fit-expected-counts.json"))
        return try! JSONDecoder().decode([String: Counts].self, from: Data(bytes))
    }()

    static func count(_ bytes: [UInt8], chunk: Int = 64 * 1024) throws -> Counts {
        var decoder = FITDecoder(InMemoryByteSource(bytes, chunkSize: chunk), name: "x.fit",
                                 interesting: [FITGlobalMessage.record, FITGlobalMessage.hrv])
        var c = Counts(record: 0, record_with_heart_rate: 0, hrv_rr: 0, session: 0, user_profile: 0)
        while let m = try decoder.next() {
            if m.globalNumber == FITGlobalMessage.record {
                c.record += 1
                if m[3] != nil { c.record_with_heart_rate += 1 }
            } else {
                c.hrv_rr += m.fields[0]?.count ?? 0
            }
        }
        c.session = decoder.messageCounts[FITGlobalMessage.session] ?? 0
        c.user_profile = decoder.messageCounts[FITGlobalMessage.userProfile] ?? 0
        return c
    }

    @Test("every real FIT file decodes with the counts fitdecode finds",
          arguments: expected.keys.sorted())
    func matchesFitdecode(relative: String) throws {
        let bytes = try FileBytes.read(TestPaths.fixture(relative))
        #expect(try Self.count(bytes) == Self.expected[relative])
    }

    @Test func chunkSizeDoesNotChangeTheResult() throws {
        let bytes = try FileBytes.read(TestPaths.fixture("fitdecode-testfiles/garmin-edge-820-bike.fit"))
        #expect(try Self.count(bytes, chunk: 3) == Self.count(bytes))
    }

    @Test func readsHeartRateRRAndProfile() throws {
        let bytes = try FileBytes.read(TestPaths.fixture("fitdecode-testfiles/garmin-fenix-5-run.fit"))
        var reader = FITTraceReader(InMemoryByteSource(bytes), name: "run.fit")
        var hr = 0, rr = 0, sessions = 0
        var lastTime = 0.0
        while let e = try reader.next() {
            switch e {
            case .sample(let s):
                if s.heartRate != nil { hr += 1 }
                rr += s.rrIntervals.count
                #expect(s.rrIntervals.allSatisfy { $0 > 200 && $0 < 2000 })
                #expect(s.time >= 1_400_000_000)
                lastTime = s.time
            case .metadata(.session):
                sessions += 1
            default:
                break
            }
        }
        #expect(hr == Self.expected["fitdecode-testfiles/garmin-fenix-5-run.fit"]?.record_with_heart_rate)
        #expect(rr == Self.expected["fitdecode-testfiles/garmin-fenix-5-run.fit"]?.hrv_rr)
        #expect(sessions == 1)
        #expect(lastTime > 0)
    }

    @Test func aWrongCRCIsACheckSumError() throws {
        var bytes = try FileBytes.read(TestPaths.fixture("fitdecode-testfiles/garmin-fenix-5-bike.fit"))
        bytes[bytes.count - 1] ^= 0xFF
        do {
            _ = try Self.count(bytes)
            Issue.record("accepted a wrong CRC")
        } catch let error as TraceError {
            #expect(error.code == .checksum)
            #expect(error.description.contains("x.fit@"))
        }
    }

    @Test func aFileCutInTheMiddleIsTruncatedAndKeepsWhatCameBefore() throws {
        let bytes = try FileBytes.read(TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"))
        let cut = Array(bytes.prefix(bytes.count / 2))
        var reader = FITTraceReader(InMemoryByteSource(cut), name: "cut.fit")
        var samples = 0
        do {
            while let e = try reader.next() { if case .sample = e { samples += 1 } }
            Issue.record("accepted a truncated file")
        } catch {
            #expect(error.code == .truncated)
            if case .offset(let o) = error.location { #expect(o <= cut.count && o > cut.count - 200) } else { Issue.record("no offset") }
        }
        #expect(samples > 300)
    }

    @Test func emptyAndNonFITInputAreErrors() {
        #expect(throws: TraceError.self) { try Self.count([]) }
        #expect(throws: TraceError.self) { try Self.count(Array("timestamp,hr,rr\n".utf8)) }
    }

    @Test func mutatedFilesNeverCrash() throws {
        let original = try FileBytes.read(TestPaths.fixture("fitdecode-testfiles/garmin-fenix-5-walk.fit"))
        var rng = SplitMix64(seed: 0xF17)
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &rng)) }
            var reader = FITTraceReader(InMemoryByteSource(bytes, chunkSize: 97), name: "m.fit")
            do { while try reader.next() != nil {} } catch {
                #expect(!error.reason.isEmpty)
            }
        }
        for _ in 0..<400 {
            let n = Int.random(in: 0...600, using: &rng)
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if n >= 12 {  // a plausible header so the record parser is reached
                bytes.replaceSubrange(0..<12, with: [12, 0x10, 0, 0, UInt8(n & 0xFF), UInt8(n >> 8), 0, 0, 0x2E, 0x46, 0x49, 0x54])
            }
            var reader = FITTraceReader(InMemoryByteSource(bytes), name: "r.fit")
            do { while try reader.next() != nil {} } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }

    /// A FIT file of one definition + data message per entry: (global number, fields as
    /// (number, size, base type, little-endian value)).
    static func craftedFIT(_ messages: [(global: UInt16, fields: [(number: UInt8, size: UInt8, base: UInt8, value: UInt64)])]) -> [UInt8] {
        var data: [UInt8] = []
        for m in messages {
            data += [0x40, 0, 0, UInt8(m.global & 0xFF), UInt8(m.global >> 8), UInt8(m.fields.count)]
            for f in m.fields { data += [f.number, f.size, f.base] }
            data.append(0x00)
            for f in m.fields { data += (0..<Int(f.size)).map { UInt8(truncatingIfNeeded: f.value >> (8 * UInt64($0))) } }
        }
        var header: [UInt8] = [14, 0x20, 0x34, 0x08]
        header += (0..<4).map { UInt8(truncatingIfNeeded: data.count >> (8 * $0)) }
        header += Array(".FIT".utf8)
        let headerCRC = FITCRC.checksum(header)
        header += [UInt8(headerCRC & 0xFF), UInt8(headerCRC >> 8)]
        let crc = FITCRC.checksum(header + data)
        return header + data + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }

    @Test func crafted_wide_fields_are_no_reading_not_a_trap() throws {
        let bytes = Self.craftedFIT([
            (3, [(1, 1, 0x00, 1), (2, 8, 0x8F, 1 << 63), (8, 8, 0x8F, UInt64.max - 1), (11, 8, 0x8F, 1 << 63 | 7)]),
            (20, [(253, 4, 0x86, 1_000_000_000), (3, 4, 0x86, 100_000)]),
            (20, [(253, 4, 0x86, 1_000_000_001), (3, 4, 0x86, 150)]),
        ])
        var reader = FITTraceReader(InMemoryByteSource(bytes), name: "crafted.fit")
        var events: [TraceEvent] = []
        while let e = try reader.next() { events.append(e) }
        #expect(events.count == 2, "the profile, then only the 150-bpm record: \(events)")
        guard case .metadata(.userProfile(let age, let sex, let resting, let maximum))? = events.first else {
            Issue.record("expected the user profile first: \(events)")
            return
        }
        #expect(age == nil && resting == nil && maximum == nil, "values ≥ 2^63 fit no Int")
        #expect(sex == .male)
        guard case .sample(let s)? = events.last else { Issue.record("expected a sample"); return }
        #expect(s.heartRate == 150)
    }
    @Test func zonesTargetGivesTheHRmaxThePersonSet() throws {
        let bytes = Self.craftedFIT([
            (7, [(1, 1, 0x02, 196), (2, 1, 0x02, 171)]),
            (7, [(1, 1, 0x02, 0xFF)]),  // invalid: no maximum set
            (20, [(253, 4, 0x86, 1_000_000_000), (3, 1, 0x02, 120)]),
        ])
        var reader = FITTraceReader(InMemoryByteSource(bytes), name: "zones.fit")
        var events: [TraceEvent] = []
        while let e = try reader.next() { events.append(e) }
        #expect(events.count == 2, "the zones' maximum, then the record: \(events)")
        #expect(events.first == .metadata(.userProfile(age: nil, sex: nil, restingHeartRate: nil, maximumHeartRate: 196)))
    }
}
