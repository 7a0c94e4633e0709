import Foundation
import SystemdKit
import Testing
import TestSupport

/// sd-bus through SystemdKit against a private dbus-daemon started by the test.
@Suite(.serialized) struct BusTests {
    static func withPrivateBus(_ body: (String) throws -> Void) throws {
        try PrivateBus.with(type: "session", body)
    }

    static let dbus = (destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus", interface: "org.freedesktop.DBus")

    @Test func callsReadBasicArrayAndDictionaryReplies() throws {
        try Self.withPrivateBus { address in
            let bus = try Bus.connect(address: address)
            let id = try bus.call(destination: Self.dbus.destination, path: Self.dbus.path, interface: Self.dbus.interface, member: "GetId")
            #expect(id.count == 1 && id[0].text?.count == 32)
            let names = try bus.call(destination: Self.dbus.destination, path: Self.dbus.path, interface: Self.dbus.interface, member: "ListNames")
            #expect(names.first?.elements?.contains(.string("org.freedesktop.DBus")) == true)
            let owner = try bus.call(destination: Self.dbus.destination, path: Self.dbus.path, interface: Self.dbus.interface,
                                     member: "NameHasOwner", arguments: [.string("org.freedesktop.DBus")])
            #expect(owner == [.bool(true)])
            let unique = try bus.call(destination: Self.dbus.destination, path: Self.dbus.path, interface: Self.dbus.interface,
                                      member: "GetNameOwner", arguments: [.string("org.freedesktop.DBus")])
            let credentials = try bus.call(destination: Self.dbus.destination, path: Self.dbus.path, interface: Self.dbus.interface,
                                           member: "GetConnectionCredentials", arguments: [unique[0]])
            let entries = try #require(credentials.first?.elements)
            let pid = entries.compactMap { e -> BusValue? in
                if case .dictEntry(.string("ProcessID"), let v) = e { return v }
                return nil
            }.first
            if case .variant(.uint32(let p))? = pid { #expect(p > 0) } else { Issue.record("no ProcessID in \(entries)") }
        }
    }

    @Test func errorRepliesKeepTheirNames() throws {
        try Self.withPrivateBus { address in
            let bus = try Bus.connect(address: address)
            do {
                _ = try bus.call(destination: Self.dbus.destination, path: Self.dbus.path, interface: Self.dbus.interface, member: "NoSuchMethod")
                Issue.record("an unknown method answered")
            } catch let error as BusError {
                #expect(error.name == "org.freedesktop.DBus.Error.UnknownMethod")
            }
            do {
                _ = try bus.call(destination: "org.bluez", path: "/", interface: "org.freedesktop.DBus.ObjectManager", member: "GetManagedObjects")
                Issue.record("a missing service answered")
            } catch let error as BusError {
                #expect(error.name == "org.freedesktop.DBus.Error.ServiceUnknown")
            }
        }
    }

    @Test func valuesKnowTheirSignatures() {
        #expect(BusValue.array(elementSignature: "{sv}", [.dictEntry(.string("a"), .variant(.uint32(1)))]).signature == "a{sv}")
        #expect(BusValue.structure([.objectPath("/"), .byte(1)]).signature == "(oy)")
    }
}

/// The BlueZ D-Bus mock (PyPI bluezoo) as bluetoothd on a private system bus: the nested
/// GetManagedObjects reply (a{oa{sa{sv}}}) reads back whole. Groundwork for the BlueZ backend.
@Suite(.serialized) struct BlueZooBusTests {
    @Test func managedObjectsOfTheMockListItsAdapters() throws {
        try PrivateBus.with { address in
            try PrivateBus.withBlueZoo(address: address, adapters: ["00:00:00:00:00:01", "00:00:00:00:00:02"]) {
                let bus = try Bus.connect(address: address)
                var adapters: [String] = []
                var lastError = ""
                for _ in 0..<50 where adapters.count < 2 {
                    do {
                        let reply = try bus.call(destination: "org.bluez", path: "/",
                                                 interface: "org.freedesktop.DBus.ObjectManager", member: "GetManagedObjects")
                        adapters = Self.adapterAddresses(reply)
                    } catch {
                        lastError = "\(error)"
                    }
                    if adapters.count < 2 { Thread.sleep(forTimeInterval: 0.1) }
                }
                #expect(Set(adapters) == ["00:00:00:00:00:01", "00:00:00:00:00:02"], "last error: \(lastError)")
            }
        }
    }

    /// Addresses of the org.bluez.Adapter1 objects in a GetManagedObjects reply.
    static func adapterAddresses(_ reply: [BusValue]) -> [String] {
        var adapters: [String] = []
        for object in reply.first?.elements ?? [] {
            guard case .dictEntry(.objectPath, .array(_, let interfaces)) = object else { continue }
            for interface in interfaces {
                guard case .dictEntry(.string("org.bluez.Adapter1"), .array(_, let properties)) = interface else { continue }
                for p in properties {
                    if case .dictEntry(.string("Address"), let v) = p, let a = v.text { adapters.append(a) }
                }
            }
        }
        return adapters
    }
}

/// Signals and asynchronous calls, dispatched by the sd-event loop.
@Suite(.serialized) struct BusEventTests {
    @Test func signalsAndAsyncRepliesArriveThroughTheLoop() throws {
        try BusTests.withPrivateBus { address in
            let loop = try EventLoop()
            let bus = try Bus.connect(address: address)
            try bus.attach(to: loop)
            var owners: [String] = []
            var reply: Result<[BusValue], BusError>? = nil
            var unknown: Result<[BusValue], BusError>? = nil
            let watch = try bus.onSignal(sender: "org.freedesktop.DBus", interface: "org.freedesktop.DBus",
                                         member: "NameOwnerChanged") { signal in
                if let name = signal.arguments.first?.text, name == "org.wearableingest.Test" { owners.append(name) }
            }
            let call = try bus.callAsync(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                         interface: "org.freedesktop.DBus", member: "GetId") { reply = $0 }
            let bad = try bus.callAsync(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                        interface: "org.freedesktop.DBus", member: "Nope") { unknown = $0 }
            // A second connection takes a name: the first sees NameOwnerChanged.
            let other = try Bus.connect(address: address)
            try other.requestName("org.wearableingest.Test")
            var ticks = 0
            try loop.addTimer(after: 0.05) {
                ticks += 1
                if (!owners.isEmpty && reply != nil && unknown != nil) || ticks > 100 {
                    loop.exit(code: 0)
                    return nil
                }
                return 0.05
            }
            _ = try loop.run()
            #expect(owners == ["org.wearableingest.Test"])
            if case .success(let values)? = reply { #expect(values.first?.text?.count == 32) } else { Issue.record("no GetId reply") }
            if case .failure(let e)? = unknown { #expect(e.name == "org.freedesktop.DBus.Error.UnknownMethod") } else { Issue.record("no error reply") }
            withExtendedLifetime((watch, call, bad, other)) {}
        }
    }
}
