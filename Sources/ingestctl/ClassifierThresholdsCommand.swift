import ArgumentParser
import Ingest
import Physiology

/// `ingestctl classifier-thresholds`: the classifier's thresholds as JSON, for the scripts that
/// re-score it (`scripts/classifier_loso.py` reads `Config/classifier_thresholds.json`, which is
/// this output, tested equal).
struct ClassifierThresholdsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier-thresholds",
        abstract: "Print the session classifier's thresholds (all heuristics, (H)) as JSON.",
        discussion: "Each is a soft ramp {lo, hi}: 0 at or below lo, 1 at or above hi; fractions of heart-rate reserve unless named otherwise."
    )

    func run() throws {
        print(JSONLines.pretty(ClassifierThresholds.shipped))
    }
}
