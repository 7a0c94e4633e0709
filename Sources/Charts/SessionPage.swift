import Ingest

/// A session's self-contained HTML page: the chart, the summary text, and each stimulus index
/// with its value, interval, sentence, evidence grade, the published anchors it stands on, its
/// caveats and its heuristics. No script, no style sheet or font from elsewhere.
public enum SessionPage {
    /// The page of `record` around `svg`, with `summary` (the text `ingestctl session` prints).
    public static func document(_ record: SessionRecord, svg: String, summary: String) -> String {
        var html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + SVGDocument.escape(record.id)
            + "</title><style>" + style + "</style></head><body>\n" + svg
            + "<pre>" + SVGDocument.escape(summary) + "</pre>\n"
        html += "<h2>Stimulus indices</h2>\n<p class=\"note\">" + SVGDocument.escape(record.stimulusNote) + "</p>\n"
        for s in record.stimulus { html += index(s) }
        return html + "</body></html>\n"
    }

    /// One index as a section.
    public static func index(_ s: StimulusRecord) -> String {
        var out = "<section class=\"index\" id=\"" + SVGDocument.escape(s.index) + "\"><h3>" + SVGDocument.escape(s.index) + "</h3>\n"
        var figure = s.value.map { SVGDocument.number($0, places: 2) + " " + s.unit } ?? "no value"
        if let i = s.interval, i.count == 2 {
            figure += " (interval " + SVGDocument.number(i[0], places: 2) + "–" + SVGDocument.number(i[1], places: 2) + ")"
        }
        out += "<p><strong>" + SVGDocument.escape(figure) + "</strong> · evidence grade " + SVGDocument.escape(s.evidenceGrade) + "</p>\n"
        out += "<p>" + SVGDocument.escape(s.sentence) + "</p>\n"
        if !s.anchors.isEmpty {
            out += "<table><tr><th>anchor</th><th>measured</th><th>values</th></tr>\n"
            for a in s.anchors {
                out += "<tr><td>" + SVGDocument.escape(a.source) + "</td><td>" + SVGDocument.escape(a.measured) + "</td><td>"
                    + SVGDocument.escape(a.values) + "</td></tr>\n"
            }
            out += "</table>\n"
        }
        if !s.caveats.isEmpty {
            out += "<p>Caveats:</p><ul>" + s.caveats.map { "<li>" + SVGDocument.escape($0) + "</li>" }.joined() + "</ul>\n"
        }
        if !s.heuristics.isEmpty {
            out += "<p>Heuristics of this product (H):</p><ul>" + s.heuristics.map { "<li>" + SVGDocument.escape($0) + "</li>" }.joined() + "</ul>\n"
        }
        return out + "</section>\n"
    }

    static let style = "body{font-family:sans-serif;margin:24px;max-width:1300px}pre{white-space:pre-wrap}"
        + "table{border-collapse:collapse;margin:4px 0}td,th{border:1px solid #ccd;padding:2px 6px;text-align:left;font-size:13px}"
        + ".index{border-top:1px solid #dde;margin-top:10px}.note{color:#555}"
}
