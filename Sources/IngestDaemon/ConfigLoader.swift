import Ingest

/// Loads the configuration file: an explicit path must exist; the default path may be absent
/// (then the documented defaults apply).
public enum ConfigLoader {
    /// The configuration, or an error naming the file, line and key.
    public static func load(path: String?) throws(ConfigError) -> IngestConfiguration {
        let file = path ?? IngestConfiguration.defaultPath
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(file)
        } catch {
            if path == nil { return IngestConfiguration() }
            throw ConfigError(path: file, line: 0, key: "", reason: "cannot read: \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(path: file, line: 0, key: "", reason: "not UTF-8 text")
        }
        return try IngestConfiguration.parse(text, path: file)
    }
}
