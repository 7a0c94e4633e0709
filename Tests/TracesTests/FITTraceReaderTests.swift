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
        let bytes = try FileBytes.read(TestPaths.shared(relative))
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
}
