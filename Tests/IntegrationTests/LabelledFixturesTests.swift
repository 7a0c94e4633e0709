import Foundation
import Testing
import TestSupport

/// The labelled real recordings we ship (`Tests/Fixtures/labels.csv`: rides, runs, intervals and
/// strength sessions from people and devices no tuning saw) go through the real `ingestctl
/// analyze`, and each comes out as its label, judged as `eval_classifier.py` judges: the class
/// covering most of the file's time, segments preferred over whole sessions. A recording whose
/// notes say `known miss: <class>` is one we get wrong and say so (README, classifier figures):
/// it must come out as exactly that miss, so a change that fixes or moves it shows here and its
/// row is updated with it.
@Suite struct LabelledFixturesTests {
    struct Row {
        var path: String
        var label: String
        /// The class a known miss comes out as, from `known miss: <class>` in its notes.
        var knownMiss: String?
    }

    static func rows() throws -> [Row] {
        let text = String(decoding: try FileBytes.read(TestPaths.fixture("labels.csv")), as: UTF8.self)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
            let rest = f.count > 3 ? String(f[3]) : ""
            let miss = rest.range(of: "known miss: ").map { rest[$0.upperBound...].prefix { $0.isLetter } }
            return Row(path: String(f[0]), label: String(f[2]).lowercased(), knownMiss: miss.map(String.init))
        }
    }

    /// Seconds per class over the sessions' segments of one `analyze --json` output.
    static func classTime(_ output: String) throws -> [String: Double] {
        let iso = ISO8601DateFormatter()
        var time: [String: Double] = [:]
        for line in output.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let session = object, session["kind"] as? String == "session" else { continue }
            for segment in session["segments"] as? [[String: Any]] ?? [] {
                guard let start = (segment["start"] as? String).flatMap(iso.date(from:)),
                      let end = (segment["end"] as? String).flatMap(iso.date(from:)),
                      let label = segment["class"] as? String else { continue }
                time[label, default: 0] += end.timeIntervalSince(start)
            }
        }
        return time
    }

    @Test func everyLabelledRecordingComesOutAsItsLabel() throws {
        let rows = try Self.rows()
        #expect(rows.count >= 22)
        #expect(rows.filter { $0.knownMiss == nil }.count >= 19)
        for row in rows {
            let run = try Executable.runTool(Executable.path("ingestctl"), ["analyze", "--json", TestPaths.fixture(row.path)])
            #expect(run.status == 0, "\(row.path): \(run.stderr)")
            let time = try Self.classTime(run.stdout)
            let dominant = time.max { $0.value < $1.value }?.key ?? "none"
            if let miss = row.knownMiss {
                #expect(dominant == miss, "\(row.path), a known miss as \(miss), came out \(dominant): \(time)")
            } else {
                #expect(dominant == row.label, "\(row.path) is \(row.label), came out \(dominant): \(time)")
            }
        }
    }
}
