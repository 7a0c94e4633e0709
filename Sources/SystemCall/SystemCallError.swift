import Glibc
import SystemPackage

/// The one error for a failed system or C-library call anywhere in the daemon: what it was
/// about (a path, a peer, a socket), which call failed, and swift-system's `Errno`.
///
/// Libsystemd's negative-errno returns (`check`), libc's `-1` plus `errno` (`last`) and a
/// condition the daemon finds itself (a planted symlink, a file that is not a raw log) all
/// become this one shape, so a message always reads `subject: call: reason`.
public struct SystemCallError: Error, Equatable, CustomStringConvertible {
    /// What the call was about: a path, a strap's address, "control socket /run/…"; may be empty.
    public var subject: String
    /// The call or step that failed (`open`, `sd_bus_call`, `connect(/run/…)`).
    public var call: String
    /// The error number.
    public var errno: Errno
    /// What to say instead of `strerror` when the daemon knows better ("is a symbolic link;
    /// refusing to follow it"); empty for the plain errno text.
    public var detail: String
    /// Words added after the reason when this errno has a known cause here.
    public var hint: String

    public init(_ call: String, on subject: String = "", errno: Errno, detail: String = "", hint: String = "") {
        self.subject = subject
        self.call = call
        self.errno = errno
        self.detail = detail
        self.hint = hint
    }

    /// The error of the call that just failed, from the thread's `errno`.
    public static func last(_ call: String, on subject: String = "", hint: String = "") -> SystemCallError {
        SystemCallError(call, on: subject, errno: Errno(rawValue: Glibc.errno), hint: hint)
    }

    /// Turns a libsystemd-style return value (`-errno` on failure) into a thrown error.
    @discardableResult
    public static func check(_ r: Int32, _ call: String, on subject: String = "") throws(SystemCallError) -> Int32 {
        if r < 0 { throw SystemCallError(call, on: subject, errno: Errno(rawValue: -r)) }
        return r
    }

    /// The reason alone: the detail, or the errno's text.
    public var reason: String { detail.isEmpty ? errno.description : detail }

    /// `call: reason` — a short key for "the same cause again" (no subject).
    public var cause: String { "\(call): \(reason)" }

    public var description: String {
        (subject.isEmpty ? "" : subject + ": ") + cause + hint
    }
}
