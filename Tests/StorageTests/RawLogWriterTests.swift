import Foundation
import HeartRateWire
import Ingest
import Storage
import SystemCall
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
        let torn = Array(try RawLogFormat.encode(Self.notification(10)).prefix(13))
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
        #expect(throws: SystemCallError.self) { try RawLogWriter(path: path) }
    }

    @Test func aBadRecordInsideTheLogIsKeptNotCutAtTheNextStart() throws {
        let path = try FileBytes.temporaryDirectory("rawlog") + "/strap.wiraw"
        do {
            let w = try RawLogWriter(path: path)
            for i in 0..<163 { try w.append(Self.notification(i)) }
        }
        var bytes = try FileBytes.read(path)
        let size = try RawLogFormat.encode(Self.notification(0)).count
        bytes[RawLogFormat.headerSize + 47 * size + 5] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let w = try RawLogWriter(path: path)
        #expect(w.repairedTail == nil, "nothing is cut")
        #expect(w.skippedDamage.map(\.offset) == [RawLogFormat.headerSize + 47 * size])
        #expect(w.recordCount == 162)
        try w.append(Self.notification(163))
        var reader = RawLogReader(try FileByteSource(path: path), name: path)
        var read: [RawNotification] = []
        while let n = try reader.nextNotification() { read.append(n) }
        #expect(read == (0..<164).filter { $0 != 47 }.map(Self.notification))
    }

    /// Disk full mid-record (RLIMIT_FSIZE makes the kernel write only part of the record, as a
    /// full disk does), then space returns: the partial record is removed before the next
    /// append, and the next start cuts nothing.
    @Test func aShortWriteIsUndoneBeforeTheNextAppend() throws {
        let path = try FileBytes.temporaryDirectory("rawlog") + "/full.wiraw"
        let w = try RawLogWriter(path: path)
        for i in 0..<10 { try w.append(Self.notification(i)) }
        let size = try RawLogFormat.encode(Self.notification(0)).count
        let previous = signal(SIGXFSZ, SIG_IGN)
        var old = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        var limit = old
        limit.rlim_cur = rlim_t(RawLogFormat.headerSize + 10 * size + size / 2)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
        var failures = 0
        for i in 10..<13 {
            do { try w.append(Self.notification(i)) } catch { failures += 1 }
        }
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        signal(SIGXFSZ, previous)
        #expect(failures == 3)
        #expect(try FileBytes.read(path).count == RawLogFormat.headerSize + 10 * size, "the partial record was removed")
        for i in 13..<20 { try w.append(Self.notification(i)) }
        let reopened = try RawLogWriter(path: path)
        #expect(reopened.repairedTail == nil && reopened.skippedDamage.isEmpty)
        #expect(reopened.recordCount == 17)
        #expect(try Self.readBack(path) == (Array(0..<10) + Array(13..<20)).map(Self.notification))
    }

    @Test func valuesTooLongToLogAreAnErrorNotATrap() throws {
        let path = try FileBytes.temporaryDirectory("rawlog") + "/long.wiraw"
        let w = try RawLogWriter(path: path)
        var n = Self.notification(0)
        n.value = [UInt8](repeating: 0x10, count: 600)
        #expect(throws: SystemCallError.self) { try w.append(n) }
        try w.append(Self.notification(1))
        #expect(try Self.readBack(path) == [Self.notification(1)])
    }

    @Test func createsPrivateFilesAndFollowsNoSymlink() throws {
        let dir = try FileBytes.temporaryDirectory("rawlog")
        let old = umask(0o022)
        defer { umask(old) }
        _ = try RawLogWriter(path: dir + "/mine.wiraw")
        var st = stat()
        stat(dir + "/mine.wiraw", &st)
        #expect(st.st_mode & 0o777 == 0o600, "heart-rate data is not world-readable whatever the umask")
        let target = dir + "/elsewhere"
        symlink(target, dir + "/planted.wiraw")
        #expect(throws: SystemCallError.self) { try RawLogWriter(path: dir + "/planted.wiraw") }
        #expect(access(target, F_OK) != 0, "nothing was created where the dangling link points")
    }
}
