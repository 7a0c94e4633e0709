import HeartRateWire
import SystemdKit

/// A device that advertises or offers the Heart Rate service.
public struct DiscoveredStrap: Sendable, Equatable {
    /// The Device1 object path.
    public var path: String
    /// The strap's Bluetooth address.
    public var address: String
    /// Its advertised name, if any.
    public var name: String?
    /// Whether BlueZ reports it connected.
    public var connected: Bool
}

/// Finds heart-rate straps: LE discovery filtered on the Heart Rate service (0x180D), and the
/// straps among the mirrored devices of an adapter.
public enum StrapDiscovery {
    /// The Heart Rate service UUID as BlueZ writes it.
    public static let heartRateUUID = GATTIdentifier.heartRateService.uuidString

    /// Sets the LE filter on 0x180D and starts discovery on `adapter`
    /// (Adapter1.SetDiscoveryFilter, then StartDiscovery), without waiting; `done` gets nil or
    /// the first error.
    public static func start(on adapter: String, objects: BlueZObjects, _ done: @escaping (BusError?) -> Void) {
        let filter: BusValue = .array(elementSignature: "{sv}", [
            .dictEntry(.string("UUIDs"), .variant(.array(elementSignature: "s", [.string(heartRateUUID)]))),
            .dictEntry(.string("Transport"), .variant(.string("le"))),
        ])
        objects.call(path: adapter, interface: BlueZObjects.adapterInterface, member: "SetDiscoveryFilter",
                     arguments: [filter]) { [weak objects] result in
            if case .failure(let e) = result { return done(e) }
            objects?.call(path: adapter, interface: BlueZObjects.adapterInterface, member: "StartDiscovery") { result in
                if case .failure(let e) = result { done(e) } else { done(nil) }
            }
        }
    }

    /// Stops discovery on `adapter` (when every wanted strap is connected), without waiting.
    public static func stop(on adapter: String, objects: BlueZObjects, _ done: @escaping (BusError?) -> Void) {
        objects.call(path: adapter, interface: BlueZObjects.adapterInterface, member: "StopDiscovery") { result in
            if case .failure(let e) = result { done(e) } else { done(nil) }
        }
    }

    /// The heart-rate straps under `adapter` in the mirror, by path.
    public static func straps(in mirror: ObjectManagerMirror, adapter: String) -> [DiscoveredStrap] {
        mirror.paths(implementing: BlueZObjects.deviceInterface).filter { $0.hasPrefix(adapter + "/") }.compactMap { path in
            let p = { (name: String) in mirror.property(name, of: path, interface: BlueZObjects.deviceInterface) }
            let uuids = (p("UUIDs")?.elements ?? []).compactMap(\.text).map { $0.lowercased() }
            guard uuids.contains(heartRateUUID), let address = p("Address")?.text else { return nil }
            let connected: Bool
            if case .bool(let c)? = p("Connected") { connected = c } else { connected = false }
            return DiscoveredStrap(path: path, address: address, name: p("Name")?.text ?? p("Alias")?.text, connected: connected)
        }
    }
}
