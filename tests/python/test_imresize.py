import glob
import os
import unittest

import numpy as np
from PIL import Image

import _common
from eclut.imresize import downscale, upscale, imresize

SHARED = None


class ImresizeTest(unittest.TestCase):
    def compare(self, sub, min_exact, min_within1):
        files = sorted(glob.glob(os.path.join(SHARED, "datasets", "bench", "Set*", "x*", sub, "*.png")))
        self.assertTrue(files)
        tot = exact = within = 0
        for f in files:
            r = int(f.split(os.sep + "x")[-1][0])
            hr = np.array(Image.open(f.replace(os.sep + sub + os.sep, os.sep + "HR" + os.sep)))
            lr = np.array(Image.open(f))
            me = downscale(hr, r)
            self.assertEqual(me.shape, lr.shape, f)
            d = np.abs(me.astype(int) - lr)
            tot += d.size
            exact += (d == 0).sum()
            within += (d <= 1).sum()
        print("%s: %d pixels, %.4f%% exact, %.4f%% within +-1" % (sub, tot, 100 * exact / tot, 100 * within / tot))
        self.assertGreaterEqual(exact / tot, min_exact)
        self.assertGreaterEqual(within / tot, min_within1)

    def test_lr_matlab(self):
        # measured: 97.4 % exact, 99.9996 % within +-1
        self.compare("LR_matlab", 0.97, 0.9999)

    def test_lr(self):
        # measured: 98.9 % exact, 99.75 % within +-1 (LR and LR_matlab differ from each other too)
        self.compare("LR", 0.985, 0.997)

    def test_shapes_and_identity(self):
        a = np.random.default_rng(0).integers(0, 256, (13, 10)).astype(np.uint8)
        self.assertEqual(downscale(a, 3).shape, (4, 3))
        self.assertEqual(upscale(a, 4).shape, (52, 40))
        c = np.full((8, 8), 99, np.uint8)
        self.assertTrue(np.all(downscale(c, 2) == 99) and np.all(upscale(c, 3) == 99))
        self.assertEqual(imresize(np.zeros((8, 6, 3), np.uint8), 0.5).shape, (4, 3, 3))


if __name__ == "__main__":
    SHARED = _common.require_shared()
    _common.run_unittest()
