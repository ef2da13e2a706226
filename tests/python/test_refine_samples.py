"""The C refine stage (tests/core/refine-run) against reference.refine_samples
at 8 and 10 bits, bit for bit: random tables and planes, odd sizes, both
expand steps, both pairs, residual and plain stages, one table or one per
position (phases 1 to 4), the 8-bit and both 10-bit layouts,
every SIMD level the CPU has, row splits."""
import os
import subprocess
import tempfile
import unittest

import numpy as np

import _common  # noqa: F401  (sys.path)
from eclut.lutfile import PAIR_BELOW, PAIR_BELOW_RIGHT, PAIR_CORNER, PAIR_QUAD, Refine
from eclut.reference import refine, refine_samples

RUN = os.environ.get("ECLUT_REFINE_RUN")
SIZES = [(1, 1), (1, 9), (7, 1), (3, 5), (6, 33), (5, 47), (17, 20), (2, 70), (3, 260)]
LEVELS = ("C", "SSE2", "AVX2")


def plane(rng, h, w, bits):
    """Mostly close levels (pairs near the diagonal) with some anywhere."""
    V = 400 + rng.integers(0, 32, (h, w))
    wild = rng.random((h, w)) < 0.3
    V[wild] = rng.integers(0, 1024, int(wild.sum()))
    return V >> (10 - bits)


class RefineSamplesTest(unittest.TestCase):
    def setUp(self):
        if not RUN:
            self.skipTest("ECLUT_REFINE_RUN (the refine-run binary) is not set")
        self.tmp = tempfile.mkdtemp()

    def run_c(self, stage, V, layout, level, split):
        h, w = V.shape
        tpath = os.path.join(self.tmp, "t.bin")
        ipath = os.path.join(self.tmp, "in.bin")
        opath = os.path.join(self.tmp, "out.bin")
        stage.table.astype(np.int8).tofile(tpath)
        if layout == "u8":
            V.astype(np.uint8).tofile(ipath)
        elif layout == "u10lsb":
            V.astype("<u2").tofile(ipath)
        else:
            (V.astype("<u2") << 6).tofile(ipath)
        res = subprocess.run([RUN, tpath, str(stage.expand_step), str(stage.rescale_shift),
                              str(stage.rescale_bias), str(int(stage.residual)), layout,
                              str(level), str(w), str(h), str(split), ipath, opath, str(stage.pair),
                              str(stage.phases)],
                             capture_output=True, text=True, check=True)
        if layout == "u8":
            out = np.fromfile(opath, np.uint8)
        else:
            out = np.fromfile(opath, "<u2")
            if layout == "u10msb":
                self.assertFalse(np.any(out & 63), "low 6 bits of P010 output set")
                out = out >> 6
        return out.reshape(h, w), res.stdout.strip()

    def test_c_matches_reference(self):
        rng = np.random.default_rng(19)
        table = rng.integers(-128, 128, (256, 256, 9), dtype=np.int8)
        levels_run = set()
        for n, (h, w) in enumerate(SIZES):
            for st, pair in ((1, PAIR_BELOW), (2, PAIR_BELOW), (1, PAIR_BELOW_RIGHT),
                             (2, PAIR_BELOW_RIGHT), (1, PAIR_CORNER), (2, PAIR_CORNER),
                             (1, PAIR_QUAD), (2, PAIR_QUAD)):
                for residual in (True, False):
                    shift = 5 if residual else 2 + n % 3
                    stage = Refine(table, st, shift, (1 << shift) >> 1, residual, pair)
                    for layout, bits in (("u8", 8), ("u10lsb", 10), ("u10msb", 10)):
                        V = plane(rng, h, w, bits)
                        want = refine_samples(stage, V, bits)
                        for level in range(3):
                            split = (n * 5 + level) % (h + 1)
                            with self.subTest(size=(h, w), st=st, pair=pair, residual=residual,
                                              layout=layout, level=level, split=split):
                                got, ran = self.run_c(stage, V, layout, level, split)
                                levels_run.add(ran)
                                bad = np.argwhere(got != want)
                                self.assertEqual(len(bad), 0, "%d samples differ, first at %s"
                                                 % (len(bad), bad[:1].tolist()))
        # at least plain C ran, and the levels are the ones asked for in order
        self.assertIn("C", levels_run)
        self.assertTrue(levels_run <= set(LEVELS))

    def test_phases_match_reference(self):
        """One table per position (phases 2 to 4): sizes that are and are
        not multiples of the phases, every pair and both steps."""
        rng = np.random.default_rng(21)
        for n, (h, w) in enumerate(SIZES + [(8, 12), (12, 8), (9, 9)]):
            for st, pair in ((1, PAIR_BELOW), (2, PAIR_BELOW_RIGHT), (2, PAIR_CORNER), (1, PAIR_QUAD)):
                P = 2 + (n + st) % 3
                table = rng.integers(-128, 128, (256, 256, 9 * P * P), dtype=np.int8)
                stage = Refine(table, st, 5, 16, True, pair, P)
                for layout, bits in (("u8", 8), ("u10lsb", 10)):
                    V = plane(rng, h, w, bits)
                    want = refine_samples(stage, V, bits)
                    for level in range(3):
                        split = (n * 3 + level) % (h + 1)
                        with self.subTest(size=(h, w), st=st, pair=pair, phases=P, layout=layout,
                                          level=level, split=split):
                            got, ran = self.run_c(stage, V, layout, level, split)
                            bad = np.argwhere(got != want)
                            self.assertEqual(len(bad), 0, "%d samples differ, first at %s"
                                             % (len(bad), bad[:1].tolist()))

    def test_phases_are_used(self):
        """With a table whose positions differ, the output depends on where
        a pixel is (so the positions are read), and shifting the picture by
        the phases shifts the output (away from the reflected borders)."""
        rng = np.random.default_rng(22)
        P = 3
        table = rng.integers(-128, 128, (256, 256, 9 * P * P), dtype=np.int8)
        stage = Refine(table, 1, 5, 16, True, PAIR_BELOW, P)
        I = plane(rng, 18, 24, 8).astype(np.uint8)
        flat = Refine(table.reshape(256, 256, P * P, 9)[:, :, 0, :].copy(), 1, 5, 16, True, PAIR_BELOW)
        self.assertFalse(np.array_equal(refine(stage, I), refine(flat, I)))
        J = np.roll(I, (P, P), axis=(0, 1))
        a, b = refine(stage, I), refine(stage, J)
        np.testing.assert_array_equal(np.roll(a, (P, P), axis=(0, 1))[P + 2:-2, P + 2:-2],
                                      b[P + 2:-2, P + 2:-2])

    def test_reference_rules(self):
        """refine_samples at 8 bits is refine(); at 10 bits on 4x 8-bit
        content it is 4x the 8-bit output plus two fractional bits."""
        rng = np.random.default_rng(20)
        table = rng.integers(-128, 128, (256, 256, 9), dtype=np.int8)
        I = plane(rng, 13, 17, 8).astype(np.uint8)
        for residual in (True, False):
            stage = Refine(table, 2, 6, 32, residual)
            out8 = refine(stage, I)
            np.testing.assert_array_equal(refine_samples(stage, I, 8), out8)
            out10 = refine_samples(stage, I.astype(np.uint16) * 4, 10)
            np.testing.assert_array_equal(out10 >> 2, out8)
            self.assertTrue(np.any(out10 & 3))
        with self.assertRaises(ValueError):
            refine_samples(stage, np.full((2, 2), 1024), 10)


if __name__ == "__main__":
    _common.run_unittest()
