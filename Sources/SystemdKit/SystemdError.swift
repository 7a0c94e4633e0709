import Glibc

/// A libsystemd call that failed: which function, and the errno it returned (as `-r`).
public struct SystemdError: Error, Equatable, CustomStringConvertible {
    /// The C function that failed.
    public var function: String
    /// The positive errno value.
    public var errno: Int32

    public var description: String { "\(function): \(String(cString: strerror(errno)))" }

    /// Turns a libsystemd return value into a typed error when it is negative.
    @discardableResult
    static func check(_ r: Int32, _ function: String) throws(SystemdError) -> Int32 {
        if r < 0 { throw SystemdError(function: function, errno: -r) }
        return r
    }
}
