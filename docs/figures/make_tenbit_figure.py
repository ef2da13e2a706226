#!/usr/bin/python3
"""A smooth 10-bit gradient upscaled x4, for docs/quality.md ("10-bit
video"): the 8-bit detour (rounded to 8 bits, through the 8-bit table,
back to 10 bits: what an 8-bit element in the pipeline gives) beside the
10-bit path of eclutscale (both quality=fast), with the contrast stretched so that one 10-bit level is
visible.

The source is a 10-bit plane made for the purpose: a slow diagonal ramp
spanning 48 levels of 10 bits (12 of 8 bits) with a soft-edged disc on it,
so both the smooth part (where an 8-bit detour bands) and an edge (where
the table sharpens) are in the crop.  Both paths are the numpy reference,
which the element matches bit for bit (tests/python).

    /usr/bin/python3 docs/figures/make_tenbit_figure.py
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.environ.get("ECLUT_TRAINING", os.path.join(ROOT, "training")))
from eclut.lutfile import load  # noqa: E402
from eclut.reference import upscale, upscale_samples  # noqa: E402

R = 4
LOW, SPAN = 400, 48             # the ramp's 10-bit range


def source(h=48, w=64):
    """The 10-bit LR plane: ramp + soft disc."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    ramp = LOW + SPAN * (x + 0.5 * y) / (w + 0.5 * h)
    d = np.hypot(y - h * 0.55, x - w * 0.35)
    disc = 1.0 / (1.0 + np.exp((d - h * 0.22) / 1.2))
    v = ramp + 0.6 * SPAN * disc
    return np.clip(np.round(v), 0, 1023).astype(np.uint16)


def stretch(v):
    """10-bit values around the ramp to 8-bit grey, 4 grey levels per
    10-bit level (so one 8-bit step of the detour is 16 grey levels)."""
    g = (v.astype(np.float64) - LOW + 4) * 255.0 / (1.6 * SPAN + 8)
    return Image.fromarray(np.clip(np.round(g), 0, 255).astype(np.uint8))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "tenbit-gradient.png")
    lut = load(os.path.join(ROOT, "lut-data", "eclut-x%d.lut" % R))
    v = source()
    panels = [
        ("10-bit source (nearest)", np.kron(v, np.ones((R, R), np.uint16))),
        ("8-bit detour", upscale(lut, np.minimum((v + 2) >> 2, 255).astype(np.uint8),
                                 0).astype(np.uint16) << 2),
        ("eclutscale, 10-bit", upscale_samples(lut, v, 10, 0)),
    ]
    pw, ph = panels[0][1].shape[1], panels[0][1].shape[0]
    pad, lab = 6, 16
    sheet = Image.new("L", (len(panels) * (pw + pad) + pad, ph + lab + 2 * pad), 255)
    draw = ImageDraw.Draw(sheet)
    for j, (label, img) in enumerate(panels):
        x = pad + j * (pw + pad)
        draw.text((x, pad // 2), "%s: %d levels" % (label, len(np.unique(img))), fill=0)
        sheet.paste(stretch(img), (x, pad + lab))
    sheet.save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
