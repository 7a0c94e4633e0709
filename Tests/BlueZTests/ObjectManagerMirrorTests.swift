import BlueZ
import Glibc
import HeartRateWire
import Foundation
import SystemdKit
import Testing
import TestSupport

@Suite struct ObjectManagerMirrorTests {
    static func props(_ pairs: [(String, BusValue)]) -> BusValue {
        .array(elementSignature: "{sv}", pairs.map { .dictEntry(.string($0.0), .variant($0.1)) })
    }

    static func interfaces(_ list: [(String, BusValue)]) -> BusValue {
        .array(elementSignature: "{sa{sv}}", list.map { .dictEntry(.string($0.0), $0.1) })
    }

    @Test func loadAddRemoveAndChange() {
        var m = ObjectManagerMirror()
        m.load(managedObjects: [.array(elementSignature: "{oa{sa{sv}}}", [
            .dictEntry(.objectPath("/org/bluez/hci0"), Self.interfaces([("org.bluez.Adapter1", Self.props([("Address", .string("00:00:00:00:00:01")), ("Powered", .bool(true))]))])),
        ])])
        #expect(m.paths(implementing: "org.bluez.Adapter1") == ["/org/bluez/hci0"])
        let dev = "/org/bluez/hci0/dev_A0_9E_1A_00_00_01"
        m.interfacesAdded([.objectPath(dev), Self.interfaces([("org.bluez.Device1", Self.props([
            ("Name", .string("Polar H10 1234")), ("UUIDs", .array(elementSignature: "s", [.string("0000180d-0000-1000-8000-00805f9b34fb")])),
            ("Connected", .bool(false))]))])])
        #expect(m.property("Name", of: dev, interface: "org.bluez.Device1")?.text == "Polar H10 1234")
        m.propertiesChanged(path: dev, [.string("org.bluez.Device1"), Self.props([("Connected", .bool(true))]),
                                        .array(elementSignature: "s", [.string("Name")])])
        #expect(m.property("Connected", of: dev, interface: "org.bluez.Device1") == .bool(true))
        #expect(m.property("Name", of: dev, interface: "org.bluez.Device1") == nil, "invalidated")
        m.propertiesChanged(path: "/nowhere", [.string("org.bluez.Device1"), Self.props([("Connected", .bool(true))])])
        #expect(m.objects["/nowhere"] == nil, "changes for unknown objects are ignored")
        m.interfacesRemoved([.objectPath(dev), .array(elementSignature: "s", [.string("org.bluez.Device1")])])
        #expect(m.objects[dev] == nil)
    }

    @Test func propertiesOfTheWrongTypeMakeNoStrapAndNoCharacteristic() {
        var m = ObjectManagerMirror()
        let good = "/org/bluez/hci0/dev_00_00_00_00_00_02", odd = "/org/bluez/hci0/dev_00_00_00_00_00_03"
        let hr = BusValue.array(elementSignature: "s", [.string("0000180d-0000-1000-8000-00805f9b34fb")])
        m.load(managedObjects: [.array(elementSignature: "{oa{sa{sv}}}", [
            .dictEntry(.objectPath(good), Self.interfaces([("org.bluez.Device1", Self.props([("Address", .string("00:00:00:00:00:02")), ("UUIDs", hr)]))])),
            // UUIDs as one string, Address as a number: not what BlueZ's API says.
            .dictEntry(.objectPath(odd), Self.interfaces([("org.bluez.Device1", Self.props([("Address", .uint32(3)),
                                                                                            ("UUIDs", .string("0000180d-0000-1000-8000-00805f9b34fb"))]))])),
            .dictEntry(.objectPath(good + "/service0001/char0002"), Self.interfaces([("org.bluez.GattCharacteristic1",
                                                                                     Self.props([("UUID", .array(elementSignature: "y", [.byte(0x37), .byte(0x2a)]))]))])),
        ])])
        #expect(StrapDiscovery.straps(in: m, adapter: "/org/bluez/hci0").map(\.path) == [good])
        #expect(StrapGATT.measurementCharacteristic(of: good, in: m) == nil, "a UUID that is not a string names nothing")
        #expect(!StrapGATT.servicesResolved(good, in: m))
    }
}

/// BlueZoo (the BlueZ mock) as bluetoothd with two adapters on a private system bus, an event loop,
/// a bus attached to it and a mirror that has seen both adapters.
enum MockBlueZ {
    static func with(_ body: (String, EventLoop, Bus, BlueZObjects) throws -> Void) throws {
        try PrivateBus.with { address in
            try PrivateBus.withBlueZoo(address: address, adapters: ["00:00:00:00:00:01", "00:00:00:00:00:02"]) {
                let loop = try EventLoop()
                let bus = try Bus.connect(address: address)
                try bus.attach(to: loop)
                // Loaded synchronously here (a test may wait; the daemon never does).
                let o = try BlueZObjects(bus: bus)
                for _ in 0..<50 where o.mirror.paths(implementing: BlueZObjects.adapterInterface).count != 2 {
                    if let reply = try? bus.call(destination: BlueZObjects.service, path: "/", interface: "org.freedesktop.DBus.ObjectManager",
                                                 member: "GetManagedObjects") {
                        o.load(managedObjects: reply)
                    }
                    if o.mirror.paths(implementing: BlueZObjects.adapterInterface).count != 2 { Thread.sleep(forTimeInterval: 0.1) }
                }
                try #require(o.mirror.paths(implementing: BlueZObjects.adapterInterface).count == 2, "BlueZoo's adapters never appeared")
                try body(address, loop, bus, o)
            }
        }
    }
}

/// The mirror follows BlueZoo (the BlueZ mock) through real signals on a private system bus.
@Suite(.serialized) struct BlueZObjectsTests {
    @Test func followsPropertyChangesFromTheMock() throws {
        try MockBlueZ.with { _, loop, _, o in
            let adapter = o.mirror.paths(implementing: BlueZObjects.adapterInterface)[0]
            #expect(o.mirror.property("Powered", of: adapter, interface: BlueZObjects.adapterInterface) == .bool(true))
            var answered = false
            o.set("Powered", of: adapter, interface: BlueZObjects.adapterInterface, to: .bool(false)) { error in
                #expect(error == nil)
                answered = true
            }
            var ticks = 0
            try loop.addTimer(after: 0.05) {
                ticks += 1
                if o.mirror.property("Powered", of: adapter, interface: BlueZObjects.adapterInterface) == .bool(false) || ticks > 60 {
                    loop.exit(code: 0)
                    return nil
                }
                return 0.05
            }
            _ = try loop.run()
            #expect(answered, "the Set call was answered on the loop")
            #expect(o.mirror.property("Powered", of: adapter, interface: BlueZObjects.adapterInterface) == .bool(false),
                    "PropertiesChanged reached the mirror")
        }
    }
}

/// A simulated strap (Tests/Peripherals/hr_strap.py on a second BlueZoo adapter) is found
/// by LE discovery filtered on the Heart Rate service.
@Suite(.serialized) struct StrapDiscoveryTests {
    @Test func discoversAnAdvertisingHeartRateStrap() throws {
        try MockBlueZ.with { address, loop, bus, o in
            let advertiser = try PrivateBus.startPeripheral(address: address, script: "hr_strap.py",
                                                             arguments: ["/org/bluez/hci1,Polar H10 TEST"])
            defer { PrivateBus.stop(advertiser) }
            StrapDiscovery.start(on: "/org/bluez/hci0", objects: o) { error in #expect(error == nil) }
            var found: [DiscoveredStrap] = []
            var ticks = 0
            try loop.addTimer(after: 0.1) {
                ticks += 1
                found = StrapDiscovery.straps(in: o.mirror, adapter: "/org/bluez/hci0")
                if !found.isEmpty || ticks > 100 {
                    // Stop scanning before the loop exits: sd-bus closes an attached bus then.
                    StrapDiscovery.stop(on: "/org/bluez/hci0", objects: o) { error in
                        #expect(error == nil)
                        loop.exit(code: 0)
                    }
                    return nil
                }
                return 0.1
            }
            _ = try loop.run()
            #expect(found.map(\.address) == ["00:00:00:00:00:02"])
            #expect(found.first?.name == "Polar H10 TEST")
            #expect(found.first?.connected == false)
        }
    }
}

/// A simulated strap with a GATT Heart Rate service: connect, find 0x2A37, AcquireNotify, and
/// read the notification bytes — real RR from the Polar log — exactly as sent.
@Suite(.serialized) struct StrapLinkTests {
    @Test func notificationsArriveBitForBitThroughAcquireNotify() throws {
        let values = try PolarNotifications.first(200)
        let dir = try FileBytes.temporaryDirectory("strap")
        let file = dir + "/notifications.hex"
        try PolarNotifications.writeHex(values, to: file)
        try MockBlueZ.with { address, loop, bus, o in
            let strap = try PrivateBus.startPeripheral(address: address, script: "hr_strap.py",
                                                       arguments: ["/org/bluez/hci1,Polar H10 SIM," + file])
            defer { PrivateBus.stop(strap) }
            StrapDiscovery.start(on: "/org/bluez/hci0", objects: o) { error in #expect(error == nil) }

            enum Step { case discovering, connecting(String), streaming, done }
            var step = Step.discovering
            var received: [[UInt8]] = []
            var failure: String? = nil
            var notifications: CallbackRegistration? = nil
            var ticks = 0
            try loop.addTimer(after: 0.05) {
                ticks += 1
                do {
                    switch step {
                    case .discovering:
                        if let found = StrapDiscovery.straps(in: o.mirror, adapter: "/org/bluez/hci0").first {
                            StrapDiscovery.stop(on: "/org/bluez/hci0", objects: o) { _ in }
                            _ = try bus.call(destination: BlueZObjects.service, path: found.path, interface: BlueZObjects.deviceInterface, member: "Connect", timeout: 20)
                            step = .connecting(found.path)
                        }
                    case .connecting(let device):
                        if StrapGATT.servicesResolved(device, in: o.mirror),
                           let characteristic = StrapGATT.measurementCharacteristic(of: device, in: o.mirror) {
                            let reply = try bus.call(destination: BlueZObjects.service, path: characteristic,
                                                     interface: BlueZObjects.characteristicInterface, member: "AcquireNotify",
                                                     arguments: [.array(elementSignature: "{sv}", [])], timeout: 5)
                            guard case .unixFD(let fd)? = reply.first else { throw BusError.malformed("AcquireNotify answered \(reply)") }
                            notifications = try loop.addReadable(fd: fd) { _ in
                                var buffer = [UInt8](repeating: 0, count: 512)
                                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 512, Int32(MSG_DONTWAIT)) }
                                if n > 0 { received.append(Array(buffer[0..<n])) }
                            }
                            step = .streaming
                        }
                    case .streaming:
                        if received.count >= values.count { step = .done }
                    case .done:
                        break
                    }
                } catch {
                    failure = "\(error)"
                    step = .done
                }
                if case .done = step {
                    loop.exit(code: 0)
                    return nil
                }
                if ticks > 400 {
                    failure = "timed out in \(step) with \(received.count) notifications"
                    loop.exit(code: 0)
                    return nil
                }
                return 0.05
            }
            _ = try loop.run()
            notifications?.cancel()
            #expect(failure == nil, "\(failure ?? "")")
            #expect(received == values, "every notification arrives as sent, in order")
            let decoded = try received.map { try HeartRateMeasurement(decoding: $0) }
            #expect(decoded.flatMap { Array($0.rrIntervals) }.count == values.count * 2)
        }
    }
}
