import os
import struct
import tempfile
import unittest
import zlib

import numpy as np

import _common
from eclut.lutfile import Lut, encode, decode, save, load


def fix_crcs(buf):
    b = bytearray(buf)
    struct.pack_into("<I", b, 32, zlib.crc32(bytes(b[64:])))
    struct.pack_into("<I", b, 60, zlib.crc32(bytes(b[:60])))
    return bytes(b)


class LutFileTest(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(1)
        self.lut = Lut(rng.integers(-128, 128, (256, 256, 36), dtype=np.int8), 2, 2, 3, 4)
        self.data = encode(self.lut)

    def test_round_trip(self):
        for r in (2, 3, 4):
            for st in (1, r):
                t = np.random.default_rng(r).integers(-128, 128, (256, 256, 9 * r * r), dtype=np.int8)
                lut = Lut(t, r, st, 5, 17)
                with tempfile.TemporaryDirectory() as d:
                    p = os.path.join(d, "t.lut")
                    save(lut, p)
                    self.assertEqual(os.path.getsize(p), 64 + 65536 * 9 * r * r)
                    back = load(p)
                self.assertEqual((back.scale, back.expand_step, back.rescale_shift, back.rescale_bias),
                                 (r, st, 5, 17))
                self.assertTrue(np.array_equal(back.table, t))

    def test_header_layout(self):
        d = self.data
        self.assertEqual(d[:8], b"ECLUT\r\n\x1a")
        self.assertEqual(struct.unpack_from("<HHBBBBiIQI", d, 8), (1, 64, 2, 2, 3, 1, 4, 36, 65536 * 36,
                                                                    zlib.crc32(d[64:])))
        self.assertEqual(d[36:60], bytes(24))
        self.assertEqual(struct.unpack_from("<I", d, 60)[0], zlib.crc32(d[:60]))

    def bad(self, buf, why):
        with self.assertRaises(ValueError) as cm:
            decode(buf, "x.lut")
        self.assertIn("x.lut", str(cm.exception))
        self.assertIn(why, str(cm.exception))

    def patched(self, off, fmt, val):
        b = bytearray(self.data)
        struct.pack_into(fmt, b, off, val)
        return fix_crcs(b)

    def test_rejections(self):
        d = self.data
        self.bad(d[:63], "shorter")
        self.bad(d[:-1], "")
        self.bad(d + b"\0", "")
        self.bad(b"X" + d[1:], "")
        self.bad(self.patched(0, "<B", ord("X")), "magic")
        self.bad(self.patched(8, "<H", 2), "version")
        self.bad(self.patched(10, "<H", 65), "header size")
        self.bad(self.patched(12, "<B", 5), "scale")
        self.bad(self.patched(13, "<B", 3), "expand step")
        self.bad(self.patched(14, "<B", 9), "shift")
        self.bad(self.patched(15, "<B", 2), "entry type")
        self.bad(self.patched(16, "<i", 8), "bias")
        self.bad(self.patched(16, "<i", -1), "bias")
        self.bad(self.patched(20, "<I", 37), "entries per pair")
        self.bad(self.patched(24, "<Q", 65536 * 36 - 1), "payload size")
        self.bad(self.patched(40, "<B", 1), "reserved")
        b = bytearray(d)
        b[100] ^= 1
        self.bad(bytes(b), "payload CRC")
        b = bytearray(d)
        b[61] ^= 1
        self.bad(bytes(b), "header CRC")

    def test_encode_rejects_shape(self):
        with self.assertRaises(ValueError):
            encode(Lut(np.zeros((256, 256, 35), np.int8), 2))


if __name__ == "__main__":
    _common.run_unittest()
