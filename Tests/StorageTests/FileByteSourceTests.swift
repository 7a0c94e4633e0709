import Foundation
import Ingest
import Storage
import Testing
import TestSupport
import Traces

@Suite struct FileByteSourceTests {
    /// Descriptors of this process open on `path`: other tests run in parallel in the same
    /// process and open files of their own, so a count of every descriptor is a race.
    static func openDescriptors(on path: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)) == path
        }.count
    }

    /// Sniffing a file's format reads its first bytes only; the descriptor is closed all the
    /// same (100 sniffs once leaked 100 descriptors).
    @Test func sniffingAndDroppingReadersLeakNoDescriptor() throws {
        // A private copy, so no other test holds it open.
        let dir = try FileBytes.temporaryDirectory("sniff")
        let fit = dir + "/run.fit"
        try FileManager.default.copyItem(atPath: TestPaths.fixture("fitdecode-testfiles/2013-02-06-12-11-14.fit"), toPath: fit)
        let before = try Self.openDescriptors(on: fit)
        #expect(before == 0)
        for _ in 0..<100 {
            let opened = try TraceFile.open(fit)
            #expect(opened.format == .fit)
            _ = try FileByteSource.prefix(of: fit, count: 12)
            let source = try FileByteSource(path: fit, chunkSize: 16)
            #expect(try source.nextChunk()?.count == 16)
        }
        #expect(try Self.openDescriptors(on: fit) == before)
    }

    /// A file read to its end gives nil from then on, not a read on a closed descriptor.
    @Test func theEndIsFinal() throws {
        let dir = try FileBytes.temporaryDirectory("bytesource")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: dir + "/three"))
        let source = try FileByteSource(path: dir + "/three", chunkSize: 2)
        #expect(try source.nextChunk() == [1, 2])
        #expect(try source.nextChunk() == [3])
        #expect(try source.nextChunk() == nil)
        #expect(try source.nextChunk() == nil)
        #expect(throws: TraceError.self) { try FileByteSource(path: dir + "/absent") }
        #expect(throws: TraceError.self) { try FileByteSource(path: dir) }
    }
}
