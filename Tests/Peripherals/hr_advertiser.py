#!/usr/bin/env python3
"""Test peripheral: advertises a heart-rate strap (service 0x180D) from a BlueZoo adapter.

    DBUS_SYSTEM_BUS_ADDRESS=… python3 Tests/Peripherals/hr_advertiser.py /org/bluez/hci1 "Polar H10 TEST"

Prints "advertising" once BlueZoo accepted the advertisement, then serves until killed.
The strap adapter itself stays non-discoverable (BLUEZOO.md: a discoverable adapter also yields
a BR/EDR device at the same path).
"""
import asyncio, sys
import sdbus

HEART_RATE = "0000180d-0000-1000-8000-00805f9b34fb"


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


class AdvertisingManager(sdbus.DbusInterfaceCommonAsync, interface_name="org.bluez.LEAdvertisingManager1"):
    @sdbus.dbus_method_async(input_signature="oa{sv}", result_signature="")
    async def RegisterAdvertisement(self, path: str, options: dict) -> None:
        raise NotImplementedError


async def main(adapter, name):
    sdbus.set_default_bus(sdbus.sd_bus_open_system())
    advertisement = Advertisement(name)
    advertisement.export_to_dbus("/org/wearableingest/advertisement0")
    manager = AdvertisingManager.new_proxy("org.bluez", adapter)
    await manager.RegisterAdvertisement("/org/wearableingest/advertisement0", {})
    print("advertising", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
