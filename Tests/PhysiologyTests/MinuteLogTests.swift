@testable import Physiology
import Testing

/// The hindsight smoothing of per-minute labels is a majority that never depends on hash order.
@Suite struct MinuteLogTests {
    @Test func theMajorityWinsAndATieKeepsTheCurrentLabel() {
        let w: [SessionClass] = [.hiit, .hiit, .hiit, .endurance, .endurance]
        #expect(MinuteLog.majority(w[...], keeping: .endurance) == .hiit)
        let tie: [SessionClass] = [.hiit, .hiit, .endurance, .endurance, .resistance]
        #expect(MinuteLog.majority(tie[...], keeping: .endurance) == .endurance)
    }

    @Test func aTieBetweenTwoOtherLabelsGoesToTheFirstClassInOrder() {
        // Two endurance, two HIIT and the minute itself unclassified: was a Dictionary's hash
        // order (a Coros ride's segment boundary moved by a minute from one run to the next).
        let tie: [SessionClass] = [.hiit, .endurance, .unclassified, .hiit, .endurance]
        for _ in 0..<3 { #expect(MinuteLog.majority(tie[...], keeping: .unclassified) == .endurance) }
    }
}
