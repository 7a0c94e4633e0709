import Glibc
import SystemdKit
import Testing

/// The re-armable alarm on a real sd-event loop.
@Suite struct EventAlarmTests {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Re-set sooner, it fires at the sooner time, once; cleared, it does not fire; set from
    /// its own handler, it fires again.
    @Test func firesOnceAtTheLatestSettingAndCanBeReArmedFromItsHandler() throws {
        let loop = try EventLoop()
        var fired: [Double] = []
        let start = Self.now()
        var alarm: EventAlarm!
        alarm = try loop.addAlarm {
            fired.append(Self.now() - start)
            #expect(!alarm.isSet, "a fired alarm is cleared until set again")
            if fired.count == 1 { alarm.set(after: 0.02) } else { loop.exit(code: 0) }
        }
        let cleared = try loop.addAlarm { Issue.record("a cleared alarm fired") }
        cleared.set(after: 0.01)
        cleared.set(at: nil)
        alarm.set(after: 5)
        alarm.set(after: 0.03)
        alarm.setIfSooner(start + 10)
        #expect(alarm.deadline! < start + 1, "setIfSooner keeps the sooner deadline")
        let guardTimer = try loop.addDeadline(after: 3) { loop.exit(code: 1) }
        #expect(try loop.run() == 0)
        _ = guardTimer
        #expect(fired.count == 2)
        #expect(fired[0] >= 0.03 && fired[0] < 1, "\(fired)")
        #expect(fired[1] >= 0.05, "\(fired)")
    }
}

/// A reply's descriptors nobody takes are closed, however deep they sit.
@Suite struct BusValueDescriptorTests {
    @Test func closeDescriptorsClosesNestedDescriptors() throws {
        var pair: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &pair) == 0)
        let value = BusValue.structure([.unixFD(pair[0]), .variant(.array(elementSignature: "h", [.unixFD(pair[1])]))])
        value.closeDescriptors()
        #expect(fcntl(pair[0], F_GETFD) == -1 && errno == EBADF)
        #expect(fcntl(pair[1], F_GETFD) == -1 && errno == EBADF)
    }
}
