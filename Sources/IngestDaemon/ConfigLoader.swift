import Ingest
import Storage
import SystemdKit

/// Loads the configuration file: an explicit path must exist; the default path may be absent
/// (then the documented defaults apply).
public enum ConfigLoader {
    /// The configuration, or an error naming the file, line and key.
    public static func load(path: String?) throws(ConfigError) -> IngestConfiguration {
        let file = path ?? IngestConfiguration.defaultPath
        let bytes: [UInt8]
        do {
            bytes = try WholeFile.read(file)
        } catch {
            if path == nil { return IngestConfiguration() }
            throw ConfigError(path: file, line: 0, key: "", reason: "cannot read: \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(path: file, line: 0, key: "", reason: "not UTF-8 text")
        }
        return try IngestConfiguration.parse(text, path: file)
    }

    /// SIGHUP: re-reads `path` between RELOADING=1 and READY=1. A good file is returned (with the
    /// running state directory: it cannot move under a running daemon) and logged with what it
    /// `appliesTo`; a bad one is refused and logged, and nil keeps the running configuration.
    public static func reload(path: String?, stateDirectory: String, appliesTo: String,
                              notifier: SystemdNotifier, logger: EventLogger) -> IngestConfiguration? {
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(UInt64(WallClock.monotonic() * 1_000_000))")
        defer { notifier.notify("READY=1") }
        do {
            var fresh = try load(path: path)
            fresh.stateDirectory = stateDirectory
            logger.log("configuration reloaded from \(path ?? IngestConfiguration.defaultPath); it applies to \(appliesTo)",
                       kind: .configReloaded)
            return fresh
        } catch {
            logger.log("config error, keeping the running configuration: \(error)", kind: .configError, priority: .error)
            return nil
        }
    }
}
