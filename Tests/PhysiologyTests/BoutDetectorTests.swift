@testable import Physiology
import Testing

/// The bout detector's hysteresis, and the two ways a bout's rise is timed: from its trough
/// (`workSeconds`) and from the onset of its climb (`climbSeconds`).
@Suite struct BoutDetectorTests {
    /// Feeds `hr(t)` at 1 Hz for `seconds` (reserve 130 bpm, rise 0.15, fall 0.07 HRR, as the
    /// engine's constants) and returns the bouts that ended.
    static func bouts(seconds: Int, _ hr: (Double) -> Double) -> [BoutDetector.Bout] {
        var detector = BoutDetector()
        var found: [BoutDetector.Bout] = []
        for t in 0..<seconds {
            if let b = detector.add(hr: hr(Double(t)), at: Double(t), reserve: 130, rise: 0.15, fall: 0.07) { found.append(b) }
        }
        return found
    }

    @Test func aQuickRiseIsTimedTheSameFromItsTroughAndFromItsOnset() throws {
        // HR falls to 120 within a minute, climbs straight to 170 in the next, holds 3 minutes,
        // then drops back to 120.
        let found = Self.bouts(seconds: 720) { t in
            t < 60 ? 150 - 30 * t / 60 : t < 120 ? 120 + 50 * (t - 60) / 60 : t < 300 ? 170 : 120
        }
        try #require(found.count == 1)
        #expect(found[0].peak == 170 && found[0].trough == 120)
        #expect(abs(found[0].workSeconds - 60) <= 1)
        #expect(found[0].climbSeconds <= found[0].workSeconds && found[0].climbSeconds >= 45)
    }

    @Test func aJoggedRecoveryIsNotPartOfTheNextIntervalsClimb() throws {
        // After an interval, HR falls to 140 and drifts up 9 bpm through a 10-min jog (less
        // than half the 19.5-bpm rise threshold above its trough), then the next interval climbs
        // to 185 within a minute and holds 4 minutes.
        let found = Self.bouts(seconds: 1800) { t in
            switch t {
            case ..<60: 180
            case ..<120: 180 - 40 * (t - 60) / 60
            case ..<720: 140 + 9 * (t - 120) / 600
            case ..<780: 149 + 36 * (t - 720) / 60
            case ..<1020: 185
            default: 140
            }
        }
        let interval = try #require(found.last)
        #expect(interval.peak == 185 && interval.trough <= 141)
        // From the trough the rise seems to last the whole jog and the climb; from its onset,
        // the climb alone.
        #expect(interval.workSeconds >= 650)
        #expect(interval.climbSeconds <= 70 && interval.climbSeconds >= 45)
        #expect(interval.onset > interval.start + 590)
    }
}
