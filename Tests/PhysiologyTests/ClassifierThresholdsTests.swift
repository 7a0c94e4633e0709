import Foundation
@testable import Physiology
import Testing
import TestSupport

/// The classifier's thresholds live in one struct, the scripts read the same values, and the
/// classifier really uses them.
@Suite struct ClassifierThresholdsTests {
    @Test func theCommittedJSONIsTheShippedThresholds() throws {
        let bytes = try FileBytes.read(TestPaths.packageRoot + "/Config/classifier_thresholds.json")
        let committed = try JSONDecoder().decode(ClassifierThresholds.self, from: Data(bytes))
        #expect(committed == .shipped, "regenerate with: ingestctl classifier-thresholds > Config/classifier_thresholds.json")
    }

    @Test func everyRampRisesAndTheScoresFollowThem() throws {
        let t = ClassifierThresholds.shipped
        let ramps = Mirror(reflecting: t).children.compactMap { $0.value as? ClassifierThresholds.Ramp }
        #expect(ramps.count == 59)
        #expect(ramps.allSatisfy { $0.lo < $0.hi })
        // A steady, well-above-rest session: endurance with the shipped values.
        let f = ClassFeatures(activeSeconds: 3600, meanReserveFraction: 0.55, oscillation: 0.04, vigorousFraction: 0.6, highFraction: 0.1,
                              sustainedPeak: 0.6, bouts: 0, boutsPerTenMinutes: 0, meanBoutAmplitude: 0, meanBoutPeak: 0, meanBoutTrough: 0,
                              highPeakBoutFraction: 0, meanWorkSeconds: 0, meanClimbSeconds: 0, meanRestSeconds: 0,
                              risingFraction: 0.5, periodVariation: 1, meanPeriodSeconds: 0)
        #expect(SessionClassifier.score(f).endurance > 0.9)
        // The same session under a training threshold it never reaches: no class at all.
        var strict = t
        strict.training = .init(0.8, 0.9)
        let none = SessionClassifier.score(f, thresholds: strict)
        #expect(none.endurance == 0 && none.hiit == 0 && none.resistance == 0)
    }
}
