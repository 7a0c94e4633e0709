#!/usr/bin/env python3
"""What a screenshot shows, for the browser tests: size, the share of the most common colour
(a blank page is ~1.0), and the share of pixels near each colour given (#rrggbb, ±12 a channel).

    png_colours.py FILE.png '#e53935' '#1e88e5' ...   -> one JSON object on stdout

A PNG reader in the standard library only (zlib): 8-bit RGB or RGBA, non-interlaced, as
Chromium writes them; anything else is refused with a message and exit 1.
"""
import json
import struct
import sys
import zlib
from collections import Counter


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"{path}: only 8-bit RGB/RGBA non-interlaced PNGs (depth {depth}, colour type {colour})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    path, wanted = sys.argv[1], sys.argv[2:]
    width, height, channels, rows = read_png(path)
    counts = Counter()
    for line in rows:
        for x in range(0, len(line), channels * 2):  # every other pixel is plenty
            counts[line[x:x + 3]] += 1
    total = sum(counts.values())
    near = {}
    for hexcolour in wanted:
        target = bytes.fromhex(hexcolour.lstrip("#"))
        near[hexcolour] = sum(n for c, n in counts.items() if all(abs(c[i] - target[i]) <= 12 for i in range(3))) / total
    print(json.dumps({"width": width, "height": height, "most_common_share": counts.most_common(1)[0][1] / total,
                      "colours": len(counts), "near": near}))


if __name__ == "__main__":
    main()
