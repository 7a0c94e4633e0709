import Testing
@testable import Physiology

/// Beat quality over a 2-min window: rejected beats, and beats that repeat the one before.
@Suite struct ArtifactWindowTests {
    @Test func repeatsAreReadingsEqualWithinHalfAMillisecond() {
        #expect(!ArtifactWindow.repeats(400, previous: nil))
        #expect(ArtifactWindow.repeats(400, previous: 400))
        #expect(ArtifactWindow.repeats(400.4, previous: 400))
        // One step of a strap's 1/1024-s resolution is a different beat.
        #expect(!ArtifactWindow.repeats(400 + 1000.0 / 1024, previous: 400))
    }

    @Test func repeatedBeatsAreCountedAndForgottenWithTheWindow() {
        var w = ArtifactWindow()
        for i in 0..<100 { w.record(rejected: false, repeated: i % 4 != 0, at: Double(i)) }
        #expect(w.repeatedPercent == 75)
        #expect(w.percent == 0)
        #expect(!w.isClean(maximumArtifactPercent: 5, maximumRepeatedPercent: 50))
        for i in 100..<400 { w.record(rejected: false, at: Double(i)) }
        #expect(w.repeatedPercent == 0)
        #expect(w.isClean(maximumArtifactPercent: 5, maximumRepeatedPercent: 50))
        w.record(rejected: true, at: 400)
        w.reset()
        #expect(w.count == 0 && w.percent == 0 && w.repeatedPercent == 0)
    }

    @Test func aFullRingForgetsTheRepeatsItDrops() {
        var w = ArtifactWindow(seconds: 1e9, capacity: 10)
        for i in 0..<10 { w.record(rejected: false, repeated: true, at: Double(i)) }
        #expect(w.repeatedPercent == 100)
        for i in 10..<20 { w.record(rejected: false, repeated: false, at: Double(i)) }
        #expect(w.repeatedPercent == 0 && w.count == 10)
    }
}
