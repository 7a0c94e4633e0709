/// The `[bluetooth]` part of the config: which adapter, which straps, and the link timeouts.
public struct BluetoothSettings: Sendable, Equatable {
    /// Which straps the daemon adopts.
    public enum StrapSelection: Sendable, Equatable {
        /// Every device that offers the Heart Rate service.
        case any
        /// Only these, each a Bluetooth address (any case) or an advertised name (exact).
        case only([String])

        /// Whether a strap with `address` and `name` is wanted.
        public func admits(address: String, name: String?) -> Bool {
            switch self {
            case .any: return true
            case .only(let list):
                return list.contains { $0.uppercased() == address.uppercased() || $0 == name }
            }
        }
    }

    /// The adapter's name (`hci0`); empty means the first adapter BlueZ lists.
    public var adapter = ""
    /// Whether ingestd may power the adapter on.
    public var powerOnAdapter = true
    /// Which straps to adopt.
    public var straps = StrapSelection.any
    /// A streaming strap silent this long is reconnected (seconds).
    public var notificationTimeout = 15.0
    /// AcquireNotify/StartNotify must answer within this (seconds).
    public var acquireTimeout = 5.0
    /// The longest wait between reconnect attempts (seconds).
    public var maximumReconnectDelay = 60.0

    /// The defaults.
    public init() {}
}
