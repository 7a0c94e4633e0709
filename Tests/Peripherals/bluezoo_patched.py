#!/usr/bin/env python3
"""BlueZoo 1.0.2 as the test bluetoothd, with the smallest patch that lets a strap reconnect.

    DBUS_SYSTEM_BUS_ADDRESS=… python3 Tests/Peripherals/bluezoo_patched.py --auto-enable -a ADDR …

What it fixes (the limits of BlueZoo 1.0.2 the team measured), and nothing else:
- `Device1.Disconnect` only set Connected=False: ServicesResolved stayed true and the GATT objects
  stayed exported. Now ServicesResolved goes false and the GATT objects are removed, as
  bluetoothd does on a disconnect.
- The next `Device1.Connect` failed with EEXIST (it exported the same GATT objects again). Now any
  objects left from an earlier link are removed first.
Arguments are BlueZoo's own. A test tool only (BlueZoo is GPL-2.0): never shipped or linked.
"""
import sys

from bluezoo import bluezoo
from bluezoo.device import Device

_connect, _disconnect = Device.connect, Device.disconnect


async def _unlink(device):
    for link in device.services.values():
        device.peer_adapter.mock.remove_object(link)
    device.services.clear()
    if device.services_resolved:
        await device.ServicesResolved.set_async(False)


async def connect(self, uuid=None):
    await _unlink(self)
    await _connect(self, uuid)


async def disconnect(self, uuid=None):
    await _disconnect(self, uuid)
    await _unlink(self)


Device.connect, Device.disconnect = connect, disconnect

if __name__ == "__main__":
    sys.argv[0] = "bluezoo"
    sys.exit(bluezoo.main())
