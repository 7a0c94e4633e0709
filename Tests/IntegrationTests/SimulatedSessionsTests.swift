import Foundation
import Testing
import TestSupport

/// The physiological simulator's varied sessions (people, devices, protocols of every class) go
/// through the real `ingestctl analyze`: every file is read, and no non-exercise day is called
/// a workout. A stress test; the classifier's score comes from real recordings only.
@Suite struct SimulatedSessionsTests {
    @Test func everySimulatedSessionIsAnalyzedAndNoRestDayIsAWorkout() throws {
        let dir = try FileBytes.temporaryDirectory("simulated")
        let run = try Executable.runTool("/usr/bin/python3", [TestPaths.packageRoot + "/scripts/synthetic_sessions.py",
                                                              "--population", "15", "--seed", "21", "--out", dir,
                                                              "--analyze", Executable.path("ingestctl")], timeout: 600)
        #expect(run.status == 0, "\(run.stderr.suffix(1000))")
        #expect(run.stdout.contains("analyze failures: 0 of 60"), "\(run.stdout)")
        let lines = run.stdout.split(separator: "\n")
        let protocolTable = lines.firstIndex { $0.hasPrefix("truth / protocol") } ?? lines.endIndex
        let perDevice = lines[..<protocolTable].filter { $0.hasPrefix("none / ") }
        let perProtocol = lines[protocolTable...].filter { $0.hasPrefix("none / ") }
        #expect(protocolTable < lines.endIndex, "no per-protocol table:\n\(run.stdout)")
        #expect(perDevice.count == 3 && !perProtocol.isEmpty, "every device and some non-exercise protocol should be listed:\n\(run.stdout)")
        #expect((perDevice + perProtocol).allSatisfy { $0.hasSuffix("100%") }, "a rest, stress, stairs or ordinary day called a workout:\n\(run.stdout)")
        print(run.stdout)
    }
}
