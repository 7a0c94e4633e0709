import Foundation
import Testing
import TestSupport

/// `systemd/ingestd-dbus.conf` on a bus that denies method calls by default (as Debian's
/// system.conf does): the real ingestd, running as the `ingestd` user that
/// `systemd/ingestd.sysusers` creates, reaches BlueZ through it; another user does not.
@Suite(.serialized) struct DBusPolicyTests {
    /// Debian 12's system.conf defaults, root allowed everything (BlueZoo and the peripherals run
    /// as root, like bluetoothd), and our policy file included as shipped.
    static var policy: String {
        """
        <policy context="default">
          <allow user="*"/>
          <deny own="*"/>
          <deny send_type="method_call"/>
          <allow send_type="signal"/>
          <allow send_requested_reply="true" send_type="method_return"/>
          <allow send_requested_reply="true" send_type="error"/>
          <allow receive_type="method_call"/>
          <allow receive_type="method_return"/>
          <allow receive_type="error"/>
          <allow receive_type="signal"/>
          <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
          <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
        </policy>
        <policy user="root"><allow own="*"/><allow send_destination="*"/></policy>
        <include>\(TestPaths.packageRoot)/systemd/ingestd-dbus.conf</include>
        """
    }

    /// Creates the ingestd system user from our sysusers.d file when it does not exist yet (as
    /// the package's install does); the bus must resolve `<policy user="ingestd">` at load.
    static func ensureUser() throws {
        if try Executable.runTool("/usr/bin/getent", ["passwd", "ingestd"]).status == 0 { return }
        let r = try Executable.runTool("/usr/bin/systemd-sysusers", [TestPaths.packageRoot + "/systemd/ingestd.sysusers"])
        try #require(r.status == 0, "systemd-sysusers: \(r.stderr)")
    }

    /// busctl as `user` (a name or a uid; its group of the same name or id).
    static func busctl(as user: String, address: String, _ arguments: [String]) throws -> Executable.Result {
        let identity = user.allSatisfy(\.isNumber) ? ["--reuid=\(user)", "--regid=\(user)", "--clear-groups"]
            : ["--reuid=\(user)", "--regid=\(user)", "--init-groups"]
        return try Executable.runTool("/usr/bin/setpriv", identity + [
                                                    "/usr/bin/busctl", "--address=\(address)"] + arguments)
    }

    @Test func theIngestdUserReachesBlueZThroughThePolicyAndOthersDoNot() throws {
        try Self.ensureUser()
        let values = try PolarNotifications.first(100)
        try LiveRig.with(straps: 1, policy: Self.policy) { rig in
            let objects = ["call", "org.bluez", "/", "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"]
            let allowed = try Self.busctl(as: "ingestd", address: rig.bus, objects)
            #expect(allowed.status == 0, "ingestd may list BlueZ's objects: \(allowed.stderr)")
            let stranger = try Self.busctl(as: "65534", address: rig.bus, objects)
            #expect(stranger.status != 0 && stranger.stderr.contains("denied"), "nobody may not: \(stranger.stderr)")
            let unlisted = try Self.busctl(as: "ingestd", address: rig.bus,
                                           ["call", "org.bluez", "/org/bluez", "org.bluez.AgentManager1", "RegisterAgent", "os", "/a", ""])
            #expect(unlisted.status != 0 && unlisted.stderr.contains("denied"), "only the interfaces ingestd uses: \(unlisted.stderr)")
            // Within the interfaces it uses, only the methods it calls.
            for call in [["/org/bluez/hci0", "org.bluez.Adapter1", "RemoveDevice", "o", "/org/bluez/hci0/dev_00_00_00_00_00_02"],
                         ["/org/bluez/hci0/dev_00_00_00_00_00_02", "org.bluez.Device1", "Pair"],
                         ["/org/bluez/hci0/dev_00_00_00_00_00_02", "org.bluez.Device1", "ConnectProfile", "s", "0000180d-0000-1000-8000-00805f9b34fb"],
                         ["/org/bluez/hci0/dev_00_00_00_00_00_02/service0/char0/desc0", "org.bluez.GattDescriptor1", "ReadValue", "a{sv}", "0"]] {
                let denied = try Self.busctl(as: "ingestd", address: rig.bus, ["call", "org.bluez"] + call)
                #expect(denied.status != 0 && denied.stderr.contains("denied"), "\(call[2]): \(denied.stderr)")
            }

            // The real daemon as the ingestd user streams a strap through the policy.
            try rig.startStraps([1], values: values, options: ["--interval", "0.01"])
            try rig.startDaemon(as: "ingestd")
            let done = rig.wait(timeout: 20) { $0.first?.int("samples") == values.count }
            #expect(rig.stopDaemon() == 0)
            #expect(done, "\(rig.log)")
        }
    }
}
