import Foundation
import HeartRateWire
import Ingest
import Testing
import TestSupport
import Traces

@Suite struct RawLogWriterTests {
    static func notification(_ i: Int) -> RawNotification {
        RawNotification(receiveTimeMicros: 1_700_000_000_000_000 + Int64(i) * 1_000_000, monotonicMicros: Int64(i),
                        device: DeviceAddress("C0:FF:EE:00:00:01")!, characteristic: .heartRateMeasurement,
                        value: HeartRateMeasurement(heartRate: UInt16(70 + i % 50), rrIntervals: RRIntervals([800])).encoded())
    }

    static func readBack(_ path: String) throws -> [RawNotification] {
        var reader = RawLogReader(try FileByteSource(path: path), name: path)
        var out: [RawNotification] = []
        while let n = try reader.nextNotification() { out.append(n) }
        #expect(reader.tailDamage == nil)
        return out
    }

    @Test func appendsAcrossReopensAndCutsATornTail() throws {
        let path = try FileBytes.temporaryDirectory("rawlog") + "/strap.wiraw"
        do {
            let w = try RawLogWriter(path: path)
            #expect(w.repairedTail == nil)
            for i in 0..<10 { try w.append(Self.notification(i)) }
        }
        // A crash in the middle of a write: half of the next record reaches the disk.
        let torn = Array(RawLogFormat.encode(Self.notification(10)).prefix(13))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(torn))
        try handle.close()

        let w = try RawLogWriter(path: path)
        #expect(w.repairedTail?.discardedBytes == 13)
        #expect(w.recordCount == 10)
        for i in 10..<15 { try w.append(Self.notification(i)) }
        #expect(try Self.readBack(path) == (0..<15).map(Self.notification))
    }

    @Test func refusesToAppendToSomethingElse() throws {
        let path = try FileBytes.temporaryDirectory("rawlog") + "/notalog"
        try Data("timestamp,hr,rr\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: RawLogWriter.Failure.self) { try RawLogWriter(path: path) }
    }
}
