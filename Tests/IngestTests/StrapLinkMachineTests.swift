import Ingest
import Testing

/// The per-strap link machine on its own: every path the daemon relies on, with the time given.
struct StrapLinkMachineTests {
    var timing: StrapLinkTiming {
        var t = StrapLinkTiming()
        t.acquireTimeout = 5
        t.silenceTimeout = 15
        t.firstBackoff = 1
        t.maximumBackoff = 60
        return t
    }

    /// A machine that has reached streaming over AcquireNotify at `now`.
    func streaming(at now: Double = 0) -> StrapLinkMachine {
        var m = StrapLinkMachine(timing: timing, seed: 1, now: now)
        _ = m.handle(.connectSucceeded, now: now)
        _ = m.handle(.servicesResolved(hasMeasurement: true), now: now)
        _ = m.handle(.acquireSucceeded, now: now)
        return m
    }

    @Test func theHappyPathEndsStreamingOverAcquireNotify() {
        var m = StrapLinkMachine(timing: timing, seed: 1, now: 0)
        #expect(m.initialActions == [.connect])
        #expect(m.handle(.connectSucceeded, now: 1).transition?.to == .resolving)
        let resolved = m.handle(.servicesResolved(hasMeasurement: true), now: 2)
        #expect(resolved.actions == [.readDetails, .acquireNotify])
        let acquired = m.handle(.acquireSucceeded, now: 3)
        #expect(acquired.transition?.description == "acquiring → streaming: AcquireNotify gave a socket")
        #expect(m.state == .streaming(.acquired))
        #expect(m.handle(.notification, now: 4).transition == nil)
    }

    @Test func aFailedOrSilentAcquireNotifyFallsBackToStartNotify() {
        var failed = StrapLinkMachine(timing: timing, seed: 1, now: 0)
        _ = failed.handle(.connectSucceeded, now: 0)
        _ = failed.handle(.servicesResolved(hasMeasurement: true), now: 0)
        #expect(failed.handle(.acquireFailed("org.bluez.Error.NotPermitted"), now: 1).actions == [.startNotify])
        _ = failed.handle(.startNotifySucceeded, now: 2)
        #expect(failed.state == .streaming(.notifying))

        var silent = StrapLinkMachine(timing: timing, seed: 1, now: 0)
        _ = silent.handle(.connectSucceeded, now: 0)
        _ = silent.handle(.servicesResolved(hasMeasurement: true), now: 0)
        #expect(silent.handle(.tick, now: 4.9).actions.isEmpty, "not before the timeout")
        let timedOut = silent.handle(.tick, now: 5.1)
        #expect(timedOut.actions == [.startNotify])
        #expect(timedOut.transition?.reason.contains("did not answer in 5 s") == true)
        // A late AcquireNotify reply after the fallback changes nothing.
        #expect(silent.handle(.acquireSucceeded, now: 6).transition == nil)
    }

    @Test func silenceWhileStreamingReconnects() {
        var m = streaming()
        _ = m.handle(.notification, now: 10)
        #expect(m.handle(.tick, now: 24).actions.isEmpty, "15 s after the last notification, not the first")
        let r = m.handle(.tick, now: 25.5)
        #expect(r.actions == [.closeStream, .disconnect])
        #expect(r.transition?.reason == "no notification for 15 s")
        #expect(m.state == .retrying)
    }

    @Test func backoffDoublesUpToTheCapWithBoundedJitter() {
        var m = StrapLinkMachine(timing: timing, seed: 42, now: 0)
        var now = 0.0
        var delays: [Double] = []
        for _ in 0..<10 {
            _ = m.handle(.connectFailed("org.bluez.Error.Failed: le-connection-abort-by-local"), now: now)
            let wait = m.deadline! - now
            delays.append(wait)
            #expect(m.handle(.tick, now: now + wait * 0.99).actions.isEmpty)
            now += wait
            #expect(m.handle(.tick, now: now).actions == [.connect])
        }
        for (i, d) in delays.enumerated() {
            let base = min(60, Double(1 << i))
            #expect(d >= base * 0.8 && d <= base * 1.2, "attempt \(i + 1): \(d) s")
        }
        #expect(m.failures == 10)
        // Notifications flowing again reset the count.
        _ = m.handle(.connectSucceeded, now: now)
        _ = m.handle(.servicesResolved(hasMeasurement: true), now: now)
        _ = m.handle(.acquireSucceeded, now: now)
        _ = m.handle(.notification, now: now + 1)
        #expect(m.failures == 0)
    }

    @Test func aStrapWithoutTheMeasurementIsUnsupportedAndStaysSo() {
        var m = StrapLinkMachine(timing: timing, seed: 1, now: 0)
        _ = m.handle(.connectSucceeded, now: 0)
        let r = m.handle(.servicesResolved(hasMeasurement: false), now: 1)
        #expect(r.actions == [.disconnect])
        #expect(m.state.name == "unsupported")
        #expect(m.handle(.tick, now: 1000).actions.isEmpty)
        #expect(m.handle(.disconnected, now: 1001).transition == nil)
    }

    @Test func bluetoothdLeavingParksEveryLinkUntilItIsBack() {
        var m = streaming()
        #expect(m.handle(.bluetoothdLost, now: 1).actions == [.closeStream])
        #expect(m.handle(.tick, now: 500).actions.isEmpty, "no retries against an absent bluetoothd")
        #expect(m.handle(.bluetoothdBack, now: 501).actions == [.connect])
        _ = m.handle(.connectSucceeded, now: 502)
        _ = m.handle(.servicesResolved(hasMeasurement: true), now: 502)
        _ = m.handle(.acquireSucceeded, now: 502)
        #expect(m.reconnects == 1)
    }

    @Test func aDisconnectOrStreamEndWhileStreamingRetries() {
        for event in [StrapLinkEvent.disconnected, .streamEnded("notification stream ended")] {
            var m = streaming()
            let r = m.handle(event, now: 3)
            #expect(m.state == .retrying)
            #expect(r.actions.first == .closeStream)
        }
    }

    /// After a long absence the backoff is near its cap; a strap seen again is tried at once
    /// (after 75 s away it used to wait up to another 56 s), yet never more than once per
    /// `retryWhenSeen` however often it advertises.
    @Test func aStrapSeenAgainIsRetriedAtOnce() {
        var m = streaming()
        var now = 0.0
        _ = m.handle(.disconnected, now: now)
        for _ in 0..<6 {  // connect fails for a while: the backoff grows
            now = m.deadline ?? now
            #expect(m.handle(.tick, now: now).actions == [.connect])
            _ = m.handle(.connectFailed("Connect: org.bluez.Error.Failed"), now: now)
        }
        let lastAttempt = now
        #expect((m.deadline ?? 0) - now > 20, "the backoff is long by now")
        _ = m.handle(.seen, now: now + 0.5)
        #expect(m.deadline == lastAttempt + timing.retryWhenSeen, "not sooner than retryWhenSeen after the last attempt")
        #expect(m.handle(.tick, now: now + 1).actions.isEmpty)
        #expect(m.handle(.tick, now: lastAttempt + timing.retryWhenSeen).actions == [.connect])
        #expect(m.state == .connecting)
        // Seen while streaming or connecting changes nothing.
        let before = m
        _ = m.handle(.seen, now: now + 3)
        #expect(m.deadline == before.deadline && m.state == before.state)
    }

    /// The direct backend's path through the same machine: the socket up asks for the
    /// discovery, each answer moves its deadline on, notifications enabled is streaming over
    /// ATT; a failed link retries, a strap without heart rate is unsupported.
    @Test func theDirectPathUsesTheSameStates() {
        var t = timing
        t.resolveTimeout = 2
        var m = StrapLinkMachine(timing: t, seed: 1, now: 0)
        let up = m.handle(.connectSucceeded, now: 1)
        #expect(up.actions == [.discover] && m.state == .resolving && m.deadline == 3)
        #expect(m.handle(.progress, now: 2.5).transition == nil && m.deadline == 4.5, "an answer moves the deadline on")
        #expect(m.handle(.tick, now: 4).transition == nil)
        let streaming = m.handle(.subscribed(.att, detail: "direct ATT, measurement handle 42, MTU 232"), now: 4.2)
        #expect(streaming.transition?.description == "resolving → streaming (att): direct ATT, measurement handle 42, MTU 232")
        #expect(m.state.label == "streaming" && m.deadline == 4.2 + t.silenceTimeout)
        let lost = m.handle(.linkFailed("link closed (recv: Connection reset by peer)"), now: 10)
        #expect(lost.transition?.to == .retrying && lost.actions == [.closeStream, .disconnect])
        #expect(m.handle(.tick, now: 10 + 60).actions == [.connect], "the backoff over, it connects again")
        _ = m.handle(.connectSucceeded, now: 71)
        _ = m.handle(.subscribed(.att, detail: "again"), now: 72)
        #expect(m.reconnects == 1)
        let refused = m.handle(.unsupported("no Heart Rate service (0x180D)"), now: 73)
        #expect(refused.transition?.to == .unsupported("no Heart Rate service (0x180D)") && refused.actions == [.closeStream, .disconnect])
        #expect(m.handle(.tick, now: 1e6).actions.isEmpty, "unsupported stays")
        // A discovery that hears nothing times out at its deadline.
        var silent = StrapLinkMachine(timing: t, seed: 1, now: 0)
        _ = silent.handle(.connectSucceeded, now: 0)
        #expect(silent.handle(.tick, now: 2).transition?.to == .retrying)
    }

    /// The metrics' link labels come from the machine's states, one per state.
    @Test func everyStateHasALabel() {
        let labels = StrapLinkState.representatives.map(\.label)
        #expect(Set(labels) == ["connecting", "resolving", "acquiring", "subscribing", "streaming", "retrying", "unsupported", "offline"])
    }
}
