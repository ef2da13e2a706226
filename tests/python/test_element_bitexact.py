"""The element's luma equals the numpy reference (training/eclut/reference.py)
byte for byte: GRAY8 and I420, every scale, both expand steps, several
rescale shifts, random tables and natural-image crops, sizes 1x1, 3x5 and
321x241, plus the shipped tables.  At 10 bits (I420_10LE, I422_10LE,
Y444_10LE, P010_10LE) every plane, luma and chroma, equals the reference's
upscale_samples and upscale_chroma, P010's low bits zero, and quality=high
the cascade of refine_samples.  The element runs through gst-launch-1.0
with the plugin from the build tree (GST_PLUGIN_PATH set by meson)."""
import os
import shutil
import tempfile
import unittest

import numpy as np
from PIL import Image

import _common
from eclut import element
from eclut.lutfile import Lut, Refine, load, save
from eclut.reference import refine_samples, upscale, upscale_chroma, upscale_samples

SIZES = [(1, 1), (3, 5), (241, 321)]  # (height, width)
SAMPLE = os.path.join(_common.SRC_ROOT, "samples", "chelsea-320x240.png")


def natural_crop(h, w, seed):
    """A crop of the bundled photo (grey), tiled if the request is larger."""
    y = np.array(Image.open(SAMPLE).convert("L"))
    y = np.tile(y, (2, 2))
    rng = np.random.default_rng(seed)
    y0 = int(rng.integers(0, y.shape[0] - h + 1))
    x0 = int(rng.integers(0, y.shape[1] - w + 1))
    return np.ascontiguousarray(y[y0:y0 + h, x0:x0 + w])


def random_table(r, step, shift, seed):
    rng = np.random.default_rng(seed)
    t = rng.integers(-128, 128, size=(256, 256, 9 * r * r), dtype=np.int16).astype(np.int8)
    return Lut(t, r, step, shift, (1 << shift) >> 1)


def random_v2(rng, r, steps, seed):
    """A v2 table: a random upscaling stage (@seed) of a plausible
    brightness, then a refine stage per expand step in @steps (random from
    @rng): the first residual, the others plain.  Every pair: the pixel
    below, below-right, the corner mean and the quad block (stage k reads
    pair (k + r) % 4, so that each pair is read at some scale).  The
    first stage has a table per position (phases r), x3's second 2."""
    up = random_table(r, r, 3, seed)
    up.table = (up.table // 6 + 10).astype(np.int8)

    def phases(k):
        return r if k == 0 else 2 if r == 3 else 1
    stages = [Refine(rng.integers(-12, 12, (256, 256, 9 * phases(k) ** 2), dtype=np.int8), st, 4, 8, True,
                     pair=(k + r) % 4, phases=phases(k))
              if k == 0 else
              Refine(rng.integers(-5, 12, (256, 256, 9 * phases(k) ** 2), dtype=np.int8), st, 2, 2, False,
                     pair=(k + r) % 4, phases=phases(k))
              for k, st in enumerate(steps)]
    return Lut(up.table, r, r, 3, 4, stages)


class ElementMatchesReference(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("gst-launch-1.0") is None:
            raise unittest.SkipTest("gst-launch-1.0 not installed")
        cls.tmp = tempfile.mkdtemp(prefix="eclut-bitexact-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check(self, lut, path, plane, fmt, stages=None, props=()):
        want = upscale(lut, plane, stages)
        got = element.upscale(plane, lut.scale, path, fmt=fmt, env=dict(os.environ),
                              props=props)
        self.assertEqual(got.shape, want.shape)
        bad = np.argwhere(got != want)
        self.assertEqual(len(bad), 0, "%s x%d step %d shift %d %s: %d pixels differ, first at %s"
                         % (fmt, lut.scale, lut.expand_step, lut.rescale_shift,
                            plane.shape, len(bad), bad[:1].tolist()))

    def test_random_tables(self):
        seed = 0
        for r in (2, 3, 4):
            for step in (1, r):
                for shift in (2, 8):
                    seed += 1
                    lut = random_table(r, step, shift, seed)
                    path = os.path.join(self.tmp, "rand-%d-%d-%d.lut" % (r, step, shift))
                    save(lut, path)
                    for fmt in ("gray8", "i420"):
                        for h, w in SIZES:
                            with self.subTest(r=r, step=step, shift=shift, fmt=fmt, size=(h, w)):
                                noise = np.random.default_rng(seed * 7 + h).integers(
                                    0, 256, (h, w), dtype=np.uint8)
                                self.check(lut, path, noise, fmt)
                                self.check(lut, path, natural_crop(h, w, seed), fmt)

    def test_refine_stages(self):
        """v2 tables: quality=high runs the refine stages as the reference's
        cascade does, quality=medium the first of them, quality=fast (the
        default) the upscaling stage alone; any number of threads gives the
        same bytes."""
        rng = np.random.default_rng(18)
        for r, steps in ((2, (2, 1, 2)), (3, (2, 1)), (4, (1, 2))):
            lut = random_v2(rng, r, steps, 100 + r)
            path = os.path.join(self.tmp, "v2-x%d.lut" % r)
            save(lut, path)
            for fmt in ("gray8", "i420"):
                for h, w in SIZES:
                    plane = natural_crop(h, w, r + h)
                    for props, stages_run in ((["quality=high"], None), ([], 0),
                                              (["quality=medium"], 1),
                                              (["quality=high", "n-threads=2"], None)):
                        with self.subTest(r=r, fmt=fmt, size=(h, w), props=props):
                            want = upscale(lut, plane, stages_run)
                            got = element.upscale(plane, r, path, fmt=fmt, env=dict(os.environ),
                                                  props=props)
                            bad = np.argwhere(got != want)
                            self.assertEqual(len(bad), 0, "%d pixels differ, first at %s"
                                             % (len(bad), bad[:1].tolist()))
            # the stages change the picture (else the test could not fail)
            plane = natural_crop(64, 48, 5)
            self.assertFalse(np.array_equal(upscale(lut, plane), upscale(lut, plane, 0)))
            if len(lut.refine) > 1:  # and medium is neither
                self.assertFalse(np.array_equal(upscale(lut, plane), upscale(lut, plane, 1)))

    def test_shipped_tables(self):
        """The default (quality=fast) runs the upscaling stage alone,
        quality=high every refine stage the table has."""
        for r in (2, 3, 4):
            path = os.path.join(_common.SRC_ROOT, "lut-data", "eclut-x%d.lut" % r)
            lut = load(path)
            modes = [(0, ())] + ([(1, ("quality=medium",)), (None, ("quality=high",))] if lut.refine else [])
            for fmt in ("gray8", "i420"):
                for h, w in SIZES:
                    for stages, props in modes:
                        with self.subTest(r=r, fmt=fmt, size=(h, w), props=props):
                            self.check(lut, path, natural_crop(h, w, r), fmt, stages, props)


# format: chroma subsampling (f_x, f_y)
TEN_BIT_SUB = {"i420_10le": (2, 2), "i422_10le": (2, 1), "y444_10le": (1, 1),
               "p010_10le": (2, 2)}
# chroma-site: siting (q_x, q_y) where the subsampling makes it count
SITES = {"jpeg": (1, 1), "mpeg2": (0, 1)}


def natural_crop_10(h, w, seed):
    """A 10-bit plane: the photo crop times 4 plus a random remainder (the
    low bits then carry detail the table does not see)"""
    rem = np.random.default_rng(seed).integers(0, 4, (h, w))
    return natural_crop(h, w, seed).astype(np.int64) * 4 + rem


class TenBitMatchesReference(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("gst-launch-1.0") is None:
            raise unittest.SkipTest("gst-launch-1.0 not installed")
        cls.tmp = tempfile.mkdtemp(prefix="eclut-bitexact10-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def frame(self, fmt, h, w, seed, natural):
        fx, fy = TEN_BIT_SUB[fmt]
        ch, cw = -(-h // fy), -(-w // fx)
        rng = np.random.default_rng(seed)
        if natural:
            Y = natural_crop_10(h, w, seed)
        else:
            Y = rng.integers(0, 1024, (h, w))
            Y[rng.random((h, w)) < 0.2] = 1023
            Y[rng.random((h, w)) < 0.2] = 0
        U = rng.integers(0, 1024, (ch, cw))
        V = rng.integers(0, 1024, (ch, cw))
        return Y, U, V

    def check(self, lut, path, fmt, Y, U, V, site="jpeg", stages=0, props=()):
        r = lut.scale
        h, w = Y.shape
        fx, fy = TEN_BIT_SUB[fmt]
        got = element.upscale_frame(Y, U, V, fmt, r, path, env=dict(os.environ), chroma_site=site,
                                    props=props)
        out_c = (-(-h * r // fy), -(-w * r // fx))
        want = [upscale_samples(lut, Y, stages=stages)] + [
            upscale_chroma(C, r, out_c, (fx, fy), SITES[site], bits=10) for C in (U, V)]
        for name, g, wnt in zip("YUV", got, want):
            self.assertEqual(g.shape, wnt.shape, name)
            bad = np.argwhere(g != wnt)
            self.assertEqual(len(bad), 0, "%s %s x%d %s: %d samples differ, first at %s"
                             % (fmt, name, r, Y.shape, len(bad), bad[:1].tolist()))
        if fmt == "p010_10le":
            raw = element.upscale_frame(Y, U, V, fmt, r, path, env=dict(os.environ),
                                        chroma_site=site, raw=True)
            for words in raw:
                self.assertEqual(int((words & 63).max()), 0, "P010 low bits set")

    def test_random_tables(self):
        for r in (2, 3, 4):
            lut = random_table(r, r, 8 - r, 40 + r)
            path = os.path.join(self.tmp, "rand10-%d.lut" % r)
            save(lut, path)
            for k, fmt in enumerate(sorted(TEN_BIT_SUB)):
                for h, w in ((1, 1), (3, 5), (61, 97)):
                    with self.subTest(r=r, fmt=fmt, size=(h, w)):
                        self.check(lut, path, fmt, *self.frame(fmt, h, w, 10 * r + k + h, False),
                                   site="jpeg" if (h + k) % 2 else "mpeg2")

    def test_refine_stages(self):
        """quality=high at 10 bits: the reference's upscale_samples, then
        refine_samples for each stage; quality=medium the first of them,
        quality=fast none; any number of threads the same"""
        rng = np.random.default_rng(19)
        for r, steps in ((2, (2, 1, 2)), (3, (2, 1)), (4, (1, 2))):
            lut = random_v2(rng, r, steps, 200 + r)
            path = os.path.join(self.tmp, "v2-10-x%d.lut" % r)
            save(lut, path)
            for k, fmt in enumerate(sorted(TEN_BIT_SUB)):
                for h, w in ((3, 5), (41, 67)):
                    Y, U, V = self.frame(fmt, h, w, 50 * r + k + h, True)
                    fast = upscale_samples(lut, Y, stages=0)
                    medium = refine_samples(lut.refine[0], fast)
                    high = fast
                    for st in lut.refine:
                        high = refine_samples(st, high)
                    for props, want in ((["quality=high"], high), ([], fast),
                                        (["quality=medium"], medium),
                                        (["quality=high", "n-threads=2"], high)):
                        with self.subTest(r=r, fmt=fmt, size=(h, w), props=props):
                            got = element.upscale_frame(Y, U, V, fmt, r, path, env=dict(os.environ),
                                                        props=props)[0]
                            bad = np.argwhere(got != want)
                            self.assertEqual(len(bad), 0, "%d samples differ, first at %s"
                                             % (len(bad), bad[:1].tolist()))
            # the stages change the picture (else the test could not fail)
            self.assertFalse(np.array_equal(high, fast))
            if len(lut.refine) > 1:
                self.assertFalse(np.array_equal(high, medium))

    def test_shipped_tables(self):
        """The default (quality=fast) and, for tables with refine stages,
        quality=high."""
        for r in (2, 3, 4):
            path = os.path.join(_common.SRC_ROOT, "lut-data", "eclut-x%d.lut" % r)
            lut = load(path)
            modes = [(0, ())] + ([(1, ("quality=medium",)), (None, ("quality=high",))] if lut.refine else [])
            for k, fmt in enumerate(sorted(TEN_BIT_SUB)):
                for h, w in ((5, 3), (121, 161)):
                    for stages, props in modes:
                        with self.subTest(r=r, fmt=fmt, size=(h, w), props=props):
                            self.check(lut, path, fmt, *self.frame(fmt, h, w, r + k, True),
                                       site="mpeg2" if k % 2 else "jpeg", stages=stages,
                                       props=props)


if __name__ == "__main__":
    _common.run_unittest()
