#!/usr/bin/env python3
"""Writes a btsnoop capture of a heart-rate strap session, as `btmon -w` records it, from
recorded 0x2A37 notification values (one hex string per line).

The capture holds what a Linux central sees on the HCI: an LE Connection Complete event naming
the strap, the client's ATT discovery (Exchange MTU, Read By Group Type for primary services,
Read By Type for the Heart Rate service's characteristics, Find Information, the CCCD write) and
then one Handle Value Notification per value, plus Battery Level notifications on another handle
that a reader must not mistake for heart rate. Options cut the ACL packets into fragments and
leave the discovery out (a capture started mid-session). `--also VALUES.hex ADDRESS` adds
another strap on a second LE connection (its own handle, discovery and notifications,
interleaved in time with the first), as a gateway with two straps records it.

    python3 scripts/make_btsnoop.py VALUES.hex OUT.btsnoop [--address A0:9E:1A:12:34:56]
        [--start 1700000000] [--interval 1.0] [--fragment 8] [--no-discovery] [--datalink 2001|1002]
        [--also VALUES2.hex A0:9E:1A:00:00:02 ...]
"""
import argparse
import struct

BTSNOOP_EPOCH_DELTA = 0x00DCDDB30F2F8000  # µs from 0000-01-01 to 1970-01-01
HR_SERVICE_START, HR_MEASUREMENT_DECL, HR_VALUE, HR_CCCD, HR_SERVICE_END = 0x000A, 0x000B, 0x000C, 0x000D, 0x0010
BATTERY_VALUE = 0x0013
CONNECTION = 0x0040


class Capture:
    def __init__(self, datalink):
        self.datalink = datalink
        self.records = []

    def record(self, time, opcode_2001, packet_type, received, payload):
        if self.datalink == 2001:
            flags, data = opcode_2001, payload
        else:  # 1002: H4 packet type byte, direction bit
            flags, data = (1 if received else 0) | (2 if packet_type in (1, 4) else 0), bytes([packet_type]) + payload
        ts = int(round(time * 1e6)) + BTSNOOP_EPOCH_DELTA
        self.records.append(struct.pack(">IIIIq", len(data), len(data), flags, 0, ts) + data)

    def event(self, time, body):
        self.record(time, 3, 4, True, body)

    def att(self, time, pdu, received, fragment, connection=CONNECTION):
        frame = struct.pack("<HH", len(pdu), 4) + pdu
        chunks = [frame[i:i + fragment] for i in range(0, len(frame), fragment)] if fragment else [frame]
        for n, chunk in enumerate(chunks):
            boundary = 0x2 if n == 0 else 0x1
            acl = struct.pack("<HH", connection | boundary << 12, len(chunk)) + chunk
            self.record(time, 5 if received else 4, 2, received, acl)

    def bytes(self):
        return b"btsnoop\0" + struct.pack(">II", 1, self.datalink) + b"".join(self.records)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("values")
    p.add_argument("out")
    p.add_argument("--address", default="A0:9E:1A:12:34:56")
    p.add_argument("--start", type=float, default=1_700_000_000.0)
    p.add_argument("--interval", type=float, default=1.0)
    p.add_argument("--fragment", type=int, default=0, help="cut L2CAP frames into ACL packets of this many bytes")
    p.add_argument("--no-discovery", action="store_true")
    p.add_argument("--datalink", type=int, choices=(2001, 1002), default=2001)
    p.add_argument("--also", nargs=2, action="append", default=[], metavar=("VALUES", "ADDRESS"),
                   help="another strap on its own LE connection")
    a = p.parse_args()
    straps = [(a.values, a.address)] + [tuple(x) for x in a.also]
    c = Capture(a.datalink)
    f = a.fragment
    streams = []
    for k, (path, address_text) in enumerate(straps):
        connection = CONNECTION + k
        values = [bytes.fromhex(line.strip()) for line in open(path) if line.strip()]
        t = a.start
        address = bytes(int(x, 16) for x in reversed(address_text.split(":")))
        # LE Connection Complete: status 0, handle, role central, public peer address, timing.
        c.event(t, bytes([0x3E, 19, 0x01, 0x00]) + struct.pack("<H", connection) + bytes([0x00, 0x00]) + address
                + struct.pack("<HHHB", 24, 0, 400, 0))
        if not a.no_discovery:
            def att(pdu, received):
                c.att(t, pdu, received, f, connection)
            att(bytes([0x02]) + struct.pack("<H", 247), False)
            att(bytes([0x03]) + struct.pack("<H", 232), True)
            att(bytes([0x10]) + struct.pack("<HHH", 1, 0xFFFF, 0x2800), False)
            att(bytes([0x11, 6]) + struct.pack("<HHH", 1, 9, 0x1800) + struct.pack("<HHH", HR_SERVICE_START, HR_SERVICE_END, 0x180D)
                + struct.pack("<HHH", 0x11, 0x14, 0x180F), True)
            att(bytes([0x08]) + struct.pack("<HHH", HR_SERVICE_START, HR_SERVICE_END, 0x2803), False)
            att(bytes([0x09, 7]) + struct.pack("<HBHH", HR_MEASUREMENT_DECL, 0x10, HR_VALUE, 0x2A37)
                + struct.pack("<HBHH", 0x000E, 0x02, 0x000F, 0x2A38), True)
            att(bytes([0x04]) + struct.pack("<HH", HR_CCCD, HR_CCCD), False)
            att(bytes([0x05, 1]) + struct.pack("<HH", HR_CCCD, 0x2902), True)
            att(bytes([0x12]) + struct.pack("<HH", HR_CCCD, 1), False)
            att(bytes([0x13]), True)
        streams.append((connection, values, k))
    # Notifications of every strap in time order (at one time: the first strap first).
    events = []
    for connection, values, k in streams:
        for i, v in enumerate(values):
            events.append((a.start + (i + 1) * a.interval, k, i, connection, v))
    events.sort()
    last = {}
    for t, k, i, connection, v in events:
        c.att(t, bytes([0x1B]) + struct.pack("<H", HR_VALUE) + v, True, f, connection)
        if i % 60 == 0:
            c.att(t, bytes([0x1B]) + struct.pack("<H", BATTERY_VALUE) + bytes([87]), True, f, connection)
        last[connection] = t
    # Disconnection Complete of each connection.
    for connection, _, _ in streams:
        c.event(last.get(connection, a.start), bytes([0x05, 4, 0x00]) + struct.pack("<H", connection) + bytes([0x13]))
    with open(a.out, "wb") as out:
        out.write(c.bytes())


if __name__ == "__main__":
    main()
