import SystemCall
import CSystemd
import Glibc

/// One sd-event loop on one thread: I/O, timers, signals and the watchdog (wraps `sd-event(3)`).
///
/// Callbacks are Swift closures kept in a box passed (unretained) as userdata; the loop object
/// keeps every box for as long as it lives, and the sources are floating (owned by sd-event),
/// so a box never outlives or predeceases its source. A box whose source failed to be added is
/// simply never stored.
public final class EventLoop {
    var event: OpaquePointer?
    private var boxes: [AnyObject] = []

    /// A new loop (`sd_event_new`): each loop is its own, so one that has exited is never
    /// handed out again (the thread's default loop would be).
    public init() throws(SystemCallError) {
        var e: OpaquePointer?
        try SystemCallError.check(sd_event_new(&e), "sd_event_new")
        event = e
    }

    deinit {
        sd_event_unref(event)
    }

    private final class Box<T> {
        let handler: T
        init(_ handler: T) { self.handler = handler }
    }

    /// The `revents` bit of a hang-up (EPOLLHUP): the peer closed.
    public static let hangUp = UInt32(EPOLLHUP.rawValue)

    /// Calls `handler(revents)` when `fd` is readable (EPOLLIN) or hangs up, until the returned
    /// source is cancelled.
    @discardableResult
    public func addReadable(fd: Int32, _ handler: @escaping (UInt32) -> Void) throws(SystemCallError) -> EventSource {
        try addIO(fd: fd, events: UInt32(EPOLLIN.rawValue), handler)
    }

    /// Calls `handler(revents)` when `fd` can be written without blocking (EPOLLOUT) or hangs up,
    /// until the returned source is cancelled (a reply waiting for a slow reader).
    public func addWritable(fd: Int32, _ handler: @escaping (UInt32) -> Void) throws(SystemCallError) -> EventSource {
        try addIO(fd: fd, events: UInt32(EPOLLOUT.rawValue), handler)
    }

    /// `sd_event_add_io` for `events`, owned by the returned registration.
    private func addIO(fd: Int32, events: UInt32, _ handler: @escaping (UInt32) -> Void) throws(SystemCallError) -> EventSource {
        let box = Box(handler)
        let userdata = Unmanaged.passUnretained(box).toOpaque()
        var source: OpaquePointer?
        let r = sd_event_add_io(event, &source, fd, events, { _, _, revents, userdata in
            Unmanaged<Box<(UInt32) -> Void>>.fromOpaque(userdata!).takeUnretainedValue().handler(revents)
            return 0
        }, userdata)
        try SystemCallError.check(r, "sd_event_add_io")
        return CallbackRegistration(box: box) { sd_event_source_disable_unref(source) }
    }

    /// Calls `handler` once after `seconds` unless the returned source is cancelled first (a
    /// deadline).
    public func addDeadline(after seconds: Double, _ handler: @escaping () -> Void) throws(SystemCallError) -> EventSource {
        let box = Box(handler)
        let userdata = Unmanaged.passUnretained(box).toOpaque()
        var source: OpaquePointer?
        let r = sd_event_add_time_relative(event, &source, CLOCK_MONOTONIC, Self.micros(seconds), 0, { _, _, userdata in
            Unmanaged<Box<() -> Void>>.fromOpaque(userdata!).takeUnretainedValue().handler()
            return 0
        }, userdata)
        try SystemCallError.check(r, "sd_event_add_time_relative")
        return CallbackRegistration(box: box) { sd_event_source_disable_unref(source) }
    }

    /// Calls `handler` after `seconds`, then again after whatever it returns (nil stops it).
    /// `accuracy` is how late it may fire so wake-ups coalesce (sd-event's default, 250 ms, when
    /// nil); a timer that paces work, as a replay at full speed does, wants 1 µs.
    public func addTimer(after seconds: Double, accuracy: Double? = nil, _ handler: @escaping () -> Double?) throws(SystemCallError) {
        let box = Box(handler)
        let userdata = Unmanaged.passUnretained(box).toOpaque()
        let r = sd_event_add_time_relative(event, nil, CLOCK_MONOTONIC, Self.micros(seconds), accuracy.map(Self.micros) ?? 0, { source, _, userdata in
            let next = Unmanaged<Box<() -> Double?>>.fromOpaque(userdata!).takeUnretainedValue().handler()
            if let next {
                sd_event_source_set_time_relative(source, EventLoop.micros(next))
                sd_event_source_set_enabled(source, Int32(SD_EVENT_ONESHOT))
            } else {
                sd_event_source_set_enabled(source, Int32(SD_EVENT_OFF))
            }
            return 0
        }, userdata)
        try SystemCallError.check(r, "sd_event_add_time_relative")
        boxes.append(box)
    }

    /// Blocks `signal` for the process and calls `handler` from the loop when it arrives.
    public func addSignal(_ signal: Int32, _ handler: @escaping () -> Void) throws(SystemCallError) {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        sigprocmask(SIG_BLOCK, &set, nil)
        let box = Box(handler)
        let userdata = Unmanaged.passUnretained(box).toOpaque()
        let r = sd_event_add_signal(event, nil, signal, { _, _, userdata in
            Unmanaged<Box<() -> Void>>.fromOpaque(userdata!).takeUnretainedValue().handler()
            return 0
        }, userdata)
        try SystemCallError.check(r, "sd_event_add_signal")
        boxes.append(box)
    }

    /// Pings the service manager's watchdog from the loop while it runs (`sd_event_set_watchdog`);
    /// a no-op outside systemd or without `WatchdogSec=`.
    public func enableWatchdog() throws(SystemCallError) {
        try SystemCallError.check(sd_event_set_watchdog(event, 1), "sd_event_set_watchdog")
    }

    /// Runs until `exit(code:)`; returns the code.
    public func run() throws(SystemCallError) -> Int32 {
        try SystemCallError.check(sd_event_loop(event), "sd_event_loop")
    }

    /// Makes `run()` return `code` after the current iteration.
    public func exit(code: Int32) {
        sd_event_exit(event, code)
    }

    /// Seconds → microseconds, rounded up so a short timer never becomes 0 by truncation.
    static func micros(_ seconds: Double) -> UInt64 {
        UInt64(max(0, (seconds * 1_000_000).rounded(.up)))
    }
}

/// An event source the caller owns (see `CallbackRegistration`).
public typealias EventSource = CallbackRegistration
