#!/usr/bin/env python3
"""Test peripheral: a heart-rate strap on a BlueZoo adapter — an LE advertisement for 0x180D and
a GATT application with Heart Rate Measurement (0x2A37, notify via AcquireNotify). Once a
central acquires notifications it sends the 0x2A37 values in NOTIFICATIONS (one hex string per
line), one per datagram on an AF_UNIX SOCK_SEQPACKET socket, as bluetoothd does.

    DBUS_SYSTEM_BUS_ADDRESS=… python3 Tests/Peripherals/hr_strap.py /org/bluez/hci1 NAME [NOTIFICATIONS]

Without NOTIFICATIONS it only advertises and serves the GATT objects (discovery tests).
Prints "ready" once BlueZoo accepted both registrations, then serves until killed. The strap
adapter itself stays non-discoverable (BLUEZOO.md: a discoverable adapter also yields a BR/EDR
device at the same path).
"""
import asyncio, socket, sys
import sdbus

HEART_RATE = "0000180d-0000-1000-8000-00805f9b34fb"
MEASUREMENT = "00002a37-0000-1000-8000-00805f9b34fb"
APP = "/org/wearableingest/strap"


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
    @sdbus.dbus_property_async(property_signature="s")
    def UUID(self) -> str:
        return HEART_RATE

    @sdbus.dbus_property_async(property_signature="b")
    def Primary(self) -> bool:
        return True


class Measurement(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.GattCharacteristic1"):
    def __init__(self, values):
        super().__init__()
        self.values = values
        self.peer = None

    @sdbus.dbus_property_async(property_signature="s")
    def UUID(self) -> str:
        return MEASUREMENT

    @sdbus.dbus_property_async(property_signature="o")
    def Service(self) -> str:
        return APP + "/service0"

    @sdbus.dbus_property_async(property_signature="as")
    def Flags(self) -> list:
        return ["notify"]

    @sdbus.dbus_property_async(property_signature="b")
    def NotifyAcquired(self) -> bool:
        return self.peer is not None

    @sdbus.dbus_method_async(input_signature="a{sv}", result_signature="hq")
    async def AcquireNotify(self, options: dict) -> tuple:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.peer = ours
        asyncio.get_running_loop().create_task(self.play())
        return (theirs.detach(), 23)

    @sdbus.dbus_method_async(input_signature="", result_signature="")
    async def StartNotify(self) -> None:
        return None

    @sdbus.dbus_method_async(input_signature="", result_signature="")
    async def StopNotify(self) -> None:
        return None

    @sdbus.dbus_method_async(input_signature="", result_signature="")
    async def Confirm(self) -> None:
        return None

    async def play(self):
        await asyncio.sleep(0.2)
        for v in self.values:
            self.peer.send(v)
            await asyncio.sleep(0.005)


class GattManager(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.GattManager1"):
    @sdbus.dbus_method_async(input_signature="oa{sv}", result_signature="")
    async def RegisterApplication(self, application: str, options: dict) -> None:
        raise NotImplementedError


class AdvertisingManager(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.LEAdvertisingManager1"):
    @sdbus.dbus_method_async(input_signature="oa{sv}", result_signature="")
    async def RegisterAdvertisement(self, path: str, options: dict) -> None:
        raise NotImplementedError


async def main(adapter, name, notifications):
    sdbus.set_default_bus(sdbus.sd_bus_open_system())
    values = []
    if notifications:
        with open(notifications) as f:
            values = [bytes.fromhex(line.strip()) for line in f if line.strip()]
    manager = sdbus.DbusObjectManagerInterfaceAsync()
    manager.export_to_dbus(APP)
    service, measurement = Service(), Measurement(values)
    manager.export_with_manager(APP + "/service0", service)
    manager.export_with_manager(APP + "/service0/char0", measurement)
    await GattManager.new_proxy("org.bluez", adapter).RegisterApplication(APP, {})
    advertisement = Advertisement(name)
    advertisement.export_to_dbus("/org/wearableingest/advertisement0")
    await AdvertisingManager.new_proxy("org.bluez", adapter).RegisterAdvertisement("/org/wearableingest/advertisement0", {})
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
