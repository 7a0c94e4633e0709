import Charts
import Foundation
import Ingest
import Testing
import TestSupport

/// The board page: a tile per strap in its zone's colour with what a coach reads from across
/// the room, well-formed, escaped, and a message instead of tiles when ingestd does not answer.
@Suite struct BoardPageTests {
    static func device(_ address: String, hr: Int?, maximum: Int? = 190) -> StatusSnapshot.Device {
        var d = StatusSnapshot.Device(address: address, samples: 10, badNotifications: 0, heartRate: hr, traceTime: nil,
                                      sessionId: nil, sessionClass: nil)
        d.maximumHeartRate = maximum
        return d
    }

    @Test func zonesFollowPercentOfHRmax() {
        #expect(BoardPage.zone(percent: 49.9).number == 0)
        #expect(BoardPage.zone(percent: 50).number == 1)
        #expect(BoardPage.zone(percent: 69.9).number == 2)
        #expect(BoardPage.zone(percent: 70).number == 3)
        #expect(BoardPage.zone(percent: 85).number == 4)
        #expect(BoardPage.zone(percent: 90).number == 5)
        #expect(BoardPage.zone(percent: 140).number == 5)
        let colours = (0...5).map { BoardPage.zone(percent: Double($0 * 10 + 45)).background }
        #expect(Set(colours).count == 6, "each zone its own colour")
    }

    @Test func aTileSaysWhoHowHardWhatAndWarns() throws {
        var d = Self.device("A0:9E:1A:00:00:01", hr: 152)
        d.athleteName = "Anna <coach's pick>"
        d.sessionId = "20261203T100000Z-A09E1A000001"
        d.sessionClass = "hiit"
        d.confidence = 0.81
        d.sessionSeconds = 754
        d.trimp = 23.6
        d.battery = 9
        d.contact = "not detected"
        d.link = "retrying"
        let tile = BoardPage.tile(d)
        try SessionChartTests.expectValidXML(tile)
        #expect(tile.contains("Anna &lt;coach&apos;s pick&gt;"))
        #expect(tile.contains("data-hr=\"152\"") && tile.contains(">152<"))
        #expect(tile.contains("80 % HRmax · zone 4"), "152 / 190 = 80 %")
        #expect(tile.contains("background:\(BoardPage.zone(percent: 80).background)"))
        #expect(tile.contains("hiit") && tile.contains("81 %"))
        #expect(tile.contains("12 min · TRIMP 24"))
        #expect(tile.contains("battery 9 %") && tile.contains("no skin contact") && tile.contains("retrying"))
        let quiet = BoardPage.tile(Self.device("A0:9E:1A:00:00:02", hr: nil))
        #expect(quiet.contains(">--<") && quiet.contains("no heart rate") && quiet.contains("no session"))
        #expect(!quiet.contains("warning"))
        #expect(quiet.contains("A0:9E:1A:00:00:02"), "no athlete or name: the address")
    }

    @Test func sixteenStrapsFillAFourByFourGrid() throws {
        #expect(BoardPage.columns(for: 1) == 1 && BoardPage.columns(for: 3) == 2 && BoardPage.columns(for: 16) == 4
                && BoardPage.columns(for: 17) == 5)
        let devices = (0..<16).map { Self.device(String(format: "00:00:00:00:00:%02X", $0), hr: 60 + $0 * 8) }
        let html = BoardPage.tiles(.devices(devices))
        try SessionChartTests.expectValidXML(html)
        #expect(html.components(separatedBy: "<article class=\"tile\"").count - 1 == 16)
        #expect(html.contains("--cols:4;--rows:4"))
    }

    @Test func noDaemonSaysSoAndThePageRefreshesWithoutScript() throws {
        let html = BoardPage.document(.unavailable("ingestd is not running (nothing listens on /run/ingestd/control)"))
        #expect(html.contains("<h1>ingestd not running</h1>") && html.contains("/run/ingestd/control"))
        #expect(html.contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"))
        #expect(html.contains("new EventSource('events'+location.search)"))
        #expect(!html.contains("http://") && !html.contains("https://"), "nothing fetched from elsewhere")
        #expect(BoardPage.tiles(.devices([])).contains("No straps yet"))
    }
}
