import HeartRateWire
import Ingest
import Storage
import Physiology
import Testing
import TestSupport
import Traces

/// Collects pipeline events.
final class Collector: PipelineSink {
    var records: [SessionRecord] = []
    var bad = 0
    func receive(_ event: PipelineEvent) {
        switch event {
        case .sessionEnded(let r): records.append(r)
        case .badNotification: bad += 1
        default: break
        }
    }
}

@Suite struct ReplayTests {
    static func replay(_ path: String, profile: AthleteProfile = AthleteProfile()) throws -> (records: [SessionRecord], outcome: TraceReplay.Outcome, pipeline: StrapPipeline, bad: Int) {
        var opened = try TraceFile.open(path)
        let collector = Collector()
        let pipeline = StrapPipeline(device: .replay, profile: profile, sinks: [collector])
        let outcome = TraceReplay.run(&opened.reader, into: pipeline)
        return (collector.records, outcome, pipeline, collector.bad)
    }

    /// The same notifications as the trace's lines, as a native raw log.
    static func rawLog(of session: RealRecordings.E4Session) throws -> String {
        var bytes = RawLogFormat.header()
        for n in session.notifications {
            let m = HeartRateMeasurement(heartRate: UInt16(n.heartRate), sensorContact: .detected, rrIntervals: RRIntervals(n.rr))
            bytes += try RawLogFormat.encode(RawNotification(
                receiveTimeMicros: Int64((n.time * 1_000_000).rounded()), device: DeviceAddress("A0:9E:1A:00:00:01")!,
                characteristic: .heartRateMeasurement, value: m.encoded()))
        }
        let dir = try FileBytes.temporaryDirectory("raw")
        let path = dir + "/aerobic-s02.wiraw"
        try AtomicFile.write(bytes, to: path)
        return path
    }

    @Test func aRealRRSessionIsOneSessionFromCSVAndFromItsRawNotifications() throws {
        // A real E4 session (PhysioNet AEROBIC/S02, graded cycling) as a CSV trace of notifications.
        let session = try RealRecordings.e4("AEROBIC", "S02")
        let csv = try Self.replay(try session.writeTrace())
        #expect(csv.outcome == .completed)
        try #require(csv.records.count == 1)
        let raw = try Self.replay(try Self.rawLog(of: session))
        #expect(raw.outcome == .completed)
        #expect(raw.bad == 0)
        try #require(raw.records.count == 1)
        let a = csv.records[0], b = raw.records[0]
        #expect(a.class == b.class)
        #expect(abs(a.durationSeconds - b.durationSeconds) < 1, "the same notifications, read from text or from the strap's bytes")
        // The session's own beats: those of its span (the rest after its end only confirmed it).
        let inSpan = session.beats.filter { session.start + $0.offset >= a.startUnix && session.start + $0.offset <= a.endUnix }.count
        #expect(inSpan > session.beats.count / 2 && inSpan <= session.beats.count, "\(inSpan) of \(session.beats.count) beats lie in the session")
        #expect(abs(a.rr.beatsAccepted + a.rr.beatsRejected - inSpan) <= inSpan / 50,
                "\(a.rr.beatsAccepted) + \(a.rr.beatsRejected) beats counted, \(inSpan) in the session's span")
        #expect(a.rr.beatsAccepted == b.rr.beatsAccepted && a.trimp == b.trimp)
        #expect(a.rr.beatsRejected > 0, "wrist PPG under pedalling has real artifacts")
        #expect(a.durationSeconds > 15 * 60 && a.durationSeconds < 34 * 60)
    }

    @Test("every real FIT recording replays to the end", arguments:
            RealRecordings.fitFiles)
    func everyFITReplays(path: String) throws {
        let r = try Self.replay(path)
        #expect(r.outcome == .completed)
        #expect(r.pipeline.samples > 10)
        for record in r.records {
            #expect(record.durationSeconds >= 60)
            #expect(record.segments.first?.start == record.start)
            #expect(record.maxHr >= record.meanHr)
        }
    }

    @Test func aCutFileStillEndsTheSessionItHadRead() throws {
        let bytes = try FileBytes.read(TestPaths.fixture("fit-analyzer-jarkko/20748058539_ACTIVITY.fit"))
        let dir = try FileBytes.temporaryDirectory("cut")
        try AtomicFile.write(Array(bytes.prefix(bytes.count * 3 / 4)), to: dir + "/cut.fit")
        let r = try Self.replay(dir + "/cut.fit")
        guard case .failed(let error) = r.outcome else {
            Issue.record("a cut file replayed cleanly")
            return
        }
        #expect(error.code == .truncated)
        #expect(r.pipeline.samples > 100)
    }

    @Test func sessionIDsNameTheStartAndTheStrap() {
        #expect(SessionRecord.identifier(start: 1_622_995_859.7, device: .replay) == "20210606T161059Z-000000000000")
        #expect(SessionRecord.identifier(start: 1_622_995_859.7, device: DeviceAddress("A0:9E:1A:00:00:01")!) == "20210606T161059Z-A09E1A000001")
        #expect(SessionRecord.identifier(start: 0, device: DeviceAddress("A0:9E:1A:12:34:56")!) == "19700101T000000Z-A09E1A123456")
    }
}

@Suite struct ClassifierBadInputTests {
    static func replayNotifications(_ values: [(Double, [UInt8])]) -> [SessionRecord] {
        let collector = Collector()
        let pipeline = StrapPipeline(device: DeviceAddress("A0:9E:1A:00:00:02")!, profile: AthleteProfile(age: 30),
                                     sinks: [collector])
        for (t, v) in values { pipeline.handle(notification: v, characteristic: .heartRateMeasurement, time: t) }
        pipeline.finish()
        return collector.records
    }

    @Test func aStrapOffTheSkinInventsNoWorkout() {
        // 40 min of a stuck 150 bpm with the contact bit clear: no heart rate, no session.
        let off = (0..<2400).map { (1_700_000_000 + Double($0), HeartRateMeasurement(heartRate: 150, sensorContact: .notDetected).encoded()) }
        #expect(Self.replayNotifications(off).isEmpty)
    }

    @Test func clockJumpsAndRROnlyStreamsStillClassifyOrSayUnclassified() {
        var values: [(Double, [UInt8])] = []
        var t = 1_700_000_000.0
        for i in 0..<3000 {
            let rr = i % 600 < 450 ? 400.0 : 700.0  // 6 min hard, 2 min easy; RR only (HR field 0)
            values.append((t, HeartRateMeasurement(heartRate: 0, sensorContact: .detected, rrIntervals: RRIntervals([rr, rr])).encoded()))
            t += i == 1500 ? -3600 : (i == 2000 ? 86_400 : 0.8)  // the clock jumps back an hour, then a day ahead
        }
        let records = Self.replayNotifications(values)
        #expect(!records.isEmpty)
        for r in records {
            #expect(r.durationSeconds >= 0)
            #expect(r.confidence >= 0 && r.confidence <= 1)
            #expect(r.inputs.rrIntervals)
        }
    }
}
