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
        // toml++ hands strings to TOMLKit as C strings: a NUL ("\u0000", or the byte itself)
        // would silently cut the value there. Refuse it, naming the line.
        if let (line, key) = locator.firstNUL {
            throw ConfigError(path: path, line: line, key: key,
                              reason: "a NUL character in a string is not allowed (it would cut the value short)")
        }
        var entries: [Entry] = []
        for (name, value) in table {
            if let section = value.table {
                for (key, inner) in section {
                    let qualified = name + "." + key
                    entries.append(Entry(line: locator.line(of: qualified), qualifiedKey: qualified, value: Self.value(inner)))
                }
            } else if let array = value.array, array.count > 0, array.allSatisfy({ $0.table != nil }) {
                // `[[name]]` entries: `name[0].key`, `name[1].key`, … in file order; an entry
                // with no keys still appears, as `name[i]` with no value.
                for (index, element) in array.enumerated() {
                    guard let section = element.table else { continue }
                    let prefix = "\(name)[\(index)]"
                    entries.append(Entry(line: locator.line(of: prefix), qualifiedKey: prefix, value: .other("table")))
                    for (key, inner) in section {
                        let qualified = prefix + "." + key
                        entries.append(Entry(line: locator.line(of: qualified), qualifiedKey: qualified, value: Self.value(inner)))
                    }
                }
            } else {
                entries.append(Entry(line: locator.line(of: name), qualifiedKey: name, value: Self.value(value)))
            }
        }
        self.entries = entries.sorted { ($0.line, $0.qualifiedKey) < ($1.line, $1.qualifiedKey) }
    }

    private static func value(_ v: any TOMLValueConvertible) -> Value {
        if let s = v.string {
            // TOML allows "\u0000"; a C call would cut the value there (a path, an address).
            return s.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }
                ? .other("string with a control character (NUL, newline, …)") : .string(s)
        }
        if let b = v.bool { return .bool(b) }
        if let i = v.int { return .number(Double(i)) }
        if let d = v.double { return d.isFinite ? .number(d) : .other("non-finite number") }
        if let a = v.array {
            var strings: [String] = []
            for element in a {
                guard let s = element.string else { return .other("array of \(element.type)") }
                if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    return .other("string with a control character (NUL, newline, …)")
                }
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
    /// The line and key of the first NUL in a value (a raw 0 byte, `\u0000` or `\U00000000`).
    private(set) var firstNUL: (line: Int, key: String)?

    init(_ text: String) {
        var section = ""
        var number = 0
        var arrayEntries: [String: Int] = [:]
        // By Unicode scalars: "\r\n" is one Character, so splitting a String on "\n" would leave
        // a CRLF file as one line.
        for raw in Substring(text).unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = Substring(String(String.UnicodeScalarView(raw))).drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("["), let close = line.lastIndex(of: "]") {
                // `[table]` and `[[array.of.tables]]` alike.
                section = line[line.index(after: line.startIndex)..<close].filter { $0 != " " && $0 != "\"" && $0 != "[" && $0 != "]" }
                if line.hasPrefix("[[") {
                    // The n-th `[[name]]` holds `name[n].key`.
                    let index = arrayEntries[section, default: 0]
                    arrayEntries[section] = index + 1
                    section += "[\(index)]"
                }
                if lines[section] == nil { lines[section] = number }
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].filter { $0 != " " && $0 != "\t" && $0 != "\"" }
            let qualified = section.isEmpty ? key : section + "." + key
            if lines[qualified] == nil { lines[qualified] = number }
            let value = line[eq...]
            if firstNUL == nil, value.contains("\u{0}") || value.contains("\\u0000") || value.contains("\\U00000000") {
                firstNUL = (number, qualified)
            }
        }
    }

    /// The line of `qualifiedKey`; a key inside an inline table (`athlete = { age = 3 }`) is
    /// placed on its table's line; 0 only when neither can be placed.
    func line(of qualifiedKey: String) -> Int {
        var key = Substring(qualifiedKey)
        while true {
            if let line = lines[String(key)] { return line }
            guard let dot = key.lastIndex(of: ".") else { return 0 }
            key = key[..<dot]
        }
    }
}
