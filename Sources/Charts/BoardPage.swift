import Ingest

/// The live board's page: one tile per strap (athlete, big heart rate, % HRmax in its zone's
/// colour, the live class and its confidence, session minutes, TRIMP so far, battery, contact
/// and link warnings), laid out to fill a 1080p screen with up to 16 straps and more.
///
/// Pure text: the board server renders `tiles` for each Server-Sent Event and `document` for a
/// page load, so the page looks the same with JavaScript off (a meta refresh reloads it).
public enum BoardPage {
    /// What the board knows: the daemon's devices, or why it has none.
    public enum View: Equatable, Sendable {
        case devices([StatusSnapshot.Device])
        /// The daemon does not answer (not running, hung): the message says so.
        case unavailable(String)
    }

    /// A zone of % HRmax, its colour and the text colour on it (a display convention, the
    /// five-zone scale of Polar and ACSM's % HRmax bands: 50–60–70–80–90 %).
    public struct Zone: Equatable, Sendable {
        public var number: Int
        public var background: String
        public var foreground: String
    }

    /// The zone of `percent` % HRmax: 0 below 50 %, then 1 to 5 in steps of 10 %.
    public static func zone(percent: Double) -> Zone {
        switch percent {
        case ..<50: Zone(number: 0, background: "#37474f", foreground: "#ffffff")
        case ..<60: Zone(number: 1, background: "#9e9e9e", foreground: "#000000")
        case ..<70: Zone(number: 2, background: "#1e88e5", foreground: "#ffffff")
        case ..<80: Zone(number: 3, background: "#43a047", foreground: "#ffffff")
        case ..<90: Zone(number: 4, background: "#fb8c00", foreground: "#000000")
        default: Zone(number: 5, background: "#e53935", foreground: "#ffffff")
        }
    }

    /// A tile's background when the strap sends no heart rate.
    public static let idleBackground = "#263238"

    /// Battery percentage at or under which a tile warns.
    public static let lowBattery = 15

    /// Columns for `count` tiles: the smallest square grid that holds them, wider than tall.
    public static func columns(for count: Int) -> Int {
        var c = 1
        while c * c < count { c += 1 }
        return c
    }

    /// The `<main>` element's inner HTML for `view` (what each event replaces).
    public static func tiles(_ view: View) -> String {
        switch view {
        case .unavailable(let message):
            return "<section class=\"unavailable\" role=\"status\"><h1>ingestd not running</h1><p>"
                + SVGDocument.escape(message) + "</p><p>The board asks again twice a second.</p></section>"
        case .devices(let devices) where devices.isEmpty:
            return "<section class=\"unavailable\" role=\"status\"><h1>No straps yet</h1>"
                + "<p>ingestd runs and sees no strap: put one on and moisten its electrodes.</p></section>"
        case .devices(let devices):
            let columns = columns(for: devices.count)
            let rows = (devices.count + columns - 1) / columns
            return "<div class=\"grid\" style=\"--cols:\(columns);--rows:\(rows)\">"
                + devices.map(tile).joined() + "</div>"
        }
    }

    /// One strap's tile.
    public static func tile(_ d: StatusSnapshot.Device) -> String {
        let name = d.athleteName ?? d.name ?? d.address
        var background = idleBackground
        var foreground = "#ffffff"
        var zoneNumber = -1
        var percentText = "no heart rate"
        if let hr = d.heartRate, let maximum = d.maximumHeartRate, maximum > 0 {
            let percent = 100 * Double(hr) / Double(maximum)
            let z = zone(percent: percent)
            (background, foreground, zoneNumber) = (z.background, z.foreground, z.number)
            percentText = "\(Int(percent.rounded())) % HRmax · zone \(z.number)"
        } else if d.heartRate != nil {
            percentText = "HRmax unknown"
        }
        var lines: [String] = []
        if let c = d.sessionClass {
            lines.append("<p class=\"class\">" + SVGDocument.escape(c == "unclassified" ? "classifying…" : c)
                         + (d.confidence.map { " <span class=\"confidence\">\(Int(($0 * 100).rounded())) %</span>" } ?? "") + "</p>")
            let minutes = Int(((d.sessionSeconds ?? 0) / 60).rounded(.down))
            lines.append("<p class=\"session\">\(minutes) min · TRIMP \(SVGDocument.number(d.trimp ?? 0, places: 0))</p>")
        } else {
            lines.append("<p class=\"class\">no session</p>")
        }
        var warnings: [String] = []
        if let b = d.battery, b <= lowBattery { warnings.append("battery \(b) %") }
        if d.contact == "not detected" { warnings.append("no skin contact") }
        if let link = d.link, link != "streaming" { warnings.append(link) }
        if !warnings.isEmpty {
            lines.append("<p class=\"warning\">" + SVGDocument.escape(warnings.joined(separator: " · ")) + "</p>")
        }
        let hrText = d.heartRate.map(String.init) ?? "--"
        return "<article class=\"tile\" data-address=\"\(SVGDocument.escape(d.address))\" data-hr=\"\(d.heartRate.map(String.init) ?? "")\""
            + " data-zone=\"\(zoneNumber)\" style=\"background:\(background);color:\(foreground)\">"
            + "<h2>" + SVGDocument.escape(name) + "</h2>"
            + (d.athleteName == nil ? "" : "<p class=\"strap\">" + SVGDocument.escape(d.name ?? d.address) + "</p>")
            + "<p class=\"hr\"><span class=\"bpm\">\(hrText)</span><small>bpm</small></p>"
            + "<p class=\"percent\">" + SVGDocument.escape(percentText) + "</p>"
            + lines.joined() + "</article>"
    }

    /// The whole page: `tiles` inside, an EventSource on `events` (relative, with the page's own
    /// query so a token travels along) replacing them, and a meta refresh for browsers without
    /// JavaScript.
    public static func document(_ view: View, title: String = "WearableIngest board", refreshSeconds: Int = 2) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(SVGDocument.escape(title))</title>
        <noscript><meta http-equiv="refresh" content="\(refreshSeconds)"></noscript>
        <style>\(style)</style>
        </head><body data-updated="0">
        <main id="tiles">\(tiles(view))</main>
        <script>\(script)</script>
        </body></html>

        """
    }

    static let style = """
        html,body{margin:0;height:100%;background:#101418;color:#fff;font-family:"DejaVu Sans",sans-serif}
        main{height:100vh;box-sizing:border-box;padding:1vh}
        .grid{display:grid;height:100%;gap:1vh;grid-template-columns:repeat(var(--cols),1fr);grid-template-rows:repeat(var(--rows),1fr)}
        .tile{border-radius:1.2vh;padding:1vh 1.5vh;overflow:hidden;display:flex;flex-direction:column;justify-content:space-between}
        .tile h2{margin:0;font-size:calc(7vh / var(--rows));white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
        .tile p{margin:0;font-size:calc(5.5vh / var(--rows));white-space:nowrap}
        .tile .hr{font-size:calc(30vh / var(--rows));font-weight:bold;line-height:1}
        .tile .hr small{font-size:.25em;font-weight:normal;margin-left:.3em}
        .tile .strap{font-size:calc(3.5vh / var(--rows));opacity:.8}
        .tile .warning{background:#000;color:#ffeb3b;border-radius:.5vh;padding:0 .5vh;font-weight:bold}
        .unavailable{display:flex;flex-direction:column;align-items:center;justify-content:center;height:100%;font-size:4vh;text-align:center}
        .unavailable h1{font-size:9vh;margin:0;color:#ffb74d}
        """

    static let script = """
        (function(){if(!window.EventSource)return;var m=document.getElementById('tiles');
        var s=new EventSource('events'+location.search);
        s.onmessage=function(e){var f=JSON.parse(e.data);m.innerHTML=f.html;document.body.setAttribute('data-updated',String(f.sequence));};})();
        """
}
