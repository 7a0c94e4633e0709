import Glibc

/// What systemd hands the daemon through the environment.
public enum Environment {
    /// `$STATE_DIRECTORY` (first entry), set by systemd's `StateDirectory=`.
    public static var stateDirectory: String? {
        guard let raw = getenv("STATE_DIRECTORY") else { return nil }
        let value = String(cString: raw)
        return value.split(separator: ":").first.map(String.init)
    }

    /// `$RUNTIME_DIRECTORY` (first entry), set by systemd's `RuntimeDirectory=`.
    public static var runtimeDirectory: String? {
        guard let raw = getenv("RUNTIME_DIRECTORY") else { return nil }
        return String(cString: raw).split(separator: ":").first.map(String.init)
    }
}
