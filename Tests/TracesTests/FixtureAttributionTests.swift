import Foundation
import Testing
import TestSupport

/// Every real recording the readers are tested on is attributed: `Tests/Fixtures/ATTRIBUTION.md`
/// lists its sha256, and the file still has it (a new or edited fixture without its line fails).
@Suite struct FixtureAttributionTests {
    /// `sha256  path` lines of the attribution's sha256 block.
    static func listed() throws -> [String: String] {
        let text = String(decoding: try FileBytes.read(TestPaths.fixture("ATTRIBUTION.md")), as: UTF8.self)
        guard let block = text.components(separatedBy: "## sha256").last else { return [:] }
        var out: [String: String] = [:]
        for line in block.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].count == 64 { out[String(parts[1])] = String(parts[0]) }
        }
        return out
    }

    @Test func everyRecordingAndLicenceIsListedWithItsHash() throws {
        let listed = try Self.listed()
        let ours = ["ATTRIBUTION.md", "fit-expected-counts.json", "labels.csv"]
        let files = FileBytes.files(under: TestPaths.fixtures, suffix: "")
            .filter { var isDirectory: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
            .map { String($0.dropFirst(TestPaths.fixtures.count + 1)) }
            .filter { !ours.contains($0) && !$0.hasPrefix("synthetic/") && !$0.hasPrefix("golden/") }
        #expect(files.count >= 40)
        let r = try Executable.runTool("/usr/bin/env", ["sha256sum"] + files.map { TestPaths.fixture($0) })
        try #require(r.status == 0, "\(r.stderr)")
        for line in r.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            let relative = String(parts[1].dropFirst(TestPaths.fixtures.count + 1))
            #expect(listed[relative] == parts[0], "\(relative): sha256 \(parts[0]) is not the one in ATTRIBUTION.md")
        }
        #expect(Set(listed.keys) == Set(files), "ATTRIBUTION.md lists files that are not here")
    }
}
