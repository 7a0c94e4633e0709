import Ingest
import Testing

/// The reconnect wait both live backends use.
@Suite struct ReconnectBackoffTests {
    @Test func doublesUpToTheCapWithinTheJitterAndResets() {
        var b = ReconnectBackoff(maximum: 60, seed: 42)
        for i in 0..<12 {
            let base = min(60, Double(1 << i))
            let wait = b.nextDelay()
            #expect(wait >= base * 0.8 && wait <= base * 1.2, "failure \(i + 1): \(wait) s")
        }
        #expect(b.failures == 12)
        b.reset()
        #expect(b.failures == 0)
        let first = b.nextDelay()
        #expect(first >= 0.8 && first <= 1.2)
    }

    @Test func differentSeedsDoNotRetryInStep() {
        var a = ReconnectBackoff(maximum: 60, seed: 1), b = ReconnectBackoff(maximum: 60, seed: 2)
        #expect((0..<5).map { _ in a.nextDelay() } != (0..<5).map { _ in b.nextDelay() })
    }
}
