import os
import struct
import tempfile
import unittest
import zlib

import numpy as np

import _common
from eclut.lutfile import PAIR_BELOW, PAIR_BELOW_RIGHT, PAIR_CORNER, PAIR_QUAD, Lut, Refine, encode, decode, save, load


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
        self.bad(self.patched(8, "<H", 3), "version")
        self.bad(self.patched(8, "<H", 2), "refine stage count")  # v2 with no refine stage
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

    def v2(self, n=2):
        rng = np.random.default_rng(7)
        stages = [Refine(rng.integers(-128, 128, (256, 256, 9), dtype=np.int8), 1 + k % 2, 4 + k, 3 + k,
                         k % 2 == 0, (PAIR_BELOW, PAIR_BELOW_RIGHT, PAIR_CORNER)[k % 3]) for k in range(n)]
        return Lut(self.lut.table, 2, 2, 3, 4, stages)

    def test_v2_round_trip(self):
        for n in (1, 2, 4):
            lut = self.v2(n)
            d = encode(lut)
            self.assertEqual(len(d), 64 + 65536 * 36 + n * (32 + 65536 * 9))
            self.assertEqual(struct.unpack_from("<H", d, 8)[0], 2)
            self.assertEqual(d[36], n)
            back = decode(d)
            self.assertTrue(np.array_equal(back.table, lut.table))
            self.assertEqual(len(back.refine), n)
            for a, b in zip(back.refine, lut.refine):
                self.assertEqual((a.expand_step, a.rescale_shift, a.rescale_bias, a.residual, a.pair),
                                 (b.expand_step, b.rescale_shift, b.rescale_bias, b.residual, b.pair))
                self.assertTrue(np.array_equal(a.table, b.table))
        # no refine stage: written as v1, byte for byte
        self.assertEqual(encode(Lut(self.lut.table, 2, 2, 3, 4, [])), self.data)

    def test_v2_stage_layout(self):
        d = encode(self.v2(1))
        off = 64 + 65536 * 36
        self.assertEqual(struct.unpack_from("<BBBBiIQIB", d, off),
                         (1, 1, 4, 1, 3, 9, 65536 * 9, zlib.crc32(d[off + 32:]), 1))
        self.assertEqual(d[off + 25], PAIR_BELOW)
        self.assertEqual(d[off + 26:off + 28], bytes(2))
        lut = self.v2(1)
        lut.refine[0].pair = PAIR_BELOW_RIGHT
        self.assertEqual(encode(lut)[off + 25], 1)
        lut.refine[0].pair = PAIR_CORNER
        self.assertEqual(encode(lut)[off + 25], 2)
        lut.refine[0].pair = PAIR_QUAD
        self.assertEqual(encode(lut)[off + 25], 3)
        self.assertEqual(struct.unpack_from("<I", d, off + 28)[0], zlib.crc32(d[off:off + 28]))

    def test_v2_rejections(self):
        d = encode(self.v2(2))
        off = 64 + 65536 * 36

        def stage_patched(k, so, fmt, val):
            b = bytearray(d)
            o = off + k * (32 + 65536 * 9)
            struct.pack_into(fmt, b, o + so, val)
            struct.pack_into("<I", b, o + 28, zlib.crc32(bytes(b[o:o + 28])))
            return bytes(b)

        def head_patched(o, fmt, val):
            b = bytearray(d)
            struct.pack_into(fmt, b, o, val)
            struct.pack_into("<I", b, 60, zlib.crc32(bytes(b[:60])))
            return bytes(b)

        self.bad(d[:-1], "file size")
        self.bad(d[:off + 32 + 65536 * 9], "file size")       # one stage missing
        self.bad(head_patched(36, "<B", 3), "file size")       # count says three
        self.bad(head_patched(36, "<B", 5), "refine stage count")
        self.bad(head_patched(37, "<B", 1), "reserved")
        self.bad(stage_patched(0, 0, "<B", 2), "refine stage 1: scale")
        self.bad(stage_patched(1, 1, "<B", 3), "refine stage 2: bad expand step")
        self.bad(stage_patched(0, 2, "<B", 9), "shift")
        self.bad(stage_patched(0, 3, "<B", 2), "entry type")
        self.bad(stage_patched(0, 4, "<i", 16), "bias")
        self.bad(stage_patched(0, 8, "<I", 10), "entries per pair")
        self.bad(stage_patched(0, 12, "<Q", 65536 * 9 + 1), "payload size")
        self.bad(stage_patched(0, 24, "<B", 2), "mode")
        self.bad(stage_patched(1, 25, "<B", 4), "refine stage 2: bad pair 4")
        self.bad(stage_patched(1, 27, "<B", 1), "refine stage 2: reserved")
        self.bad(stage_patched(1, 26, "<B", 5), "refine stage 2: bad phases 5")
        self.bad(stage_patched(1, 26, "<B", 2), "file size")    # stage 2 says 4 tables
        self.bad(stage_patched(0, 26, "<B", 2), "file size")    # so does stage 1
        b = bytearray(d)
        b[off + 29] ^= 1
        self.bad(bytes(b), "refine stage 1: header CRC")
        b = bytearray(d)
        b[-5] ^= 1
        self.bad(bytes(b), "refine stage 2: payload CRC")

    def test_phases_round_trip(self):
        """Stages with one table per position: written with their phases
        (byte 26; 0 for one table, as before the field), read back equal,
        and a record whose entries per pair disagree with its phases is
        refused."""
        rng = np.random.default_rng(5)
        lut = Lut(rng.integers(-128, 128, (256, 256, 36), dtype=np.int8), 2, 2, 2, 2)
        for k, P in enumerate((3, 1, 2)):
            lut.refine.append(Refine(rng.integers(-128, 128, (256, 256, 9 * P * P), dtype=np.int8),
                                     1 + k % 2, 5, 16, True, k % 2, P))
        d = encode(lut)
        self.assertEqual(len(d), 64 + 65536 * 36 + 3 * 32 + 65536 * 9 * (9 + 1 + 4))
        back = decode(d)
        for a, b in zip(lut.refine, back.refine):
            self.assertEqual((a.phases, a.pair, a.expand_step), (b.phases, b.pair, b.expand_step))
            np.testing.assert_array_equal(a.table, b.table)
        o = 64 + 65536 * 36
        self.assertEqual((d[o + 26], d[o + 32 + 65536 * 81 + 26]), (3, 0))
        b = bytearray(d)
        struct.pack_into("<I", b, o + 8, 9)
        struct.pack_into("<I", b, o + 28, zlib.crc32(bytes(b[o:o + 28])))
        self.bad(bytes(b), "refine stage 1: bad entries per pair 9")
        with self.assertRaises(ValueError):
            lut.refine[0].phases = 5
            encode(lut)

    def test_encode_rejects_shape(self):
        with self.assertRaises(ValueError):
            encode(Lut(np.zeros((256, 256, 35), np.int8), 2))


if __name__ == "__main__":
    _common.run_unittest()
