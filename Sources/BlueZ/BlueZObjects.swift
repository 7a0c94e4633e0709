import SystemdKit

/// Keeps an `ObjectManagerMirror` of org.bluez current over the bus, from the event loop: the
/// initial GetManagedObjects, then InterfacesAdded/Removed and PropertiesChanged signals. Every
/// call is asynchronous (the loop never waits for bluetoothd); `onChange` says when the mirror
/// moved, so its user reacts to changes instead of polling.
public final class BlueZObjects {
    /// The bluetoothd well-known name and interfaces.
    public static let service = "org.bluez"
    public static let adapterInterface = "org.bluez.Adapter1"
    public static let deviceInterface = "org.bluez.Device1"
    public static let characteristicInterface = "org.bluez.GattCharacteristic1"

    private let bus: Bus
    public private(set) var mirror = ObjectManagerMirror()
    private var slots: [BusSlot] = []
    /// Called with a characteristic's path and new value when its `Value` changes
    /// (notifications after StartNotify).
    public var onValue: ((String, [UInt8]) -> Void)?
    /// Called with a Device1 path when BlueZ shows that device again: its object is added, or
    /// its RSSI or advertising data change (it is advertising, so in range).
    public var onDeviceSeen: ((String) -> Void)?
    /// Called after the mirror changed (objects added or removed, properties changed, loaded).
    public var onChange: (() -> Void)?
    /// Calls in flight, held until answered.
    private var inFlight: [Int: BusSlot] = [:]
    private var nextCall = 0
    public static let batteryInterface = "org.bluez.Battery1"

    /// Subscribes on `bus` (which must be attached to a loop); `reload` loads the objects.
    public init(bus: Bus) throws(BusError) {
        self.bus = bus
        slots.append(try bus.onSignal(sender: Self.service, interface: "org.freedesktop.DBus.ObjectManager",
                                      member: "InterfacesAdded") { [weak self] s in
            self?.mirror.interfacesAdded(s.arguments)
            if let path = s.arguments.first?.text, self?.mirror.objects[path]?[Self.deviceInterface] != nil {
                self?.onDeviceSeen?(path)
            }
            self?.onChange?()
        })
        slots.append(try bus.onSignal(sender: Self.service, interface: "org.freedesktop.DBus.ObjectManager",
                                      member: "InterfacesRemoved") { [weak self] s in
            self?.mirror.interfacesRemoved(s.arguments)
            self?.onChange?()
        })
        slots.append(try bus.onSignal(sender: Self.service, interface: "org.freedesktop.DBus.Properties",
                                      member: "PropertiesChanged") { [weak self] s in
            guard let self else { return }
            self.mirror.propertiesChanged(path: s.path, s.arguments)
            if s.arguments.first?.text == Self.deviceInterface, Self.advertised(s.arguments) { self.onDeviceSeen?(s.path) }
            if let onValue, s.arguments.first?.text == Self.characteristicInterface,
               let value = Self.changedValue(s.arguments) {
                onValue(s.path, value)
            } else {
                self.onChange?()
            }
        })
    }

    /// Whether a Device1 PropertiesChanged carries what only an advertisement updates.
    static func advertised(_ arguments: [BusValue]) -> Bool {
        guard arguments.count >= 2 else { return false }
        let names: Set<String> = ["RSSI", "ManufacturerData", "ServiceData", "TxPower"]
        return (arguments[1].elements ?? []).contains { entry in
            if case .dictEntry(let key, _) = entry, let name = key.text { return names.contains(name) }
            return false
        }
    }

    /// Loads everything (at start, after a bluetoothd restart) without waiting; `done` gets
    /// nil once the mirror holds it (and `onChange` ran), or the error.
    public func reload(_ done: @escaping (BusError?) -> Void) {
        call(path: "/", interface: "org.freedesktop.DBus.ObjectManager", member: "GetManagedObjects") { [weak self] result in
            switch result {
            case .success(let reply):
                self?.load(managedObjects: reply)
                done(nil)
            case .failure(let error):
                done(error)
            }
        }
    }

    /// Calls `member` on an org.bluez object without waiting; `done` runs from the loop with the
    /// reply or the error. The call is held until it answers (or this object goes away).
    public func call(path: String, interface: String, member: String, arguments: [BusValue] = [], timeout: Double = 25,
                     _ done: @escaping (Result<[BusValue], BusError>) -> Void) {
        let key = nextCall
        nextCall += 1
        do {
            let slot = try bus.callAsync(destination: Self.service, path: path, interface: interface, member: member,
                                         arguments: arguments, timeout: timeout) { [weak self] result in
                self?.inFlight[key] = nil
                done(result)
            }
            inFlight[key] = slot
        } catch {
            done(.failure(error))
        }
    }

    /// Replaces the mirror with a GetManagedObjects reply and says so (`onChange`).
    public func load(managedObjects reply: [BusValue]) {
        mirror.load(managedObjects: reply)
        onChange?()
    }

    /// Forgets every object (bluetoothd left the bus).
    public func clear() {
        mirror = ObjectManagerMirror()
    }

    /// The bytes of a `Value` in a PropertiesChanged(interface, changed, invalidated).
    static func changedValue(_ arguments: [BusValue]) -> [UInt8]? {
        guard arguments.count >= 2, let changed = arguments[1].elements else { return nil }
        for entry in changed {
            if case .dictEntry(.string("Value"), let variant) = entry { return variant.bytes }
        }
        return nil
    }

    /// Sets a property (`org.freedesktop.DBus.Properties.Set`) without waiting.
    public func set(_ name: String, of path: String, interface: String, to value: BusValue,
                    _ done: @escaping (BusError?) -> Void) {
        call(path: path, interface: "org.freedesktop.DBus.Properties", member: "Set",
             arguments: [.string(interface), .string(name), .variant(value)]) { result in
            if case .failure(let e) = result { done(e) } else { done(nil) }
        }
    }
}
