"""The gather/scatter passes of the table fit (training/eclut/fitcore.c):
the forward pass is the reference's sum (both pairs of a refine stage), the
backward pass is the adjoint of the forward pass, and it gives the same bits
for any thread count, so that a training run is repeatable whatever
--threads says."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image

import _common
from eclut.fitcore import ImageSet
from eclut.lutfile import PAIR_BELOW, PAIR_BELOW_RIGHT, PAIR_CORNER, PAIR_QUAD
from eclut.reference import DIRS, refl, stage_sum

SAMPLE = os.path.join(_common.SRC_ROOT, "samples", "chelsea-320x240.png")


def wide_range_set(r, seed=1):
    """Many small planes of three grey levels (so every table entry sums
    many contributions) and residuals spanning nine decades: the case where
    a floating-point sum depends on its order."""
    rng = np.random.default_rng(seed)
    lrs = [rng.integers(100, 103, (int(rng.integers(5, 40)), int(rng.integers(5, 40))), dtype=np.uint8)
           for _ in range(60)]
    S = ImageSet(lrs, None, r)
    R = (rng.standard_normal(S.npix) * 10.0 ** rng.uniform(-6, 3, S.npix)).astype(np.float32)
    return S, R


def rotated_pairs(I, k, pair, phases):
    """Rotation @k of plane @I (int64), the second value of each pixel's
    pair (the pixel below, or below and to the right) and each pixel's
    position index (phases): what float_sum and exact_transpose index by."""
    J = np.rot90(I, k).astype(np.int64)
    h, w = J.shape
    below = np.concatenate([J[1:], J[-1:]], axis=0)
    b = np.concatenate([below[:, 1:], below[:, -1:]], axis=1) if pair == PAIR_BELOW_RIGHT else below
    pos = (np.arange(h)[:, None] % phases) * phases + np.arange(w)[None, :] % phases
    return J, b, pos


def float_sum(T, I, r, st, pair, phases):
    """The forward pass with a float32 table @T (256, 256, E) in numpy, in
    float32: rotation k = 0 .. 3, then each channel in DIRS order, added
    one by one to the output (as reference.rotation_sum, which sums
    integers, where the order does not matter)."""
    out = np.zeros((I.shape[0] * r, I.shape[1] * r), np.float32)
    for k in range(4):
        J, b, pos = rotated_pairs(I, k, pair, phases)
        h, w = J.shape
        E = T.reshape(256, 256, phases * phases, 9 * r * r)[J, b, pos]
        C = E.reshape(h, w, 9, r, r).transpose(2, 0, 3, 1, 4).reshape(9, h * r, w * r)
        O = np.rot90(out, k)  # a view: the adds land in out
        for c, (dy, dx) in enumerate(DIRS):
            O += C[c][np.ix_(refl(np.arange(h * r) - dy * st, h * r), refl(np.arange(w * r) - dx * st, w * r))]
    return out


def exact_transpose(R, I, r, st, pair, phases):
    """The backward pass in numpy: every HR pixel's residual added to the
    nine entries its value read (float_sum's indices), in float64."""
    G = np.zeros(65536 * phases * phases * 9 * r * r)
    for k in range(4):
        J, b, pos = rotated_pairs(I, k, pair, phases)
        h, w = J.shape
        base = ((J * 256 + b) * phases * phases + pos) * 9 * r * r
        Rk = np.rot90(R, k)
        for c, (dy, dx) in enumerate(DIRS):
            ty = refl(np.arange(h * r) - dy * st, h * r)[:, None]
            tx = refl(np.arange(w * r) - dx * st, w * r)[None, :]
            idx = base[ty // r, tx // r] + c * r * r + (ty % r) * r + tx % r
            np.add.at(G, idx.ravel(), Rk.ravel())
    return G


class FitCore(unittest.TestCase):
    def test_backward_is_the_transpose(self):
        """With whole-number residuals (exact in bwd's fixed point) the
        backward pass is the exact transpose of the model, on frames down
        to one pixel and thinner than the expand step's reach, where the
        channels reflect at both edges."""
        rng = np.random.default_rng(5)
        shapes = ((1, 1), (7, 1), (1, 6), (2, 3), (4, 5), (9, 13), (17, 6))
        for r, st, pair, phases in ((1, 1, PAIR_BELOW, 1), (1, 2, PAIR_BELOW_RIGHT, 4), (1, 3, PAIR_BELOW, 2),
                                    (2, 2, PAIR_BELOW, 1), (3, 1, PAIR_BELOW, 1), (3, 3, PAIR_BELOW, 1),
                                    (4, 4, PAIR_BELOW, 1), (4, 2, PAIR_BELOW, 1)):
            lrs = [rng.integers(0, 256, s, dtype=np.uint8) for s in shapes]
            S = ImageSet(lrs, None, r)
            S.pair, S.phases = pair, phases
            R = rng.integers(-50, 51, S.npix).astype(np.float32)
            want = sum(exact_transpose(p.astype(np.float64), a, r, st, pair, phases)
                       for a, p in zip(lrs, S.planes(R)))
            for t in (1, 2):
                self.assertTrue(np.array_equal(S.bwd(R, st, t), want),
                                "r %d step %d pair %d phases %d: bwd is not the transpose" % (r, st, pair, phases))

    def test_backward_same_bits_for_any_thread_count(self):
        for r, st in ((2, 2), (3, 1)):
            S, R = wide_range_set(r)
            ref = S.bwd(R, st, 1)
            for t in (2, 3, 4):
                self.assertTrue(np.array_equal(ref, S.bwd(R, st, t)),
                                "x%d step %d: bwd with %d threads differs from 1 thread" % (r, st, t))

    def test_forward_is_the_reference(self):
        """The fit's model is the spec: integer tables give reference.stage_sum
        exactly, for the upscaling stage and for refine sets of every pair."""
        rng = np.random.default_rng(3)
        lrs = [rng.integers(0, 256, (h, w), dtype=np.uint8) for h, w in ((1, 1), (7, 1), (9, 13), (5, 22))]
        # and one of small differences, which PAIR_QUAD tells apart finely
        lrs.append(rng.integers(100, 160, (12, 11), dtype=np.uint8))
        for r, st, pair in ((2, 2, PAIR_BELOW), (1, 1, PAIR_BELOW), (1, 2, PAIR_BELOW_RIGHT),
                            (1, 1, PAIR_BELOW_RIGHT), (1, 2, PAIR_CORNER), (1, 1, PAIR_CORNER),
                            (1, 2, PAIR_QUAD), (1, 1, PAIR_QUAD)):
            S = ImageSet(lrs, None, r)
            S.pair = pair
            T = rng.integers(-128, 128, (256, 256, 9 * r * r)).astype(np.int8)
            got = S.fwd(T.astype(np.float32).ravel(), st, 2)
            want = np.concatenate([stage_sum(T, a, r, st, pair).ravel() for a in lrs])
            self.assertTrue(np.array_equal(got, want.astype(np.float32)),
                            "r %d step %d pair %d: fit operator differs from the reference" % (r, st, pair))

    def test_forward_float_order(self):
        """With a float table the forward pass adds each pixel's entries in
        one fixed order (rotation by rotation, channel by channel as DIRS
        lists them), so that a training run gives the same floats whatever
        the loops look like: compared with those float32 sums in numpy, on
        entries spanning eight decades, where another order would round
        differently."""
        rng = np.random.default_rng(4)
        lrs = [rng.integers(0, 256, (h, w), dtype=np.uint8) for h, w in ((9, 13), (17, 6))]
        for r, st, pair, phases in ((2, 2, PAIR_BELOW, 1), (1, 2, PAIR_BELOW_RIGHT, 2), (3, 1, PAIR_BELOW, 1)):
            S = ImageSet(lrs, None, r)
            S.pair, S.phases = pair, phases
            e = 9 * r * r * phases * phases
            T = (rng.standard_normal(65536 * e) * 10.0 ** rng.uniform(-4, 4, 65536 * e)).astype(np.float32)
            got = S.fwd(T, st, 2)
            want = np.concatenate([float_sum(T.reshape(256, 256, e), a, r, st, pair, phases).ravel()
                                   for a in lrs])
            self.assertTrue(np.array_equal(got, want),
                            "r %d step %d pair %d: the float sums differ from the fixed order" % (r, st, pair))

    def test_backward_is_the_adjoint(self):
        """<A T, R> = <T, A^T R>: the fixed-point rounding of the residuals
        costs far less than the fit could notice."""
        rng = np.random.default_rng(2)
        lrs = [rng.integers(0, 256, (h, w), dtype=np.uint8) for h, w in ((13, 17), (8, 30))]
        for r, st, pair in ((2, 1, PAIR_BELOW), (4, 4, PAIR_BELOW), (1, 2, PAIR_BELOW_RIGHT),
                            (1, 2, PAIR_CORNER), (1, 2, PAIR_QUAD)):
            S = ImageSet(lrs, None, r)
            S.pair = pair
            T = rng.standard_normal(65536 * 9 * r * r).astype(np.float32)
            R = (rng.standard_normal(S.npix) * 50).astype(np.float32)
            lhs = float(np.dot(S.fwd(T, st, 2).astype(np.float64), R.astype(np.float64)))
            rhs = float(np.dot(T.astype(np.float64), S.bwd(R, st, 2)))
            self.assertAlmostEqual(lhs, rhs, delta=1e-6 * (abs(lhs) + 1))

    def test_training_repeatable_with_any_thread_count(self):
        tmp = tempfile.mkdtemp(prefix="eclut-fitcore-")
        try:
            data = os.path.join(tmp, "data")
            os.makedirs(data)
            im = Image.open(SAMPLE).convert("RGB")
            for i, (x, y) in enumerate([(0, 0), (120, 40), (200, 100), (60, 120)]):
                im.crop((x, y, x + 96, y + 96)).save(os.path.join(data, "crop%d.png" % i))
            outs = []
            for t in (1, 2):
                out = os.path.join(tmp, "t%d.lut" % t)
                cmd = [sys.executable, "-m", "eclut.train", "--scale", "2", "--expand-step", "r",
                       "--data", data, "--out", out, "--work", os.path.join(tmp, "w%d" % t),
                       "--val-frac", "0.25", "--grid-iters", "2", "--iters", "4", "--ft-iters", "1",
                       "--shifts", "2,3", "--threads", str(t), "--val-every", "1"]
                p = subprocess.run(cmd, cwd=os.path.join(_common.SRC_ROOT, "training"),
                                   capture_output=True, text=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                with open(out, "rb") as f, open(os.path.splitext(out)[0] + ".json") as g:
                    outs.append((f.read(), json.load(g)["per_expand_step"]["2"]))
            self.assertEqual(outs[0][0], outs[1][0], "--threads 1 and 2 wrote different tables")
            for key in ("val_psnr_float", "val_history_float", "val_psnr_quantised", "val_psnr_finetuned"):
                self.assertEqual(outs[0][1][key], outs[1][1][key], key)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    _common.run_unittest()
