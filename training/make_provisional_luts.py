#!/usr/bin/python3
"""Writes *untrained* placeholder tables (nearest-neighbour equivalent: every
HR pixel copies its LR pixel) so the element has something to load before the
trained tables exist.  They are labelled as such in lut-data/README.md."""
import sys
import numpy as np
sys.path.insert(0, __file__.rsplit("/", 1)[0])
from eclut.lutfile import Lut, save  # noqa: E402

for r in (2, 3, 4):
    a = np.arange(256, dtype=np.float64)[:, None, None]
    # 36 equal entries per HR pixel (9 channels x 4 rotations) summing to 4a.
    t = np.broadcast_to(np.round(4 * a / 36), (256, 256, 9 * r * r)).astype(np.int8)
    save(Lut(t, r), "lut-data/eclut-x%d.lut" % r)
