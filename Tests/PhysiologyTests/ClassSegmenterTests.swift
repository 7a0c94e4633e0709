@testable import Physiology
import Testing

/// The live label's hysteresis: a class must win three checks in a row, and once one stands an
/// unsure check does not send the display back to "classifying…".
@Suite struct ClassSegmenterTests {
    @Test func aClassStandsAfterThreeChecksAndHoldsThroughUnsureOnes() {
        var s = ClassSegmenter()
        #expect(s.observe(.endurance) == nil && s.observe(.endurance) == nil)
        let first = s.observe(.endurance)
        #expect(first?.0 == .unclassified && first?.1 == .endurance)
        // Windows that fall below the threshold are no evidence for another class.
        for _ in 0..<10 { #expect(s.observe(.unclassified) == nil) }
        #expect(s.stable == .endurance)
    }

    @Test func anotherClassReplacesItOnlyAfterThreeChecksInARow() {
        var s = ClassSegmenter()
        for _ in 0..<3 { _ = s.observe(.endurance) }
        // Two HIIT checks, an unsure one, two more: never three in a row.
        for label in [SessionClass.hiit, .hiit, .unclassified, .hiit, .hiit] { #expect(s.observe(label) == nil) }
        let change = s.observe(.hiit)
        #expect(change?.0 == .endurance && change?.1 == .hiit && s.stable == .hiit)
    }
}
