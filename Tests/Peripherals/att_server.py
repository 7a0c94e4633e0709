#!/usr/bin/env python3
"""An ATT server that stands in for a heart-rate strap on the direct backend's wire.

It listens on an AF_UNIX SOCK_SEQPACKET socket (one ATT PDU per packet, as on an LE L2CAP ATT
channel) at DIR/AABBCCDDEEFF.sock, serves a Polar H10-like attribute table (GAP; Heart Rate with
the measurement, its CCCD and Body Sensor Location; Battery) and, once the client has written
0x0001 to the CCCD, plays recorded 0x2A37 values (one hex string per line) as Handle Value
Notifications. Each value is sent once across reconnects.

    att_server.py DIR ADDRESS VALUES.hex [--interval 0.02] [--mtu 232] [--close-after N]
        [--silent] [--refuse-cccd CODE] [--no-heart-rate] [--garbage-every N]
        [--ecg FRAMES.hex [--ecg-status N]]

With --ecg it also serves Polar's Measurement Data service (handles 0x15-0x1B: control point with
indications, data with notifications, as on a Polar H10) and, once the client has enabled both
CCCDs and written the ECG start request to the control point, answers it by indication
(status --ecg-status, 0 = success) and sends one recorded PMD frame after each heart-rate value.

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
PMD_CP, PMD_CP_CCCD, PMD_DATA, PMD_DATA_CCCD = 0x17, 0x18, 0x1A, 0x1B
PMD_SERVICE = bytes(reversed(bytes.fromhex("FB005C8002E7F3871CAD8ACD2D8DF0C8")))
PMD_CP_UUID = bytes(reversed(bytes.fromhex("FB005C8102E7F3871CAD8ACD2D8DF0C8")))
PMD_DATA_UUID = bytes(reversed(bytes.fromhex("FB005C8202E7F3871CAD8ACD2D8DF0C8")))


def u16(v):
    return struct.pack("<H", v)


class Server:
    def __init__(self, a):
        self.a = a
        self.values = [bytes.fromhex(l.strip()) for l in open(a.values) if l.strip()]
        self.position = 0
        self.closed_once = False
        self.frames = [bytes.fromhex(l.strip()) for l in open(a.ecg) if l.strip()] if a.ecg else []
        self.frame_position = 0

    def services(self):
        s = [(1, 9, 0x1800)]
        if not self.a.no_heart_rate:
            s.append((0x0A, 0x10, 0x180D))
        s.append((0x11, 0x14, 0x180F))
        return s

    def answer_pmd(self, pdu):
        """The PMD service's answers (None: not a PMD request)."""
        op = pdu[0]
        if op == 0x10:
            start = struct.unpack_from("<H", pdu, 1)[0]
            if start > 0x14:
                if start > 0x15:
                    return bytes([0x01, 0x10]) + u16(start) + bytes([0x0A])
                return bytes([0x11, 20]) + u16(0x15) + u16(0x1B) + PMD_SERVICE
            return None
        start = struct.unpack_from("<H", pdu, 1)[0] if len(pdu) >= 3 else 0
        if start < 0x15:
            return None
        if op == 0x08:
            end = struct.unpack_from("<H", pdu, 3)[0]
            decls = [d for d in [(0x16, 0x2A, PMD_CP, PMD_CP_UUID), (0x19, 0x10, PMD_DATA, PMD_DATA_UUID)] if start <= d[0] <= end]
            if not decls:
                return bytes([0x01, 0x08]) + u16(start) + bytes([0x0A])
            h, props, value, uuid = decls[0]
            return bytes([0x09, 21]) + u16(h) + bytes([props]) + u16(value) + uuid
        if op == 0x04:
            end = struct.unpack_from("<H", pdu, 3)[0]
            table = [(0x16, u16(0x2803)), (0x17, PMD_CP_UUID), (0x18, u16(0x2902)), (0x19, u16(0x2803)),
                     (0x1A, PMD_DATA_UUID), (0x1B, u16(0x2902))]
            rest = [t for t in table if start <= t[0] <= end]
            if not rest:
                return bytes([0x01, 0x04]) + u16(start) + bytes([0x0A])
            size = len(rest[0][1])
            page = []
            for t in rest:
                if len(t[1]) != size:
                    break
                page.append(t)
            return bytes([0x05, 1 if size == 2 else 2]) + b"".join(u16(h) + v for h, v in page)
        if op == 0x12:
            value = pdu[3:]
            if start == PMD_CP_CCCD:
                self.cp_indications = value == b"\x02\x00"
            elif start == PMD_DATA_CCCD:
                self.data_notifications = value == b"\x01\x00"
            elif start == PMD_CP:
                self.pending_indication = bytes([0x1D]) + u16(PMD_CP) + bytes([0xF0, value[0], value[1] if len(value) > 1 else 0,
                                                                            self.a.ecg_status, 0])
                if value[:2] == b"\x02\x00" and self.a.ecg_status == 0 and self.data_notifications:
                    self.ecg_streaming = True
            return bytes([0x13])
        return None

    def answer(self, pdu):
        op = pdu[0]
        if self.a.ecg:
            reply = self.answer_pmd(pdu)
            if reply is not None:
                return reply
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
        self.cp_indications = self.data_notifications = self.ecg_streaming = False
        self.pending_indication = None
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
                if self.pending_indication is not None and self.cp_indications:
                    conn.send(self.pending_indication)
                self.pending_indication = None
                continue
            if not self.streaming or self.position >= len(self.values):
                continue
            value = self.values[self.position]
            conn.send(bytes([0x1B]) + u16(MEASUREMENT) + value)
            self.position += 1
            sent_here += 1
            if self.ecg_streaming and self.frame_position < len(self.frames):
                conn.send(bytes([0x1B]) + u16(PMD_DATA) + self.frames[self.frame_position])
                self.frame_position += 1
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
    p.add_argument("--mtu", type=int, default=232)  # a Polar H10's: one 73-sample ECG frame fits exactly
    p.add_argument("--close-after", type=int)
    p.add_argument("--silent", action="store_true")
    p.add_argument("--refuse-cccd", type=lambda v: int(v, 0))
    p.add_argument("--no-heart-rate", action="store_true")
    p.add_argument("--garbage-every", type=int)
    p.add_argument("--ecg")
    p.add_argument("--ecg-status", type=int, default=0)
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
