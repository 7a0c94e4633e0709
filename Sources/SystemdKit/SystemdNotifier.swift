import CSystemd

/// Tells the service manager about the daemon's state (wraps `sd_notify(3)`).
///
/// Outside systemd (`NOTIFY_SOCKET` unset) every call is a cheap no-op, as in libsystemd.
public struct SystemdNotifier: Sendable {
    /// A notifier.
    public init() {}

    /// Sends a state string such as `READY=1\nSTATUS=…`. Returns false when it could not be sent
    /// (not under systemd, or the socket refused it).
    @discardableResult
    public func notify(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }

    /// `READY=1` with a status line.
    @discardableResult
    public func ready(status: String) -> Bool { notify("READY=1\nSTATUS=\(status)") }

    /// `STATUS=…`.
    @discardableResult
    public func status(_ text: String) -> Bool { notify("STATUS=\(text)") }

    /// `STOPPING=1`.
    @discardableResult
    public func stopping() -> Bool { notify("STOPPING=1") }

    /// Whether the system was booted with systemd (wraps `sd_booted(3)`).
    public static var booted: Bool { sd_booted() > 0 }
}
