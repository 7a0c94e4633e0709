import CBluetooth
import CSystemd
import SystemdKit
import Testing

/// The module maps link and expose what the backends need.
@Suite struct SystemLibraryTests {
    @Test func bluetoothLayoutsMatchTheKernelABI() {
        #expect(MemoryLayout<bdaddr_t>.size == 6)
        #expect(MemoryLayout<sockaddr_l2>.size == 14)
        #expect(BTPROTO_L2CAP == 0)
        var a = bdaddr_t()
        #expect(str2ba("A0:9E:1A:12:34:56", &a) == 0)
        #expect(a.b.0 == 0x56 && a.b.5 == 0xA0, "bdaddr_t is little-endian")
    }

    @Test func notifyOutsideSystemdIsANoOp() {
        // Tests run without NOTIFY_SOCKET: libsystemd returns 0 and the wrapper reports false.
        #expect(SystemdNotifier().notify("STATUS=test") == false)
    }
}
