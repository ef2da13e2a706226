import unittest

import numpy as np

import _common
from eclut.lutfile import Lut, Refine
from eclut.reference import upscale, infer_sum, refine, refl, DIRS


def slow_sum(lut, I):
    """Independent per-pixel loop version of the spec, for small planes."""
    r, st, T = lut.scale, lut.expand_step, lut.table.astype(np.int64)
    S = np.zeros((I.shape[0] * r, I.shape[1] * r), np.int64)
    for k in range(4):
        J = np.rot90(I, k)
        h, w = J.shape
        rh, rw = h * r, w * r
        O = np.zeros((rh, rw), np.int64)
        for Y in range(rh):
            for X in range(rw):
                acc = 0
                for c, (dy, dx) in enumerate(DIRS):
                    yy = int(refl(Y - dy * st, rh))
                    xx = int(refl(X - dx * st, rw))
                    y, i = divmod(yy, r)
                    x, j = divmod(xx, r)
                    acc += T[J[y, x], J[min(y + 1, h - 1), x], c * r * r + i * r + j]
                O[Y, X] = acc
        S += np.rot90(O, -k)
    return S


def nn_table(r):
    """Centre channel = a (a <= 127), s=2, b=2: four rotations give 4a -> a."""
    t = np.zeros((256, 256, 9 * r * r), np.int8)
    a = np.minimum(np.arange(256), 127).astype(np.int8)
    t[:, :, 4 * r * r:5 * r * r] = a[:, None, None]
    return Lut(t, r, 1, 2, 2)


class ReferenceTest(unittest.TestCase):
    def test_refl(self):
        self.assertEqual(list(refl(np.arange(-4, 9), 4)), [2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2])
        self.assertEqual(list(refl(np.arange(-3, 4), 1)), [0] * 7)
        self.assertEqual(list(refl(np.arange(-3, 5), 2)), [1, 0, 1, 0, 1, 0, 1, 0])

    def test_nearest_neighbour(self):
        rng = np.random.default_rng(0)
        for r in (2, 3, 4):
            lut = nn_table(r)
            for st in (1, r):
                lut.expand_step = st
                for shape in ((1, 1), (3, 5), (17, 12)):
                    I = rng.integers(0, 128, shape).astype(np.uint8)
                    out = upscale(lut, I)
                    self.assertTrue(np.array_equal(out, np.kron(I, np.ones((r, r), np.uint8))))

    def test_matches_slow_loop(self):
        rng = np.random.default_rng(5)
        for r in (2, 3, 4):
            for st in (1, r):
                t = rng.integers(-128, 128, (256, 256, 9 * r * r)).astype(np.int8)
                lut = Lut(t, r, st, 3, 5)
                for shape in ((1, 1), (1, 3), (2, 1), (3, 5)):
                    I = rng.integers(0, 256, shape).astype(np.uint8)
                    self.assertTrue(np.array_equal(infer_sum(lut, I), slow_sum(lut, I)), (r, st, shape))

    def test_steps_differ_and_1x1(self):
        rng = np.random.default_rng(2)
        for r in (2, 3, 4):
            t = rng.integers(-20, 40, (256, 256, 9 * r * r)).astype(np.int8)
            I = rng.integers(0, 256, (9, 7)).astype(np.uint8)
            o1 = upscale(Lut(t, r, 1, 2, 2), I)
            o2 = upscale(Lut(t, r, r, 2, 2), I)
            self.assertEqual(o1.shape, (9 * r, 7 * r))
            self.assertFalse(np.array_equal(o1, o2))
            one = upscale(Lut(t, r, r, 2, 2), np.array([[77]], np.uint8))
            self.assertEqual(one.shape, (r, r))
            self.assertEqual(one.dtype, np.uint8)
            for st in (1, r):
                self.assertEqual(upscale(Lut(t, r, st, 2, 2), np.array([[77]], np.uint8)).shape, (r, r))

    def test_mirror_permutation(self):
        """The training tool's mirror map: upscaling a left-right mirrored
        plane with T equals mirroring the output of T[..., perm], exactly,
        for both expand steps (what makes --mirror an exact augmentation)."""
        from eclut.operators import mirror_permutation
        rng = np.random.default_rng(7)
        for r in (2, 3, 4):
            perm = mirror_permutation(r)
            self.assertEqual(sorted(perm), list(range(9 * r * r)))
            t = rng.integers(-128, 128, size=(256, 256, 9 * r * r)).astype(np.int8)
            for st in (1, r):
                I = rng.integers(0, 256, size=(6, 9)).astype(np.uint8)
                a = infer_sum(Lut(t, r, st, 2, 2), np.fliplr(I))
                b = np.fliplr(infer_sum(Lut(t[:, :, perm], r, st, 2, 2), I))
                np.testing.assert_array_equal(a, b)
                # and the map is not the identity on a random table
                self.assertFalse(np.array_equal(
                    infer_sum(Lut(t, r, st, 2, 2), np.fliplr(I)),
                    np.fliplr(infer_sum(Lut(t, r, st, 2, 2), I))))

    def test_clamp_and_shift(self):
        r = 2
        t = np.full((256, 256, 36), 127, np.int8)
        self.assertTrue(np.all(upscale(Lut(t, r, 1, 0, 0), np.zeros((2, 2), np.uint8)) == 255))
        t = np.full((256, 256, 36), -128, np.int8)
        self.assertTrue(np.all(upscale(Lut(t, r, 1, 0, 0), np.zeros((2, 2), np.uint8)) == 0))
        # arithmetic (flooring) shift: S = 36 * -1 = -36, (S + 0) >> 8 = -1 -> clamp 0;
        # S = 36 * 7 = 252, (252 + 3) >> 3 = 31
        t = np.full((256, 256, 36), 7, np.int8)
        self.assertTrue(np.all(upscale(Lut(t, r, 1, 3, 3), np.zeros((3, 3), np.uint8)) == 31))


class RefineStages(unittest.TestCase):
    """v2 refine stages: x1 tables on the previous stage's 8-bit output."""

    def setUp(self):
        rng = np.random.default_rng(11)
        self.rng = rng
        self.up = Lut(rng.integers(-10, 40, (256, 256, 36), dtype=np.int8), 2, 2, 2, 2)

    def stage(self, st, residual, shift=4, lo=-128, hi=128):
        return Refine(self.rng.integers(lo, hi, (256, 256, 9), dtype=np.int8), st, shift,
                      (1 << shift) >> 1, residual)

    def test_refine_matches_the_loop(self):
        for st in (1, 2):
            for residual in (True, False):
                for h, w in ((1, 1), (2, 5), (7, 4)):
                    I = self.rng.integers(0, 256, (h, w), dtype=np.uint8)
                    s = self.stage(st, residual)
                    S = slow_sum(Lut(s.table, 1, st), I)
                    want = (S + s.rescale_bias) >> s.rescale_shift
                    if residual:
                        want = want + I
                    self.assertTrue(np.array_equal(refine(s, I), np.clip(want, 0, 255).astype(np.uint8)),
                                    (st, residual, h, w))

    def test_cascade(self):
        I = self.rng.integers(0, 256, (9, 6), dtype=np.uint8)
        a, b = self.stage(1, True, lo=-8, hi=8), self.stage(2, False, shift=2, lo=0, hi=30)
        lut = Lut(self.up.table, 2, 2, 2, 2, [a, b])
        plain = upscale(Lut(self.up.table, 2, 2, 2, 2), I)
        self.assertTrue(np.array_equal(upscale(lut, I, stages=0), plain))
        self.assertTrue(np.array_equal(upscale(lut, I, stages=1), refine(a, plain)))
        self.assertTrue(np.array_equal(upscale(lut, I), refine(b, refine(a, plain))))
        self.assertFalse(np.array_equal(upscale(lut, I), plain))

    def test_zero_residual_stage_is_identity(self):
        I = self.rng.integers(0, 256, (5, 8), dtype=np.uint8)
        z = Refine(np.zeros((256, 256, 9), np.int8), 1, 4, 8, True)
        self.assertTrue(np.array_equal(refine(z, I), I))


if __name__ == "__main__":
    _common.run_unittest()
