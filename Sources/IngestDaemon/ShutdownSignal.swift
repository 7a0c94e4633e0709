import Glibc

/// SIGTERM/SIGINT → a flag the loop checks between samples, so a shutdown flushes and ends
/// open sessions instead of dying mid-write. (The sd-event loop of the live daemon replaces
/// this with signal sources.)
public enum ShutdownSignal {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Whether SIGTERM or SIGINT arrived.
    public static var requested: Bool { flag != 0 }

    /// Installs the handlers.
    public static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in ShutdownSignal.flag = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
        // A parent may hand us a blocked signal mask (Foundation's Process does): unblock ours.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }
}
