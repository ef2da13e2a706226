"""10-bit luma (docs/lut-format.md, "Inference at 10 bits"): the numpy
reference's rule, and the C core (through tests/core/eclut-luma-raw, path in
$ECLUT_LUMA_RAW) against it bit for bit: random and shipped tables, odd
sizes, both 16-bit layouts with the unused bits set, one call and a split
into stripes of 3 rows,
every instruction set (ECLUT_NO_AVX2, ECLUT_NO_SIMD)."""
import os
import subprocess
import tempfile
import unittest
from fractions import Fraction

import numpy as np

import _common
from eclut.lutfile import Lut, load, save
from eclut.reference import infer_sum, upscale, upscale_samples

LUT_DIR = os.path.join(_common.SRC_ROOT, "lut-data")
SIZES = [(1, 1), (1, 6), (7, 1), (2, 2), (3, 3), (5, 4), (13, 9), (70, 5)]  # W x H


def nn_table(r):
    """Centre channel = a (a <= 127), s=2, b=2: four rotations give 4a."""
    t = np.zeros((256, 256, 9 * r * r), np.int8)
    a = np.minimum(np.arange(256), 127).astype(np.int8)
    t[:, :, 4 * r * r:5 * r * r] = a[:, None, None]
    return Lut(t, r, 1, 2, 2)


def random_lut(rng, r, st, s, b):
    return Lut(rng.integers(-128, 128, (256, 256, 9 * r * r)).astype(np.int8), r, st, s, b)


class ReferenceRule(unittest.TestCase):
    def test_exact_rational(self):
        """out = floor(4 (S + b) / 2^s - 3/2) + (V & 3), clamped: the 10-bit
        value of the 8-bit rescale's real number (centred on 4 x its
        level), evaluated with fractions."""
        rng = np.random.default_rng(3)
        for r, st, s, b in [(2, 2, 2, 2), (3, 1, 0, 0), (4, 4, 1, 1), (2, 1, 5, 17), (3, 3, 8, 255)]:
            lut = random_lut(rng, r, st, s, b)
            V = rng.integers(0, 1024, (4, 5))
            out = upscale_samples(lut, V, stages=0)
            S = infer_sum(lut, (V >> 2).astype(np.uint8))
            for (Y, X), v in np.ndenumerate(out):
                x = Fraction(4 * (int(S[Y, X]) + b), 2 ** s) - Fraction(3, 2)
                want = (x.numerator // x.denominator) + int(V[Y // r, X // r]) % 4
                self.assertEqual(int(v), min(max(want, 0), 1023), (r, st, s, b, Y, X))

    def test_eight_bit_content(self):
        """On 8-bit content (V = 4 I) the 10-bit output of the shipped tables
        (s = 2, b = 2) is S itself, and rounds to the 8-bit output."""
        rng = np.random.default_rng(4)
        for r in (2, 3, 4):
            lut = load(os.path.join(LUT_DIR, "eclut-x%d.lut" % r))
            I = rng.integers(0, 256, (6, 7)).astype(np.uint8)
            out = upscale_samples(lut, I.astype(np.int64) * 4, stages=0).astype(np.int64)
            S = infer_sum(lut, I)
            self.assertTrue(np.array_equal(out, np.clip(S, 0, 1023)))
            self.assertTrue(np.array_equal(np.clip((out + 2) >> 2, 0, 255), upscale(lut, I, 0)))

    def test_nearest_table(self):
        """A nearest-neighbour table gives the nearest-neighbour 10-bit
        plane: the remainder lands where its pixel's block is."""
        rng = np.random.default_rng(5)
        for r in (2, 3, 4):
            lut = nn_table(r)
            V = rng.integers(0, 512, (5, 6))
            self.assertTrue(np.array_equal(upscale_samples(lut, V), np.kron(V, np.ones((r, r), np.int64))))

    def test_bad_input(self):
        lut = nn_table(2)
        for bad in (np.zeros((0, 3), np.int64), np.array([[1024]]), np.array([[-1]]),
                    np.zeros((2, 2), np.float64)):
            with self.assertRaises(ValueError):
                upscale_samples(lut, bad)
        with self.assertRaises(ValueError):
            upscale_samples(lut, np.zeros((2, 2), np.int64), bits=12)


class CoreAgainstReference(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.exe = os.environ.get("ECLUT_LUMA_RAW")
        if not cls.exe or not os.path.exists(cls.exe):
            raise unittest.SkipTest("ECLUT_LUMA_RAW (tests/core/eclut-luma-raw) not given")
        cls.tmp = tempfile.TemporaryDirectory()
        with open("/proc/cpuinfo") as f:
            cls.avx2 = " avx2" in f.read()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_core(self, lut_path, V, layout, stripe, env):
        h, w = V.shape
        src = os.path.join(self.tmp.name, "in.raw")
        dst = os.path.join(self.tmp.name, "out.raw")
        V.tofile(src)
        p = subprocess.run([self.exe, lut_path, str(w), str(h), layout, src, dst, str(stripe)],
                           env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        dt = np.uint8 if layout == "u8" else np.dtype("<u2")
        return np.fromfile(dst, dtype=dt), p.stdout.strip()

    def check(self, lut, lut_path, rng, sizes, envs):
        """Returns the plans' descriptions."""
        r = lut.scale
        seen = set()
        for w, h in sizes:
            V = rng.integers(0, 1024, (h, w))
            ref = upscale_samples(lut, V, stages=0).reshape(-1)
            junk = rng.integers(0, 64, V.shape)
            # the unused bits set: the core must ignore them
            inputs = {"lsb": (V | (junk << 10)).astype("<u2"),
                      "msb": ((V << 6) | junk).astype("<u2")}
            for name, env in envs.items():
                for layout, data in inputs.items():
                    # (every split is in test-luma and fuzz-luma; one here)
                    for stripe in (0, 3):
                        out, desc = self.run_core(lut_path, data, layout, stripe, env)
                        self.assertIn("10-bit", desc)
                        seen.add(desc.split(",")[0] + ", " + name)
                        if layout == "msb":
                            self.assertFalse(np.any(out & 63), "MSB low bits written")
                            out = out >> 6
                        else:
                            self.assertFalse(np.any(out >> 10), "LSB high bits written")
                        bad = np.flatnonzero(out != ref)
                        self.assertEqual(bad.size, 0, "%s %s %dx%d stripe %d (%s): first at %s: %s != %s"
                                         % (name, layout, w, h, stripe, desc, bad[:1],
                                            out[bad[:1]], ref[bad[:1]]))
        return seen

    def assert_fast_path(self, seen, r, st):
        """The AVX2 10-bit paths ran where the CPU has them (else the
        comparison would only cover the general path)."""
        if self.avx2 and st == r:
            self.assertIn(("edge" if r < 4 else "block") + ", default", seen)
        self.assertIn("general, no-simd", seen)

    def envs(self):
        base = dict(os.environ)
        envs = {"default": base}
        envs["no-avx2"] = dict(base, ECLUT_NO_AVX2="1")
        envs["no-simd"] = dict(base, ECLUT_NO_SIMD="1")
        return envs

    def test_random_tables(self):
        rng = np.random.default_rng(11)
        for r, st, s, b in [(2, 2, 2, 2), (2, 1, 0, 0), (3, 3, 2, 2), (3, 1, 5, 17),
                            (4, 4, 8, 255), (4, 1, 1, 1)]:
            lut = random_lut(rng, r, st, s, b)
            path = os.path.join(self.tmp.name, "t.lut")
            save(lut, path)
            self.assert_fast_path(self.check(lut, path, rng, SIZES, self.envs()), r, st)

    def test_shipped_tables(self):
        rng = np.random.default_rng(12)
        for r in (2, 3, 4):
            path = os.path.join(LUT_DIR, "eclut-x%d.lut" % r)
            seen = self.check(load(path), path, rng, [(1, 1), (3, 2), (9, 7), (67, 6)], self.envs())
            self.assert_fast_path(seen, r, r)

    def test_eight_bit_layout(self):
        """The plan for 8-bit samples is the 8-bit core (the reference's
        upscale), through the same tool."""
        rng = np.random.default_rng(13)
        path = os.path.join(LUT_DIR, "eclut-x2.lut")
        lut = load(path)
        I = rng.integers(0, 256, (9, 11)).astype(np.uint8)
        out, desc = self.run_core(path, I, "u8", 0, dict(os.environ))
        self.assertNotIn("10-bit", desc)
        self.assertTrue(np.array_equal(out.reshape(18, 22), upscale(lut, I, 0)))


if __name__ == "__main__":
    _common.run_unittest()
