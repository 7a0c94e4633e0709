import BlueZ
import Foundation
import Glibc
import HeartRateWire
import Ingest
import Traces
import Testing
import TestSupport
@testable import IngestDaemon

/// The AcquireNotify reader on a real SOCK_SEQPACKET socketpair, as bluetoothd hands it over.
@Suite struct BlueZStrapStreamTests {
    static func strap(fd: Int32) throws -> BlueZStrap {
        let address = DeviceAddress("C0:FF:EE:00:00:19")!
        let dir = try FileBytes.temporaryDirectory("stream")
        let strap = BlueZStrap(path: "/org/bluez/hci0/dev_C0_FF_EE_00_00_19", address: address, name: nil,
                              machine: StrapLinkMachine(timing: StrapLinkTiming(), seed: 1, now: 0),
                              channel: StrapChannel(address: address, pipeline: StrapPipeline(device: address, profile: .init(), sinks: []),
                                                    rawLog: DailyRawLog(address: address, directory: dir, report: StorageReport(logger: EventLogger()))))
        strap.fd = fd
        return strap
    }

    /// The link drops while the reader drains its queue: the 0 bytes after the last datagram are
    /// the end of the stream, not an empty notification (the poll result from before the drain
    /// shows no hang-up).
    @Test func aLinkLostWhileDrainingIsNoPhantomNotification() throws {
        for queued in [0, 1, 3] {
            var pair: [Int32] = [0, 0]
            try #require(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &pair) == 0)
            for k in 0..<queued { _ = [UInt8(0x00), UInt8(60 + k)].withUnsafeBytes { send(pair[1], $0.baseAddress, 2, 0) } }
            close(pair[1])
            let strap = try Self.strap(fd: pair[0])
            var delivered: [[UInt8]] = []
            let ended = strap.readStream(revents: 0) { delivered.append($0) }
            #expect(delivered.count == queued, "\(queued) queued: \(delivered)")
            #expect(ended == "notification stream ended (EOF)")
            close(pair[0])
        }
    }

    /// A strap that really sends a 0-byte notification, and stays connected: delivered as one.
    @Test func anEmptyDatagramFromALiveLinkIsANotification() throws {
        var pair: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        _ = send(pair[1], nil, 0, 0)
        let strap = try Self.strap(fd: pair[0])
        var delivered: [[UInt8]] = []
        #expect(strap.readStream(revents: 0) { delivered.append($0) } == nil)
        #expect(delivered == [[]])
    }
}
