import Foundation
import Testing
import TestSupport

/// `scripts/classifier_loso.py` re-scores sessions from their features with the committed
/// thresholds; its scores must be the engine's, or the leave-one-source-out figure is of
/// another classifier.
@Suite struct ClassifierParityTests {
    @Test func thePythonMirrorScoresEverySessionAsTheEngineDoes() throws {
        // Real recordings of each kind, and the synthetic sessions of every class.
        let fixtures = ["fit-analyzer-jarkko/20474406937_ACTIVITY.fit", "fit-analyzer-jarkko/20744294788_ACTIVITY.fit",
                        "fitdecode-testfiles/Edge810-Vector-2013-08-16-15-35-10.fit", "fitdecode-testfiles/garmin-edge-820-bike.fit",
                        "fitdecode-testfiles/sample-activity-indoor-trainer.fit", "synthetic/4x4-intervals.csv",
                        "synthetic/circuit-training.csv", "synthetic/tabata.csv", "synthetic/tempo-run.csv",
                        "synthetic/heavy-compound-lifting.csv", "synthetic/run-then-lift.csv",
                        "synthetic/long-jog-intervals.csv", "synthetic/heavy-lifting-long-rests.csv",
                        "synthetic/light-strength-session.csv"]
        var lines: [String] = []
        for fixture in fixtures {
            let r = try Executable.run("ingestctl", ["analyze", TestPaths.fixture(fixture), "--json"])
            #expect(r.status == 0, "\(fixture): \(r.stderr)")
            lines += r.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.map(String.init)
        }
        try #require(lines.count >= 10)
        let dir = try FileBytes.temporaryDirectory("parity")
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: dir + "/sessions.jsonl"))
        let program = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import classifier_loso as c
            worst, leans, missed = 0.0, 0, 0
            for line in open(sys.argv[2]):
                s = json.loads(line)
                py = c.score(s["features"], c.SHIPPED)
                for k in c.CLASSES:
                    worst = max(worst, abs(py[k] - s["scores"][k]))
                # A session of one segment that leans took the whole session's lean.
                if s.get("decision_basis") == "lean" and len(s.get("segments") or [1]) == 1:
                    leans += 1
                    missed += not c.leans(py, s["features"], c.SHIPPED)
            print(worst, leans, missed)
            """
        let run = try Executable.runTool("/usr/bin/python3", ["-c", program, TestPaths.packageRoot + "/scripts", dir + "/sessions.jsonl"])
        try #require(run.status == 0, "\(run.stderr)")
        let figures = run.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try #require(figures.count == 3)
        let worst = try #require(Double(figures[0]))
        // Features are printed to 3 decimals; a ramp 0.03 wide turns that into at most ~0.02.
        #expect(worst < 0.03, "the Python mirror differs from the engine by up to \(worst)")
        // The light strength session leans to lifting, and the mirror's lean says so too.
        #expect(figures[1] != "0", "no session leaned")
        #expect(figures[2] == "0", "the Python mirror does not lean where the engine does (\(figures[2]) of \(figures[1]))")
    }
}
