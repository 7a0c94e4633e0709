import SystemCall
import CSystemd
import Glibc

/// A timer that is set to the next deadline and re-set or cleared as plans change, without
/// creating a source each time (one sd-event time source, re-armed with
/// `sd_event_source_set_time`, as systemd-timesyncd's `manager_arm_timer` does). Times are
/// CLOCK_MONOTONIC seconds. Owned by its user: dropping it removes the source.
public final class EventAlarm {
    private final class Box {
        let handler: () -> Void
        weak var alarm: EventAlarm?
        init(_ handler: @escaping () -> Void) { self.handler = handler }
    }

    private var source: OpaquePointer?
    private let box: Box
    /// When it will fire (monotonic seconds), nil when not set.
    public private(set) var deadline: Double?

    init(loop: OpaquePointer?, accuracy: Double, _ handler: @escaping () -> Void) throws(SystemCallError) {
        box = Box(handler)
        let userdata = Unmanaged.passUnretained(box).toOpaque()
        var s: OpaquePointer?
        let r = sd_event_add_time(loop, &s, CLOCK_MONOTONIC, UInt64.max, EventLoop.micros(accuracy), { source, _, userdata in
            let box = Unmanaged<Box>.fromOpaque(userdata!).takeUnretainedValue()
            box.alarm?.deadline = nil  // a oneshot: off until set again (the handler may set it)
            box.handler()
            return 0
        }, userdata)
        try SystemCallError.check(r, "sd_event_add_time")
        source = s
        sd_event_source_set_enabled(s, Int32(SD_EVENT_OFF))
        box.alarm = self
    }

    deinit {
        sd_event_source_disable_unref(source)
    }

    /// Fires once at `time` (monotonic seconds; at once when past), replacing any earlier
    /// setting; nil clears it.
    public func set(at time: Double?) {
        deadline = time
        guard let time else {
            sd_event_source_set_enabled(source, Int32(SD_EVENT_OFF))
            return
        }
        sd_event_source_set_time(source, EventLoop.micros(max(time, 0)))
        sd_event_source_set_enabled(source, Int32(SD_EVENT_ONESHOT))
    }

    /// Fires once `seconds` from now.
    public func set(after seconds: Double) {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        set(at: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 + max(0, seconds))
    }

    /// Fires at `time` unless already set to fire sooner.
    public func setIfSooner(_ time: Double) {
        if let deadline, deadline <= time { return }
        set(at: time)
    }

    /// Whether it is set.
    public var isSet: Bool { deadline != nil }
}

extension EventLoop {
    /// A cleared alarm on this loop; `handler` runs each time it fires. `accuracy` is how late
    /// it may fire (default 1 ms: link deadlines, not wake-ups to coalesce).
    public func addAlarm(accuracy: Double = 0.001, _ handler: @escaping () -> Void) throws(SystemCallError) -> EventAlarm {
        try EventAlarm(loop: event, accuracy: accuracy, handler)
    }
}
