import Glibc
import SystemCall
import SystemPackage
import Testing

/// The one errno-based error: what its messages say.
struct SystemCallErrorTests {
    @Test func aMessageNamesSubjectCallAndReason() {
        let e = SystemCallError("open", on: "/var/lib/ingestd/x", errno: .noSuchFileOrDirectory)
        #expect(e.description == "/var/lib/ingestd/x: open: No such file or directory")
        #expect(e.cause == "open: No such file or directory")
        let planted = SystemCallError("open", on: "/tmp/l", errno: .tooManySymbolicLinkLevels, detail: "is a symbolic link; refusing to follow it")
        #expect(planted.description == "/tmp/l: open: is a symbolic link; refusing to follow it")
        let hinted = SystemCallError("socket", errno: .addressFamilyNotSupported, hint: " (this kernel has no Bluetooth sockets)")
        #expect(hinted.description == "socket: Address family not supported by protocol (this kernel has no Bluetooth sockets)")
    }

    @Test func negativeReturnsThrowAndOthersPassThrough() throws {
        #expect(try SystemCallError.check(3, "sd_x") == 3)
        #expect(throws: SystemCallError("sd_x", on: "bus", errno: .permissionDenied)) { try SystemCallError.check(-EACCES, "sd_x", on: "bus") }
    }

    @Test func lastReadsTheThreadsErrno() {
        #expect(open("/nonexistent/ingestd-test", O_RDONLY) == -1)
        let e = SystemCallError.last("open", on: "/nonexistent/ingestd-test")
        #expect(e.errno == .noSuchFileOrDirectory)
    }
}
