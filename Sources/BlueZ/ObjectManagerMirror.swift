import SystemdKit

/// A local copy of bluetoothd's objects (org.bluez), kept current from GetManagedObjects,
/// InterfacesAdded, InterfacesRemoved and PropertiesChanged. Pure: it only interprets bus values.
public struct ObjectManagerMirror: Sendable, Equatable {
    /// Object path → interface name → property name → value (variants unwrapped).
    public private(set) var objects: [String: [String: [String: BusValue]]] = [:]

    /// An empty mirror.
    public init() {}

    /// Replaces everything with a GetManagedObjects reply (`a{oa{sa{sv}}}`).
    public mutating func load(managedObjects reply: [BusValue]) {
        objects = [:]
        for entry in reply.first?.elements ?? [] {
            guard case .dictEntry(.objectPath(let path), let interfaces) = entry else { continue }
            add(path: path, interfaces: interfaces)
        }
    }

    /// Applies InterfacesAdded (`o`, `a{sa{sv}}`).
    public mutating func interfacesAdded(_ arguments: [BusValue]) {
        guard arguments.count == 2, case .objectPath(let path) = arguments[0] else { return }
        add(path: path, interfaces: arguments[1])
    }

    /// Applies InterfacesRemoved (`o`, `as`).
    public mutating func interfacesRemoved(_ arguments: [BusValue]) {
        guard arguments.count == 2, case .objectPath(let path) = arguments[0] else { return }
        for name in arguments[1].elements ?? [] {
            if let n = name.text { objects[path]?[n] = nil }
        }
        if objects[path]?.isEmpty == true { objects[path] = nil }
    }

    /// Applies PropertiesChanged on `path` (`s`, `a{sv}`, `as` invalidated).
    public mutating func propertiesChanged(path: String, _ arguments: [BusValue]) {
        guard arguments.count >= 2, let interface = arguments[0].text, objects[path]?[interface] != nil else { return }
        for (k, v) in Self.properties(arguments[1]) { objects[path]?[interface]?[k] = v }
        if arguments.count > 2 {
            for name in arguments[2].elements ?? [] { if let n = name.text { objects[path]?[interface]?[n] = nil } }
        }
    }

    /// Paths of objects implementing `interface`, sorted.
    public func paths(implementing interface: String) -> [String] {
        objects.filter { $0.value[interface] != nil }.keys.sorted()
    }

    /// A property of an object.
    public func property(_ name: String, of path: String, interface: String) -> BusValue? {
        objects[path]?[interface]?[name]
    }

    private mutating func add(path: String, interfaces: BusValue) {
        for entry in interfaces.elements ?? [] {
            guard case .dictEntry(let name, let properties) = entry, let interface = name.text else { continue }
            var current = objects[path]?[interface] ?? [:]
            for (k, v) in Self.properties(properties) { current[k] = v }
            objects[path, default: [:]][interface] = current
        }
    }

    private static func properties(_ value: BusValue) -> [(String, BusValue)] {
        (value.elements ?? []).compactMap { entry in
            guard case .dictEntry(let k, let v) = entry, let key = k.text else { return nil }
            if case .variant(let inner) = v { return (key, inner) }
            return (key, v)
        }
    }
}
