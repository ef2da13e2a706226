import glob
import os
import unittest

import numpy as np
from PIL import Image

import _common
from eclut.imresize import upscale
from eclut.metrics import rgb2y, psnr, ssim

SHARED = None


def bicubic(setname, r):
    ps, ss = [], []
    for f in sorted(glob.glob(os.path.join(SHARED, "datasets", "bench", setname, "x%d" % r, "LR", "*.png"))):
        hr = rgb2y(np.array(Image.open(f.replace(os.sep + "LR" + os.sep, os.sep + "HR" + os.sep))))
        up = upscale(rgb2y(np.array(Image.open(f))), r)
        ps.append(psnr(up, hr, r))
        ss.append(ssim(up, hr, r))
    return np.mean(ps), np.mean(ss)


class MetricsTest(unittest.TestCase):
    def test_synthetic(self):
        a = np.zeros((20, 20))
        self.assertAlmostEqual(psnr(a, a + 1), 20 * np.log10(255), places=9)
        self.assertEqual(psnr(a, a), float("inf"))
        b = a.copy()
        b[0] = 100  # shaved away
        self.assertEqual(psnr(a, b, shave=1), float("inf"))
        x = np.random.default_rng(0).integers(0, 256, (40, 40)).astype(float)
        self.assertAlmostEqual(ssim(x, x), 1.0, places=12)
        self.assertLess(ssim(x, x[::-1]), 0.2)

    def test_rgb2y(self):
        px = np.array([[[255, 255, 255], [0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255]]], np.uint8)
        self.assertEqual(list(rgb2y(px)[0]), [235, 16, 81, 145, 41])

    def test_bicubic_known_values(self):
        if SHARED is None:
            self.skipTest("no shared data")
        for setname, r, want in (("Set5", 4, 28.42), ("Set14", 4, 25.99), ("Set5", 2, 33.64)):
            p, s = bicubic(setname, r)
            print("bicubic %s x%d: %.3f dB, SSIM %.4f" % (setname, r, p, s))
            self.assertAlmostEqual(p, want, delta=0.006)


if __name__ == "__main__":
    SHARED = _common.require_shared()
    _common.run_unittest()
