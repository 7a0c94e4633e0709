import TOMLKit

/// A config file as flat `table.key = value` entries in file order, each with its line. TOMLKit
/// (toml++) parses the TOML; it reports positions for syntax errors but not per key, so the
/// lines of keys are found by `ConfigKeyLocator` over the same text.
struct ConfigDocument {
    /// A value the config can hold.
    enum Value: Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case strings([String])
        /// Any other TOML type, by name (always an error for our keys).
        case other(String)
    }

    struct Entry {
        var line: Int
        var qualifiedKey: String
        var value: Value
    }

    let entries: [Entry]

    /// Parses `text`; `path` names the file in errors.
    init(_ text: String, path: String) throws(ConfigError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(path: path, line: error.source.begin.line, key: "", reason: error.description)
        } catch {
            throw ConfigError(path: path, line: 0, key: "", reason: "\(error)")
        }
        let locator = ConfigKeyLocator(text)
        var entries: [Entry] = []
        for (name, value) in table {
            if let section = value.table {
                for (key, inner) in section {
                    let qualified = name + "." + key
                    entries.append(Entry(line: locator.line(of: qualified), qualifiedKey: qualified, value: Self.value(inner)))
                }
            } else {
                entries.append(Entry(line: locator.line(of: name), qualifiedKey: name, value: Self.value(value)))
            }
        }
        self.entries = entries.sorted { ($0.line, $0.qualifiedKey) < ($1.line, $1.qualifiedKey) }
    }

    private static func value(_ v: any TOMLValueConvertible) -> Value {
        if let s = v.string { return .string(s) }
        if let b = v.bool { return .bool(b) }
        if let i = v.int { return .number(Double(i)) }
        if let d = v.double { return d.isFinite ? .number(d) : .other("non-finite number") }
        if let a = v.array {
            var strings: [String] = []
            for element in a {
                guard let s = element.string else { return .other("array of \(element.type)") }
                strings.append(s)
            }
            return .strings(strings)
        }
        return .other("\(v.type)")
    }
}

/// Finds the line of `table.key` in TOML text: `[table]` headers and `key =` lines, comments
/// skipped. Enough for files TOMLKit has already accepted.
struct ConfigKeyLocator {
    private var lines: [String: Int] = [:]

    init(_ text: String) {
        var section = ""
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                section = line[line.index(after: line.startIndex)..<close].filter { $0 != " " && $0 != "\"" }
                if lines[section] == nil { lines[section] = number }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].filter { $0 != " " && $0 != "\t" && $0 != "\"" }
            let qualified = section.isEmpty ? key : section + "." + key
            if lines[qualified] == nil { lines[qualified] = number }
        }
    }

    /// The line of `qualifiedKey`, or 0 when it cannot be placed.
    func line(of qualifiedKey: String) -> Int { lines[qualifiedKey] ?? 0 }
}
