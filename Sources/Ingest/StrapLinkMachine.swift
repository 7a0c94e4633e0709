/// One strap's link as an explicit state machine, with no I/O and no clock of its own, for both
/// radio backends: the daemon feeds it events (replies, signals, stream ends, the time) and
/// carries out the actions it returns, each backend in its own way. Every state change comes
/// back as a `StrapLinkTransition` for the journal; the state is what status and metrics show.
///
///     BlueZ:  connecting ─Connect ok→ resolving ─ServicesResolved, 0x2A37 found→ acquiring
///             acquiring ─fd→ streaming(acquired)      acquiring ─error or timeout→ subscribing
///             subscribing ─ok→ streaming(notifying)   bluetoothd gone → offline ─back→ connecting
///     direct: connecting ─socket up→ resolving (ATT discovery; each answer is `.progress`)
///             resolving ─notifications enabled→ streaming(att)
///     both:   any link error → retrying ─backoff over→ connecting
///             resolved without 0x2A37 → unsupported
public struct StrapLinkMachine: Sendable {
    /// The state of the link.
    public private(set) var state: StrapLinkState = .connecting
    /// When the current waiting state times out (monotonic seconds), if it can.
    public private(set) var deadline: Double?
    /// Consecutive failed attempts (reset once notifications flow).
    public var failures: Int { backoff.failures }
    /// Reconnects after the first connection (for status and metrics).
    public private(set) var reconnects = 0
    private let timing: StrapLinkTiming
    private var backoff: ReconnectBackoff
    private var hasStreamed = false
    private var lastAttempt = -Double.infinity

    /// A machine that starts connecting at `now`; `seed` drives the backoff jitter.
    public init(timing: StrapLinkTiming = StrapLinkTiming(), seed: UInt64, now: Double) {
        self.timing = timing
        backoff = ReconnectBackoff(first: timing.firstBackoff, maximum: timing.maximumBackoff, seed: seed)
        deadline = now + timing.connectTimeout
    }

    /// The actions to begin with: connect.
    public var initialActions: [StrapLinkAction] { [.connect] }

    /// Feeds one event at monotonic time `now`; returns what to do and the transition, if any.
    public mutating func handle(_ event: StrapLinkEvent, now: Double) -> (actions: [StrapLinkAction], transition: StrapLinkTransition?) {
        let before = state
        var actions: [StrapLinkAction] = []
        var reason = ""
        switch (state, event) {
        case (.connecting, .connectSucceeded):
            enter(.resolving, deadline: now + timing.resolveTimeout)
            actions = [.discover]
            reason = "connected"
        case (.resolving, .progress):
            deadline = now + timing.resolveTimeout
            return ([], nil)
        case (.resolving, .subscribed(let kind, let detail)), (.acquiring, .subscribed(let kind, let detail)),
             (.subscribing, .subscribed(let kind, let detail)):
            stream(kind, now: now)
            reason = detail
        case (.resolving, .servicesResolved(let hasMeasurement)):
            if hasMeasurement {
                enter(.acquiring, deadline: now + timing.acquireTimeout)
                actions = [.readDetails, .acquireNotify]
                reason = "services resolved"
            } else {
                enter(.unsupported("no Heart Rate Measurement (0x2A37) characteristic"), deadline: nil)
                actions = [.disconnect]
                reason = "services resolved without 0x2A37"
            }
        case (.connecting, .unsupported(let why)), (.resolving, .unsupported(let why)), (.acquiring, .unsupported(let why)),
             (.subscribing, .unsupported(let why)), (.streaming, .unsupported(let why)):
            enter(.unsupported(why), deadline: nil)
            actions = [.closeStream, .disconnect]
            reason = why
        case (.acquiring, .acquireSucceeded):
            stream(.acquired, now: now)
            reason = "AcquireNotify gave a socket"
        case (.acquiring, .acquireFailed(let why)):
            enter(.subscribing, deadline: now + timing.acquireTimeout)
            actions = [.startNotify]
            reason = "AcquireNotify failed (\(why)); falling back to StartNotify"
        case (.subscribing, .startNotifySucceeded):
            stream(.notifying, now: now)
            reason = "StartNotify accepted"
        case (.streaming, .notification):
            deadline = now + timing.silenceTimeout
            backoff.reset()
            return ([], nil)
        case (.retrying, .seen):
            // Back in range: do not sit out the rest of a long backoff.
            deadline = min(deadline ?? now, max(now, lastAttempt + timing.retryWhenSeen))
            return ([], nil)
        case (.retrying, .tick) where now >= (deadline ?? now):
            lastAttempt = now
            enter(.connecting, deadline: now + timing.connectTimeout)
            actions = [.connect]
            reason = "retrying"
        case (.offline, .bluetoothdBack):
            backoff.reset()
            enter(.connecting, deadline: now + timing.connectTimeout)
            actions = [.connect]
            reason = "bluetoothd is back"
        case (.unsupported, _), (.offline, _):
            return ([], nil)
        case (_, .bluetoothdLost):
            enter(.offline, deadline: nil)
            actions = [.closeStream]
            reason = "bluetoothd left the bus"
        case (.connecting, .connectFailed(let why)), (.subscribing, .startNotifyFailed(let why)):
            actions = retry(now: now)
            reason = why
        case (.resolving, .disconnected), (.acquiring, .disconnected), (.subscribing, .disconnected), (.streaming, .disconnected):
            actions = retry(now: now, disconnect: false)
            reason = "disconnected"
        case (.streaming, .streamEnded(let why)):
            actions = retry(now: now)
            reason = why
        case (.connecting, .linkFailed(let why)), (.resolving, .linkFailed(let why)), (.acquiring, .linkFailed(let why)),
             (.subscribing, .linkFailed(let why)), (.streaming, .linkFailed(let why)):
            actions = retry(now: now)
            reason = why
        case (_, .tick):
            guard let d = deadline, now >= d, state != .retrying else { return ([], nil) }
            switch state {
            case .acquiring:
                enter(.subscribing, deadline: now + timing.acquireTimeout)
                actions = [.startNotify]
                reason = "AcquireNotify did not answer in \(Self.seconds(timing.acquireTimeout)); falling back to StartNotify"
            case .streaming:
                actions = retry(now: now)
                reason = "no notification for \(Self.seconds(timing.silenceTimeout))"
            default:
                actions = retry(now: now)
                reason = "\(state.name) timed out"
            }
        default:
            return ([], nil)
        }
        return (actions, state == before ? nil : StrapLinkTransition(from: before, to: state, reason: reason))
    }

    private mutating func enter(_ next: StrapLinkState, deadline: Double?) {
        state = next
        self.deadline = deadline
    }

    private mutating func stream(_ kind: StrapLinkState.Stream, now: Double) {
        if hasStreamed { reconnects += 1 }
        hasStreamed = true
        enter(.streaming(kind), deadline: now + timing.silenceTimeout)
    }

    /// Drops the link and waits the backoff.
    private mutating func retry(now: Double, disconnect: Bool = true) -> [StrapLinkAction] {
        enter(.retrying, deadline: now + backoff.nextDelay())
        return disconnect ? [.closeStream, .disconnect] : [.closeStream]
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

/// The states of a strap link.
public enum StrapLinkState: Equatable, Sendable {
    /// How notifications arrive: an AcquireNotify socket, PropertiesChanged after StartNotify
    /// (BlueZ), or ATT handle-value notifications on our own L2CAP socket (direct).
    public enum Stream: Sendable, CaseIterable { case acquired, notifying, att }
    case connecting, resolving, acquiring, subscribing
    case streaming(Stream)
    case retrying
    case unsupported(String)
    case offline

    /// One of each state, for lists derived from the machine (the metrics' `link` labels).
    public static let representatives: [StrapLinkState] =
        [.connecting, .resolving, .acquiring, .subscribing] + Stream.allCases.map(StrapLinkState.streaming) + [.retrying, .unsupported(""), .offline]

    /// The state's first word, as the metrics label it (`streaming` for every kind of stream).
    public var label: String { String(name.prefix { $0 != " " }) }

    /// The state's name as status and the journal show it.
    public var name: String {
        switch self {
        case .connecting: "connecting"
        case .resolving: "resolving"
        case .acquiring: "acquiring"
        case .subscribing: "subscribing"
        case .streaming(.acquired): "streaming"
        case .streaming(.notifying): "streaming (notify)"
        case .streaming(.att): "streaming (att)"
        case .retrying: "retrying"
        case .unsupported: "unsupported"
        case .offline: "offline"
        }
    }
}

/// What happened to a link.
public enum StrapLinkEvent: Equatable, Sendable {
    case connectSucceeded, connectFailed(String)
    case servicesResolved(hasMeasurement: Bool)
    case acquireSucceeded, acquireFailed(String)
    case startNotifySucceeded, startNotifyFailed(String)
    case notification
    case streamEnded(String)
    case disconnected
    case bluetoothdLost, bluetoothdBack
    /// BlueZ shows the strap again (InterfacesAdded of its Device1, or RSSI / advertising data
    /// changed): it is in range now.
    case seen
    /// Time passed: deadlines are checked.
    case tick
    /// Direct: the strap answered during discovery (the discovery deadline moves on).
    case progress
    /// Direct: notifications are enabled on our own ATT connection (`detail` says how).
    case subscribed(StrapLinkState.Stream, detail: String)
    /// The link failed (a send, a closed socket, a refused request), with why.
    case linkFailed(String)
    /// The strap cannot serve heart rate (no 0x180D service or 0x2A37 characteristic), with why.
    case unsupported(String)
}

/// What the daemon must do for a link.
public enum StrapLinkAction: Equatable, Sendable {
    case connect, disconnect, readDetails, acquireNotify, startNotify, closeStream
    /// Find the services (direct: start the ATT discovery; BlueZ resolves them itself).
    case discover
}

/// A state change and why.
public struct StrapLinkTransition: Equatable, Sendable, CustomStringConvertible {
    public var from: StrapLinkState
    public var to: StrapLinkState
    public var reason: String

    public var description: String { "\(from.name) → \(to.name): \(reason)" }
}

/// Timeouts and backoff of a strap link (seconds). Engineering choices, not physiology.
public struct StrapLinkTiming: Sendable, Equatable {
    /// Device1.Connect may take this long (BlueZ itself gives up after about 20 s).
    public var connectTimeout = 25.0
    /// From connected to ServicesResolved.
    public var resolveTimeout = 20.0
    /// AcquireNotify (then StartNotify) must answer within this; BlueZ 5.66 can leave it hanging.
    public var acquireTimeout = 5.0
    /// A streaming strap that sends nothing for this long is reconnected (straps notify ~1/s).
    public var silenceTimeout = 15.0
    /// The first retry delay; it doubles per failure up to `maximumBackoff`.
    public var firstBackoff = 1.0
    public var maximumBackoff = 60.0
    /// While retrying, a strap BlueZ sees again (it advertises: a new Device1, RSSI or
    /// advertising data) is tried at once, but no sooner than this after the last attempt.
    public var retryWhenSeen = 2.0

    /// The defaults.
    public init() {}
}
