#!/usr/bin/env python3
"""Test peripherals: heart-rate straps on BlueZoo adapters. Each strap is an LE advertisement for
0x180D and a GATT application with Heart Rate Measurement (0x2A37, notify), Body Sensor Location
(0x2A38, read) and a Battery service (0x180F / 0x2A19, read + notify). Once a central subscribes,
the strap sends the 0x2A37 values of its NOTIFICATIONS file (one hex string per line; a line
`empty` is a 0-byte notification), one per datagram on an AF_UNIX SOCK_SEQPACKET socket as
bluetoothd does (AcquireNotify), or as PropertiesChanged(Value) (StartNotify).

    DBUS_SYSTEM_BUS_ADDRESS=… python3 Tests/Peripherals/hr_strap.py [options] ADAPTER,NAME[,NOTIFICATIONS] …

Options (the faults the daemon must survive):
  --interval S       seconds between notifications (default 0.005)
  --mode M           acquire (default): AcquireNotify answers with a socket;
                     refuse: a central's AcquireNotify fails with org.bluez.Error.NotPermitted;
                     hang: a central's AcquireNotify never answers;
                     in both, StartNotify still works (values as PropertiesChanged(Value))
  --drop-after N     after N notifications close the socket once (the link ends, as on a
                     disconnect); the next subscription resumes where it stopped
  --stall-after N    after N notifications go silent once without closing anything; the next
                     subscription resumes where it stopped
  --no-measurement   the Heart Rate service has no 0x2A37 characteristic
  --battery P        battery level in percent (default 87)
  --ecg FRAMES       also serve Polar's Measurement Data service (control point: write +
                     indicate; data: notify): a write of the ECG start request is answered on the
                     control point with status --ecg-status (default 0 = success) and, on
                     success, the PMD frames of FRAMES (hex per line) follow on the data
                     characteristic, each once across resubscriptions

Prints "ready" once BlueZoo accepted every registration, then serves until killed. When
org.bluez gets a new owner (bluetoothd restarted) every strap registers again, as a real strap
would be found again. The strap adapters stay non-discoverable (BLUEZOO.md).
"""
import argparse, asyncio, socket, sys
import sdbus

HEART_RATE = "0000180d-0000-1000-8000-00805f9b34fb"
MEASUREMENT = "00002a37-0000-1000-8000-00805f9b34fb"
LOCATION = "00002a38-0000-1000-8000-00805f9b34fb"
BATTERY_SERVICE = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL = "00002a19-0000-1000-8000-00805f9b34fb"
PMD_SERVICE = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
PMD_CONTROL = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
PMD_DATA = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"


class Advertisement(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.LEAdvertisement1"):
    def __init__(self, name):
        super().__init__()
        self.name = name

    @sdbus.dbus_method_async(input_signature="", result_signature="")
    async def Release(self) -> None:
        return None

    @sdbus.dbus_property_async(property_signature="s")
    def Type(self) -> str:
        return "peripheral"

    @sdbus.dbus_property_async(property_signature="as")
    def ServiceUUIDs(self) -> list:
        return [HEART_RATE]

    @sdbus.dbus_property_async(property_signature="s")
    def LocalName(self) -> str:
        return self.name

    @sdbus.dbus_property_async(property_signature="b")
    def Discoverable(self) -> bool:
        return True


class Service(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.GattService1"):
    def __init__(self, uuid):
        super().__init__()
        self.uuid = uuid

    @sdbus.dbus_property_async(property_signature="s")
    def UUID(self) -> str:
        return self.uuid

    @sdbus.dbus_property_async(property_signature="b")
    def Primary(self) -> bool:
        return True


class Characteristic(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.GattCharacteristic1"):
    """A characteristic: a fixed readable value, or the measurement played by a Player."""

    def __init__(self, uuid, service, flags, value=b"", player=None, mode="acquire", mtu=23, on_write=None):
        super().__init__()
        self.uuid, self.service, self.flags, self.value = uuid, service, flags, value
        self.player, self.mode, self.peer = player, mode, None
        # mtu: what AcquireNotify reports (BlueZoo reads at most that much per datagram);
        # on_write: called with each written value; send: the current subscription's sender.
        self.mtu, self.on_write, self.send = mtu, on_write, None

    @sdbus.dbus_property_async(property_signature="s")
    def UUID(self) -> str:
        return self.uuid

    @sdbus.dbus_property_async(property_signature="o")
    def Service(self) -> str:
        return self.service

    @sdbus.dbus_property_async(property_signature="as")
    def Flags(self) -> list:
        return self.flags

    @sdbus.dbus_property_async(property_signature="ay")
    def Value(self) -> bytes:
        return self.value

    @Value.setter_private
    def _set_value(self, value: bytes) -> None:
        self.value = value

    @sdbus.dbus_property_async(property_signature="b")
    def NotifyAcquired(self) -> bool:
        return self.peer is not None

    @sdbus.dbus_method_async(input_signature="a{sv}", result_signature="ay")
    async def ReadValue(self, options: dict) -> bytes:
        return self.value

    @sdbus.dbus_method_async(input_signature="a{sv}", result_signature="hq")
    async def AcquireNotify(self, options: dict) -> tuple:
        # A central's AcquireNotify reaches us with its own (empty) options; BlueZoo's StartNotify
        # acquires with "link" set. The faults apply to the central's AcquireNotify only, so a
        # refused or hanging AcquireNotify still leaves StartNotify working, as on real straps.
        if "link" not in options and self.mode == "refuse":
            raise NotPermitted("Notify acquisition refused")
        if "link" not in options and self.mode == "hang":
            await asyncio.Event().wait()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        if self.peer:
            self.peer.close()
        self.peer = ours

        def send(value):
            try:
                ours.close() if value is None else ours.send(value)
                return True
            except OSError:
                return False
        self.send = send
        if self.player:
            self.player.start(send)
        elif self.value:
            send(self.value)
        # Our copy of the central's end is closed once the reply carried it, so that a central
        # that closes its end makes send() fail (else values would vanish into a leaked socket).
        asyncio.get_running_loop().call_later(1.0, theirs.close)
        return (theirs.fileno(), self.mtu)

    @sdbus.dbus_method_async(input_signature="aya{sv}", result_signature="")
    async def WriteValue(self, value: bytes, options: dict) -> None:
        if not self.on_write:
            raise NotPermitted("Write not permitted")
        self.on_write(bytes(value))

    @sdbus.dbus_method_async(input_signature="", result_signature="")
    async def StartNotify(self) -> None:
        return None

    @sdbus.dbus_method_async(input_signature="", result_signature="")
    async def StopNotify(self) -> None:
        return None

    @sdbus.dbus_method_async(input_signature="", result_signature="")
    async def Confirm(self) -> None:
        return None


class Player:
    """Plays one strap's notifications once, through whichever subscription is current."""

    def __init__(self, values, options):
        self.values, self.options = values, options
        self.position = 0
        self.faulted = False
        self.task = None

    def start(self, send):
        if self.task:
            self.task.cancel()
        self.task = asyncio.get_running_loop().create_task(self.play(send))

    async def play(self, send):
        await asyncio.sleep(0.2)
        while self.position < len(self.values):
            if not self.faulted and self.options.drop_after is not None and self.position == self.options.drop_after:
                self.faulted = True
                send(None)
                return
            if not self.faulted and self.options.stall_after is not None and self.position == self.options.stall_after:
                self.faulted = True
                return
            if not send(self.values[self.position]):
                return  # nobody listens (link gone): resume here on the next subscription
            self.position += 1
            await asyncio.sleep(self.options.interval)


class NotPermitted(sdbus.DbusFailedError):
    dbus_error_name = "org.bluez.Error.NotPermitted"


class GattManager(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.GattManager1"):
    @sdbus.dbus_method_async(input_signature="oa{sv}", result_signature="")
    async def RegisterApplication(self, application: str, options: dict) -> None:
        raise NotImplementedError


class AdvertisingManager(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.LEAdvertisingManager1"):
    @sdbus.dbus_method_async(input_signature="oa{sv}", result_signature="")
    async def RegisterAdvertisement(self, path: str, options: dict) -> None:
        raise NotImplementedError


class DBus(sdbus.DbusInterfaceCommonAsync, interface_name="org.freedesktop.DBus"):
    @sdbus.dbus_method_async(input_signature="s", result_signature="s")
    async def GetNameOwner(self, name: str) -> str:
        raise NotImplementedError


def export_strap(index, name, values, options):
    app = f"/org/wearableingest/strap{index}"
    manager = sdbus.DbusObjectManagerInterfaceAsync()
    manager.export_to_dbus(app)
    objects = [(app + "/service0", Service(HEART_RATE))]
    if not options.no_measurement:
        player = Player(values, options)
        objects.append((app + "/service0/char0", Characteristic(MEASUREMENT, app + "/service0", ["notify"],
                                                                player=player, mode=options.mode)))
    objects.append((app + "/service0/char1", Characteristic(LOCATION, app + "/service0", ["read"], bytes([1]))))
    objects.append((app + "/service1", Service(BATTERY_SERVICE)))
    objects.append((app + "/service1/char0", Characteristic(BATTERY_LEVEL, app + "/service1", ["read", "notify"],
                                                            bytes([options.battery]))))
    if options.ecg:
        with open(options.ecg) as f:
            frames = [bytes.fromhex(line.strip()) for line in f if line.strip()]
        ecg = Player(frames, argparse.Namespace(interval=options.interval, drop_after=None, stall_after=None))
        data = Characteristic(PMD_DATA, app + "/service2", ["notify"], mtu=232)

        def control_written(value):
            answer = bytes([0xF0, value[0], value[1] if len(value) > 1 else 0, options.ecg_status, 0])
            if control.send:
                control.send(answer)
            if value[:2] == b"\x02\x00" and options.ecg_status == 0 and data.send:
                ecg.start(data.send)
        control = Characteristic(PMD_CONTROL, app + "/service2", ["read", "write", "indicate"], mtu=232, on_write=control_written)
        objects += [(app + "/service2", Service(PMD_SERVICE)), (app + "/service2/char0", control), (app + "/service2/char1", data)]
    for path, obj in objects:
        manager.export_with_manager(path, obj)
    advertisement = Advertisement(name)
    advertisement.export_to_dbus(f"/org/wearableingest/advertisement{index}")
    return app, f"/org/wearableingest/advertisement{index}", (manager, objects, advertisement)


async def register(straps):
    for adapter, app, advertisement in straps:
        await GattManager.new_proxy("org.bluez", adapter).RegisterApplication(app, {})
        await AdvertisingManager.new_proxy("org.bluez", adapter).RegisterAdvertisement(advertisement, {})


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("straps", nargs="+", help="ADAPTER,NAME[,NOTIFICATIONS]")
    parser.add_argument("--interval", type=float, default=0.005)
    parser.add_argument("--mode", choices=["acquire", "refuse", "hang"], default="acquire")
    parser.add_argument("--drop-after", type=int)
    parser.add_argument("--stall-after", type=int)
    parser.add_argument("--no-measurement", action="store_true")
    parser.add_argument("--battery", type=int, default=87)
    parser.add_argument("--ecg")
    parser.add_argument("--ecg-status", type=int, default=0)
    options = parser.parse_args()
    sdbus.set_default_bus(sdbus.sd_bus_open_system())
    registered, keep = [], []
    for index, spec in enumerate(options.straps):
        adapter, name, *rest = spec.split(",")
        values = []
        if rest:
            with open(rest[0]) as f:
                values = [b"" if line.strip() == "empty" else bytes.fromhex(line.strip()) for line in f if line.strip()]
        app, advertisement, objects = export_strap(index, name, values, options)
        keep.append(objects)
        registered.append((adapter, app, advertisement))
    dbus = DBus.new_proxy("org.freedesktop.DBus", "/org/freedesktop/DBus")
    owner = await dbus.GetNameOwner("org.bluez")
    await register(registered)
    print("ready", flush=True)
    while True:
        await asyncio.sleep(0.3)
        try:
            now = await dbus.GetNameOwner("org.bluez")
        except Exception:
            continue
        if now != owner:
            await asyncio.sleep(0.5)
            try:
                await register(registered)
                owner = now
            except Exception:
                pass


if __name__ == "__main__":
    asyncio.run(main())
