#!/usr/bin/env python3
# eclut - learned lookup-table video upscaling for GStreamer
# Copyright (C) 2026 The eclut authors
# SPDX-License-Identifier: LGPL-2.0-or-later
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/).

A valid table is 2.3 to 9.4 MB, too big for a committed corpus and for
fast fuzzing, so the whole-file seeds are valid headers (every scale and
expand step) alone, truncated, and with a byte of payload.  --full DIR also
writes complete valid tables (zero payload) to DIR, to fuzz with
-max_len=9437248 or to replay by hand; they are not committed.

Usage: tests/fuzz/make-corpus.py [--full DIR]
"""
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = b"ECLUT\r\n\x1a"


def header(r, step, shift=2, bias=2, payload_crc=None, psize=None):
    n = 65536 * 9 * r * r if psize is None else psize
    if payload_crc is None:
        payload_crc = zlib.crc32(bytes(65536 * 9 * r * r))
    h = MAGIC + struct.pack("<HHBBBBiIQI", 1, 64, r, step, shift, 1, bias,
                            9 * r * r, n, payload_crc) + bytes(24)
    return h + struct.pack("<I", zlib.crc32(h))


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def deep_salted(data):
    """data + 2 bytes whose FNV-1a hash is 0 mod 1024 (fuzz-lut-header's
    DEEP_ONE_IN)."""
    for salt in range(65536):
        d = data + struct.pack("<H", salt)
        if fnv1a(d) % 1024 == 0:
            return d
    raise SystemExit("no salt found")


def write(sub, name, data):
    d = os.path.join(HERE, "corpus", sub)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    for r in (2, 3, 4):
        for step in sorted({1, r}):
            h = header(r, step)
            write("lut-file", f"header-x{r}-st{step}", h)
            write("lut-file", f"header-x{r}-st{step}-plus1", h + b"\x00")
            write("lut-file", f"truncated-x{r}-st{step}", h[:40])
    write("lut-file", "empty", b"")
    write("lut-file", "bad-crc", header(2, 1)[:60] + b"\0\0\0\0")
    write("lut-file", "shift8-bias255", header(3, 3, 8, 255))
    write("lut-file", "huge-psize", header(2, 1, psize=1 << 62))

    # lut-header: flags (0x80: build the whole-size image), 60 header bytes,
    # size delta (i16), expected scale, then 2 salt bytes chosen so that
    # flag 0x80 takes effect (the target's FNV-1a hash is 0 mod 1024)
    for r in (2, 3, 4):
        for flags in (0xFF, 0x7F, 0x6F, 0x2F, 0x0F, 0x3F):
            h = header(r, r)[:60]
            write("lut-header", f"x{r}-flags{flags:02x}",
                  deep_salted(bytes([flags]) + h + struct.pack("<hB", 0, r)))
    write("lut-header", "x2-short", bytes([0x2F]) + header(2, 1)[:60] +
          struct.pack("<hB", -5, 0))
    write("lut-header", "x4-long", bytes([0x2F]) + header(4, 1)[:60] +
          struct.pack("<hB", 7, 4))

    # luma: scale, step, shift, bias, w, h, pads, n_split, splits, pixels
    write("luma", "x2-flat", bytes([0, 0, 2, 2, 7, 5, 0, 0, 0, 0, 0, 0, 0]))
    write("luma", "x3-step3-1x1", bytes([1, 1, 2, 2, 0, 0, 3, 5, 2, 1, 2, 0, 0,
                                         200]))
    write("luma", "x4-ramp", bytes([2, 1, 8, 255, 15, 7, 9, 11, 4, 3, 9, 17,
                                    30]) + bytes(range(0, 256, 3)))
    write("luma", "x2-1wide", bytes([0, 1, 0, 0, 0, 11, 1, 1, 1, 5, 0, 0, 0,
                                     0, 255, 0, 255]))

    # chroma: scale, flags, W, H, ow, oh, pads, n_split, splits, samples
    for r in (0, 1, 2):
        # 0x40: 10 bits in the low bits, 0x80: in the high bits (P010)
        for flags in (0x00, 0x03, 0x0F, 0x13, 0x1F, 0x3F, 0x43, 0x5F, 0x93,
                      0x9F, 0xBF):
            write("chroma", f"x{r + 2}-flags{flags:02x}",
                  bytes([r, flags, 13, 9, 5, 7, 3, 1, 2, 4, 6, 0, 0]) +
                  bytes(range(7, 256, 5)))

    # refine: step, shift, bias, mode, layout, w, h, pads, n_split, splits,
    # samples
    write("refine", "u8-st1-residual",
          bytes([0, 5, 16, 1, 0, 40, 5, 3, 7, 2, 1, 3, 0, 0]) +
          bytes((i * 37) & 255 for i in range(97)))
    write("refine", "u10lsb-st2-plain",
          bytes([1, 2, 2, 0, 1, 33, 4, 0, 5, 1, 2, 0, 0, 0]) +
          bytes((i * 91 + 7) & 255 for i in range(131)))
    write("refine", "u10msb-1x1",
          bytes([1, 8, 255, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff]))
    # mode 0x13: residual, the corner pair (bit 4)
    write("refine", "u8-corner",
          bytes([1, 5, 9, 0x13, 0, 20, 6, 0, 2, 2, 3, 4, 0, 0]) +
          bytes((i * 53 + 11) & 255 for i in range(61)))
    # mode 0x25: residual, the quad pair (bit 5), phases 2; the pixels
    # close together, so that the differences take the middle levels
    write("refine", "u8-quad",
          bytes([1, 5, 9, 0x25, 0, 23, 7, 0, 2, 2, 3, 4, 0, 0]) +
          bytes(100 + (i * 7 + (i * i) % 13) % 50 for i in range(200)))
    write("refine", "u10lsb-quad-st1",
          bytes([0, 4, 3, 0x20, 1, 17, 5, 2, 1, 1, 2, 0, 0, 0]) +
          bytes((i * 29 + 3) & 255 for i in range(200)))
    write("refine", "u8-nx1",
          bytes([0, 0, 0, 0, 0, 0, 6, 1, 1, 4, 1, 2, 3, 4, 9, 250, 3]))

    if len(sys.argv) == 3 and sys.argv[1] == "--full":
        os.makedirs(sys.argv[2], exist_ok=True)
        for r in (2, 3, 4):
            with open(os.path.join(sys.argv[2], f"full-x{r}"), "wb") as f:
                f.write(header(r, 1) + bytes(65536 * 9 * r * r))


if __name__ == "__main__":
    main()
