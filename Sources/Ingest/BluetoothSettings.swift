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

    /// How straps are reached.
    public enum Backend: String, Sendable, Equatable {
        /// Through bluetoothd's D-Bus API (scanning, pairing and reconnection by BlueZ).
        case bluez
        /// ATT over an LE L2CAP socket, without bluetoothd; straps by address only.
        case direct
    }

    /// A strap the direct backend connects to: its address and whether it is a random one.
    public struct DirectStrap: Sendable, Equatable {
        public var address: String
        public var random: Bool

        /// Parses `A0:9E:1A:12:34:56` or `C4:7D:…/random`; nil for anything else (a name).
        public init?(_ entry: String) {
            let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
            let address = parts[0].uppercased()
            let hexPairs = address.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2, hexPairs.count == 6, hexPairs.allSatisfy({ $0.count == 2 && UInt8($0, radix: 16) != nil }) else {
                return nil
            }
            guard parts.count == 1 || parts[1] == "random" || parts[1] == "public" else { return nil }
            self.address = address
            random = parts.count == 2 && parts[1] == "random"
        }
    }

    /// `bluez` (the default) or `direct`.
    public var backend = Backend.bluez

    /// The straps of the direct backend (the `straps` list, each an address).
    public var directStraps: [DirectStrap] {
        guard case .only(let list) = straps else { return [] }
        return list.compactMap(DirectStrap.init)
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
    /// Start Polar's ECG stream (PMD service, 130 Hz) on straps that offer it and record its
    /// frames in the raw log (off by default: it costs the strap's battery and ~1.2 KB/s of log).
    public var polarECG = false

    /// The defaults.
    public init() {}
}
