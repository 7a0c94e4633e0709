import Foundation
import Testing
import TestSupport

/// `ingestctl plot` through the real binaries: a recording's sessions and a stored session as
/// valid SVG and self-contained HTML; an unknown ID or a file without a session is said, exit 1.
@Suite struct PlotCommandTests {
    @Test func plotsARecordingAndAStoredSessionAndSaysWhatItCannot() throws {
        let dir = try FileBytes.temporaryDirectory("plot")
        let file = TestPaths.fixture("synthetic/run-then-lift.csv")
        let fromFile = try Executable.run("ingestctl", ["plot", file, "-o", dir + "/run.svg"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let svg = String(decoding: try FileBytes.read(dir + "/run.svg"), as: UTF8.self)
        #expect(svg.contains("class=\"heart-rate\"") && svg.components(separatedBy: "class=\"segment\"").count - 1 == 2,
                "run then lift: two segments")
        #expect(try Executable.runTool("/usr/bin/xmllint", ["--noout", dir + "/run.svg"]).status == 0)

        let state = dir + "/state"
        #expect(try Executable.run("ingestd", ["--replay", TestPaths.fixture("fit-analyzer-jarkko/20474406937_ACTIVITY.fit"),
                                               "--speed", "max", "--state-directory", state]).status == 0)
        let id = "20250923T101024Z-F217CFD20611"
        let stored = try Executable.run("ingestctl", ["plot", id, "--state-directory", state, "-o", dir + "/s.html", "--width", "800"])
        #expect(stored.status == 0, "\(stored.stderr)")
        let html = String(decoding: try FileBytes.read(dir + "/s.html"), as: UTF8.self)
        // Every bout the classifier counted is marked, as many as the session's features say.
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(try FileBytes.read(state + "/sessions/" + id + ".json"))) as? [String: Any])
        let bouts = try #require(summary["bouts"] as? [[String: Any]])
        let counted = (summary["features"] as? [String: Any])?["bouts"] as? Double ?? -1
        #expect(bouts.count > 3 && Double(bouts.count) == counted, "\(bouts.count) bouts listed, \(counted) counted")
        #expect(bouts.allSatisfy { ($0["start"] as? Double ?? 0) < ($0["peak_time"] as? Double ?? 0) && ($0["peak_time"] as? Double ?? 0) <= ($0["end"] as? Double ?? 0) })
        #expect(html.components(separatedBy: "class=\"bout\"").count - 1 == bouts.count, "one marker per bout")
        #expect(html.hasPrefix("<!doctype html>") && html.contains("<svg") && html.contains(id) && html.contains("resistance"))
        #expect(!html.contains("<script") && !html.contains("http://") || html.contains("http://www.w3.org/2000/svg"),
                "self-contained: no script, nothing fetched")

        let unknown = try Executable.run("ingestctl", ["plot", "20250101T000000Z-A09E1A000001", "--state-directory", state])
        #expect(unknown.status == 1 && unknown.stderr.contains("no session 20250101T000000Z-A09E1A000001"))
        let none = try Executable.run("ingestctl", ["plot", TestPaths.fixture("synthetic/rest-day-with-stairs.csv"), "-o", dir + "/x.svg"])
        #expect(none.status == 1 && none.stderr.contains("no session found"))
        let week = try Executable.run("ingestctl", ["plot", "--week", "--state-directory", state, "-o", dir + "/week.svg"])
        #expect(week.status == 0, "\(week.stderr)")
        let weekSVG = String(decoding: try FileBytes.read(dir + "/week.svg"), as: UTF8.self)
        #expect(weekSVG.components(separatedBy: "class=\"load\"").count - 1 == 1 && weekSVG.contains("strength days 1 of 2"))
        let nobody = try Executable.run("ingestctl", ["plot", "--week", "--state-directory", dir + "/empty", "-o", dir + "/w2.svg"])
        #expect(nobody.status == 1 && nobody.stderr.contains("nothing to plot"))
        let both = try Executable.run("ingestctl", ["plot", file, "--week"])
        #expect(both.status == 2)
        let bad = try Executable.run("ingestctl", ["plot", file, "-o", dir + "/x.png"])
        #expect(bad.status == 2 && bad.stderr.contains(".svg or .html"))
    }
}
