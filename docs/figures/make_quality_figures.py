#!/usr/bin/python3
"""Side-by-side crops for docs/quality.md and the README: nearest, bicubic
(MATLAB-style), eclutscale (the shipped table through the numpy reference,
which the element matches bit for bit) and the ground truth, on luma.

    /usr/bin/python3 docs/figures/make_quality_figures.py [../shared/datasets/bench]
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "training"))
from eclut.imresize import upscale as bicubic  # noqa: E402
from eclut.lutfile import load  # noqa: E402
from eclut.metrics import rgb2y  # noqa: E402
from eclut.reference import upscale as eclut_upscale  # noqa: E402

# (set, image, scale, crop box in HR pixels: x, y, w, h) - chosen for texture
# and edges, not for the table's score.
CROPS = [
    ("Set14", "zebra", 4, (120, 100, 128, 128)),
    ("Set5", "butterfly", 4, (64, 64, 128, 128)),
    ("Set14", "comic", 2, (60, 40, 128, 128)),
]
ZOOM = 2


def panel(y, box):
    x0, y0, w, h = box
    crop = y[y0:y0 + h, x0:x0 + w]
    return Image.fromarray(crop).resize((w * ZOOM, h * ZOOM), Image.NEAREST)


def main():
    bench = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "datasets", "bench")
    rows = []
    for setname, name, r, box in CROPS:
        base = os.path.join(bench, setname, "x%d" % r)
        hr = rgb2y(np.array(Image.open(os.path.join(base, "HR", name + ".png"))))
        lr = rgb2y(np.array(Image.open(os.path.join(base, "LR", name + ".png"))))
        lut = load(os.path.join(ROOT, "lut-data", "eclut-x%d.lut" % r))
        outs = [
            ("nearest x%d" % r, np.repeat(np.repeat(lr, r, 0), r, 1)),
            ("bicubic x%d" % r, bicubic(lr, r)),
            ("eclutscale x%d" % r, eclut_upscale(lut, lr)),
            ("ground truth", hr),
        ]
        rows.append([(label, panel(img, box)) for label, img in outs])
    pw, ph = rows[0][0][1].size
    pad, lab = 6, 16
    sheet = Image.new("L", (4 * pw + 5 * pad, len(rows) * (ph + lab + pad) + pad), 255)
    draw = ImageDraw.Draw(sheet)
    for i, row in enumerate(rows):
        for j, (label, im) in enumerate(row):
            x = pad + j * (pw + pad)
            y = pad + i * (ph + lab + pad)
            draw.text((x, y), label, fill=0)
            sheet.paste(im, (x, y + lab))
    out = os.path.join(HERE, "quality-crops.png")
    sheet.save(out)
    print(out)


if __name__ == "__main__":
    main()
