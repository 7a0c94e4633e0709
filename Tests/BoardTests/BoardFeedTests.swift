import Board
import Foundation
import Testing
import TestSupport

/// The feed: each poll is a new frame; no daemon is a frame that says so, reported once.
@Suite struct BoardFeedTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    @Test func withoutADaemonEachPollSaysNotRunningAndTheChangeIsReportedOnce() throws {
        let dir = try FileBytes.temporaryDirectory("feed")
        let lines = Lines()
        let feed = BoardFeed(socketPath: dir + "/control") { lines.add($0) }
        #expect(!feed.latest.running)
        feed.poll()
        feed.poll()
        #expect(feed.latest.sequence == 2)
        #expect(!feed.latest.running && feed.latest.html.contains("ingestd not running"))
        #expect(feed.latest.html.contains(dir + "/control"))
        #expect(lines.all.count == 1 && lines.all[0].contains("ingestd not running"), "\(lines.all)")
    }
}
