#!/usr/bin/env python3
"""An ATT server that stands in for a heart-rate strap on the direct backend's wire.

It listens on an AF_UNIX SOCK_SEQPACKET socket (one ATT PDU per packet, as on an LE L2CAP ATT
channel) at DIR/AABBCCDDEEFF.sock, serves a Polar H10-like attribute table (GAP; Heart Rate with
the measurement, its CCCD and Body Sensor Location; Battery) and, once the client has written
0x0001 to the CCCD, plays recorded 0x2A37 values (one hex string per line) as Handle Value
Notifications. Each value is sent once across reconnects.

    att_server.py DIR ADDRESS VALUES.hex [--interval 0.02] [--mtu 185] [--close-after N]
        [--silent] [--refuse-cccd CODE] [--no-heart-rate] [--garbage-every N]

Faults: --close-after closes the connection once after N notifications (the client must
reconnect and rediscover); --silent never answers; --refuse-cccd answers the CCCD write with
that ATT error; --no-heart-rate serves no 0x180D; --garbage-every sends an undecodable PDU and
a notification on another handle every N values.
"""
import argparse
import os
import select
import socket
import struct
import time

MEASUREMENT, CCCD, LOCATION, BATTERY = 0x0C, 0x0D, 0x0F, 0x13


def u16(v):
    return struct.pack("<H", v)


class Server:
    def __init__(self, a):
        self.a = a
        self.values = [bytes.fromhex(l.strip()) for l in open(a.values) if l.strip()]
        self.position = 0
        self.closed_once = False

    def services(self):
        s = [(1, 9, 0x1800)]
        if not self.a.no_heart_rate:
            s.append((0x0A, 0x10, 0x180D))
        s.append((0x11, 0x14, 0x180F))
        return s

    def answer(self, pdu):
        op = pdu[0]
        if op == 0x02:
            return bytes([0x03]) + u16(self.a.mtu)
        if op == 0x10:
            start = struct.unpack_from("<H", pdu, 1)[0]
            page = [s for s in self.services() if s[0] >= start][:2]
            if not page:
                return bytes([0x01, 0x10]) + u16(start) + bytes([0x0A])
            return bytes([0x11, 6]) + b"".join(struct.pack("<HHH", *s) for s in page)
        if op == 0x08:
            start, end = struct.unpack_from("<HH", pdu, 1)
            kind = struct.unpack_from("<H", pdu, 5)[0]
            if kind == 0x2A19:
                return bytes([0x09, 3]) + u16(BATTERY) + bytes([77])
            decls = [d for d in [(0x0B, 0x10, MEASUREMENT, 0x2A37), (0x0E, 0x02, LOCATION, 0x2A38)] if start <= d[0] <= end]
            if not decls or self.a.no_heart_rate:
                return bytes([0x01, 0x08]) + u16(start) + bytes([0x0A])
            return bytes([0x09, 7]) + struct.pack("<HBHH", *decls[0])
        if op == 0x04:
            start, end = struct.unpack_from("<HH", pdu, 1)
            if start <= CCCD <= end:
                return bytes([0x05, 1]) + u16(CCCD) + u16(0x2902)
            return bytes([0x01, 0x04]) + u16(start) + bytes([0x0A])
        if op == 0x0A:
            handle = struct.unpack_from("<H", pdu, 1)[0]
            if handle == LOCATION:
                return bytes([0x0B, 0x01])
            return bytes([0x01, 0x0A]) + u16(handle) + bytes([0x01])
        if op == 0x12:
            handle = struct.unpack_from("<H", pdu, 1)[0]
            if self.a.refuse_cccd is not None:
                return bytes([0x01, 0x12]) + u16(handle) + bytes([self.a.refuse_cccd])
            if handle == CCCD and pdu[3:5] == b"\x01\x00":
                self.streaming = True
            return bytes([0x13])
        if op == 0x1E:
            return None
        return bytes([0x01, op, 0, 0, 0x06])

    def serve(self, conn):
        self.streaming = False
        sent_here = 0
        next_at = time.monotonic()
        while True:
            timeout = max(0.0, next_at - time.monotonic()) if self.streaming else 0.5
            ready, _, _ = select.select([conn], [], [], timeout)
            if ready:
                try:
                    pdu = conn.recv(1024)
                except OSError:
                    return
                if not pdu:
                    return
                if self.a.silent:
                    continue
                reply = self.answer(pdu)
                if reply is not None:
                    conn.send(reply)
                continue
            if not self.streaming or self.position >= len(self.values):
                continue
            value = self.values[self.position]
            conn.send(bytes([0x1B]) + u16(MEASUREMENT) + value)
            self.position += 1
            sent_here += 1
            if self.a.garbage_every and self.position % self.a.garbage_every == 0:
                conn.send(bytes([0x7F, 0x01]))
                conn.send(bytes([0x1B]) + u16(BATTERY) + bytes([76]))
            next_at = time.monotonic() + self.a.interval
            if self.a.close_after is not None and not self.closed_once and sent_here >= self.a.close_after:
                self.closed_once = True
                return


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("dir")
    p.add_argument("address")
    p.add_argument("values")
    p.add_argument("--interval", type=float, default=0.02)
    p.add_argument("--mtu", type=int, default=185)
    p.add_argument("--close-after", type=int)
    p.add_argument("--silent", action="store_true")
    p.add_argument("--refuse-cccd", type=lambda v: int(v, 0))
    p.add_argument("--no-heart-rate", action="store_true")
    p.add_argument("--garbage-every", type=int)
    a = p.parse_args()
    path = os.path.join(a.dir, a.address.replace(":", "").upper() + ".sock")
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(1)
    server = Server(a)
    while True:
        conn, _ = listener.accept()
        with conn:
            server.serve(conn)


if __name__ == "__main__":
    main()
