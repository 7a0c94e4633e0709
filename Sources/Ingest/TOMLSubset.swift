/// The part of TOML the config uses: `[section]` tables, `key = value` with strings, numbers and
/// booleans, and `#` comments. Anything else is an error naming the line.
enum TOMLSubset {
    enum Value: Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
    }

    struct Entry {
        var line: Int
        var qualifiedKey: String
        var value: Value
    }

    static func parse(_ text: String, path: String) throws(ConfigError) -> [Entry] {
        var section = ""
        var entries: [Entry] = []
        var seen: Set<String> = []
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = stripComment(raw).trimmingCharacters()
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw ConfigError(path: path, line: lineNumber, key: "", reason: "malformed table header `\(line)`")
                }
                section = String(line.dropFirst().dropLast()).trimmingCharacters()
                guard section.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw ConfigError(path: path, line: lineNumber, key: section, reason: "malformed table name")
                }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw ConfigError(path: path, line: lineNumber, key: "", reason: "expected `key = value`, found `\(line)`")
            }
            let key = String(line[..<eq]).trimmingCharacters()
            let valueText = String(line[line.index(after: eq)...]).trimmingCharacters()
            let qualified = section.isEmpty ? key : section + "." + key
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ConfigError(path: path, line: lineNumber, key: key, reason: "malformed key")
            }
            guard seen.insert(qualified).inserted else {
                throw ConfigError(path: path, line: lineNumber, key: qualified, reason: "key given twice")
            }
            let value: Value
            if valueText.hasPrefix("\"") {
                guard valueText.count >= 2, valueText.hasSuffix("\"") else {
                    throw ConfigError(path: path, line: lineNumber, key: qualified, reason: "unterminated string")
                }
                value = .string(String(valueText.dropFirst().dropLast()))
            } else if valueText == "true" || valueText == "false" {
                value = .bool(valueText == "true")
            } else if let v = Double(valueText.replacingUnderscores()), v.isFinite {
                value = .number(v)
            } else {
                throw ConfigError(path: path, line: lineNumber, key: qualified,
                                  reason: "`\(valueText)` is not a string, number or boolean")
            }
            entries.append(Entry(line: lineNumber, qualifiedKey: qualified, value: value))
        }
        return entries
    }

    private static func stripComment(_ line: Substring) -> Substring {
        var inString = false
        for i in line.indices {
            if line[i] == "\"" { inString.toggle() }
            if line[i] == "#" && !inString { return line[..<i] }
        }
        return line
    }
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    func replacingUnderscores() -> String { String(self.filter { $0 != "_" }) }
}
