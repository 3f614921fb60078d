#!/usr/bin/env python3
"""Write a stand-in office seal (印章) as a PNG with transparency: a red ring
and a five-pointed star, for examples and tests (an office uses a scan of its
own).  Usage: make_seal.py OUT.png [SIZE]"""
import math
import struct
import sys
import zlib


def seal_pixels(size):
    red = (230, 0, 18)
    c = (size - 1) / 2
    outer, inner = size * 0.48, size * 0.44
    star_r = size * 0.17
    points = [(c + star_r * math.cos(math.radians(-90 + 72 * k)),
               c + star_r * math.sin(math.radians(-90 + 72 * k))) for k in range(5)]
    star = [points[(2 * k) % 5] for k in range(5)]  # a pentagram, vertex order 0 2 4 1 3

    def in_star(x, y):  # non-zero winding of the pentagram
        wn = 0
        for i in range(5):
            (x1, y1), (x2, y2) = star[i], star[(i + 1) % 5]
            cross = (x2 - x1) * (y - y1) - (x - x1) * (y2 - y1)
            if y1 <= y < y2 and cross > 0:
                wn += 1
            elif y2 <= y < y1 and cross < 0:
                wn -= 1
        return wn != 0

    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            d = math.hypot(x - c, y - c)
            on = inner <= d <= outer or in_star(x, y)
            row += bytes(red + (220,)) if on else bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, data):
    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(data, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    with open(sys.argv[1], "wb") as f:
        f.write(png(size, seal_pixels(size)))
