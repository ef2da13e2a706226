#!/usr/bin/python3
"""Crops of a x1.5 resize (what 720p -> 1080p does) for docs/quality.md:
videoscale method=lanczos, eclutscale (auto: the x2 table, then the default
resampling down to x1.5) and the ground truth, on luma.

The HR benchmark image is downscaled by 1.5 with the MATLAB-compatible
bicubic and scaled back with each element through gst-launch-1.0 (GRAY8),
as eclut.ratios does for the numbers in docs/quality.md.

    /usr/bin/python3 docs/figures/make_resize_figure.py [BUILD_DIR [BENCH_DIR]]
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "training"))
from eclut import element as EL  # noqa: E402
from eclut.imresize import imresize  # noqa: E402
from eclut.metrics import rgb2y  # noqa: E402
from eclut.element import gst_scale  # noqa: E402
from make_quality_figures import panel  # noqa: E402  (this folder)

# (set, image, crop box in HR pixels: x, y, w, h) - chosen for texture and
# edges, not for the score
CROPS = [
    ("Set14", "zebra", (120, 100, 128, 128)),
    ("Set5", "butterfly", (64, 64, 128, 128)),
    ("Set14", "comic", (60, 40, 128, 128)),
]


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    bench = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "datasets", "bench")
    env = EL.plugin_env(build)
    env.setdefault("ECLUT_LUT_DIR", os.path.join(ROOT, "lut-data"))
    rows = []
    for setname, name, box in CROPS:
        hr = np.array(Image.open(os.path.join(bench, setname, "x2", "HR", name + ".png")))
        h, w = hr.shape[:2]
        hr = hr[: h - h % 3, : w - w % 3]
        lr = rgb2y(imresize(hr, output_shape=(hr.shape[0] * 2 // 3, hr.shape[1] * 2 // 3)))
        H, W = hr.shape[:2]
        outs = [
            ("videoscale lanczos", gst_scale(lr, W, H, "videoscale method=lanczos", env)),
            ("eclutscale", gst_scale(lr, W, H, "eclutscale", env)),
            ("ground truth", rgb2y(hr)),
        ]
        rows.append([(label, panel(img, box)) for label, img in outs])
    pw, ph = rows[0][0][1].size
    pad, lab = 6, 16
    sheet = Image.new("L", (3 * pw + 4 * pad, len(rows) * (ph + lab + pad) + pad), 255)
    draw = ImageDraw.Draw(sheet)
    for i, row in enumerate(rows):
        for j, (label, im) in enumerate(row):
            x = pad + j * (pw + pad)
            y = pad + i * (ph + lab + pad)
            draw.text((x, y), label + " (x1.5)" if j < 2 else label, fill=0)
            sheet.paste(im, (x, y + lab))
    out = os.path.join(HERE, "resize-crops.png")
    sheet.save(out, optimize=True)
    print("wrote", out)


if __name__ == "__main__":
    main()
