/// A small SVG writer: shapes and text appended in order, every attribute value and text
/// escaped, numbers with at most one decimal. No I/O: `text` is the document.
public struct SVGDocument {
    public let width: Double
    public let height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The whole document.
    public var text: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
            + "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"sans-serif\">\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double = 1,
                              role: String? = nil, title: String? = nil) {
        var element = "<rect" + Self.attributes([("class", role), ("x", Self.number(x)), ("y", Self.number(y)),
                                                 ("width", Self.number(max(0, width))), ("height", Self.number(max(0, height))),
                                                 ("fill", fill), ("fill-opacity", opacity < 1 ? Self.number(opacity, places: 2) : nil)])
        if let title {
            element += "><title>\(Self.escape(title))</title></rect>"
        } else {
            element += "/>"
        }
        body.append(element)
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, role: String? = nil) {
        body.append("<line" + Self.attributes([("class", role), ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)),
                                               ("y2", Self.number(y2)), ("stroke", stroke), ("stroke-width", Self.number(width))]) + "/>")
    }

    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5, role: String? = nil) {
        let list = points.map { Self.number($0.x) + "," + Self.number($0.y) }.joined(separator: " ")
        body.append("<polyline" + Self.attributes([("class", role), ("points", list), ("fill", "none"), ("stroke", stroke),
                                                   ("stroke-width", Self.number(width)), ("stroke-linejoin", "round")]) + "/>")
    }

    public mutating func text(_ string: String, x: Double, y: Double, size: Double = 12, anchor: String = "start",
                              fill: String = "#222", weight: String? = nil, role: String? = nil) {
        body.append("<text" + Self.attributes([("class", role), ("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)),
                                               ("text-anchor", anchor), ("fill", fill), ("font-weight", weight)])
                    + ">" + Self.escape(string) + "</text>")
    }

    /// `&`, `<`, `>`, `"` and `'` as entities; control characters other than tab and newline dropped.
    public static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `v` with at most `places` decimals and no trailing zeros; 0 when not finite.
    public static func number(_ v: Double, places: Int = 1) -> String {
        guard v.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let r = (v * scale).rounded() / scale
        if r == r.rounded() && abs(r) < 1e15 { return String(Int64(r)) }
        return String(r)
    }

    private static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(escape($0))\"" } }.joined()
    }
}
