"""PSNR/SSIM on Y (luma-only upscaling) for Set5/Set14, table vs MATLAB bicubic.

Run from training/:
    /usr/bin/python3 -m eclut.evaluate --bench ../../shared/datasets/bench \
        --lut-dir ../lut-data [--element --build-dir ../build] [--scales 2,3,4]

The LR input is the benchmark's MATLAB-made LR (bench/<Set>/x<r>/LR), its Y
(MATLAB rgb2ycbcr) upscaled alone; HR Y is the reference; `scale` pixels are
shaved.  Prints a markdown table.
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
from PIL import Image

from . import element as EL
from .imresize import upscale as bicubic
from .lutfile import load
from .metrics import rgb2y, psnr, ssim
from .reference import upscale as ref_upscale


def bench_images(bench, setname, r):
    out = []
    for f in sorted(glob.glob(os.path.join(bench, setname, "x%d" % r, "LR", "*.png"))):
        hr = rgb2y(np.array(Image.open(f.replace(os.sep + "LR" + os.sep, os.sep + "HR" + os.sep))))
        lr = rgb2y(np.array(Image.open(f)))
        out.append((os.path.basename(f), lr, hr))
    return out


def score(up_fn, imgs, r):
    ps, ss = [], []
    for name, lr, hr in imgs:
        up = up_fn(lr)
        assert up.shape == hr.shape, (name, up.shape, hr.shape)
        ps.append(psnr(up, hr, r))
        ss.append(ssim(up, hr, r))
    return float(np.mean(ps)), float(np.mean(ss))


def evaluate(bench, luts, sets=("Set5", "Set14"), element=False, build_dir=None, bicubic_too=True,
             lanczos=False):
    """luts: {label: (scale, path)}. Returns rows: (label, scale, method, set, psnr, ssim)."""
    rows = []
    scales = sorted({r for r, p in luts.values()})
    for r in scales:
        for s in sets:
            imgs = bench_images(bench, s, r)
            if bicubic_too:
                rows.append(("bicubic", r, "bicubic", s) + score(lambda x: bicubic(x, r), imgs, r))
            if lanczos:
                rows.append(("videoscale lanczos", r, "videoscale", s)
                            + score(lambda x: EL.videoscale(x, r), imgs, r))
            for label, (rr, path) in luts.items():
                if rr != r:
                    continue
                lut = load(path)
                if lut.refine:  # v2: the upscaling stage alone too (the element's fast mode)
                    rows.append((label + " fast", r, "reference", s)
                                + score(lambda x: ref_upscale(lut, x, 0), imgs, r))
                rows.append((label, r, "reference", s) + score(lambda x: ref_upscale(lut, x), imgs, r))
                if element:
                    if lut.refine:  # the element's default, quality=fast
                        rows.append((label + " fast", r, "element", s) + score(
                            lambda x: EL.upscale(x, r, path, build_dir), imgs, r))
                    props = ("quality=high",) if lut.refine else ()
                    rows.append((label, r, "element", s) + score(
                        lambda x: EL.upscale(x, r, path, build_dir, props=props), imgs, r))
    return rows


def markdown(rows, sets=("Set5", "Set14")):
    keys = []
    for lab, r, m, s, p, q in rows:
        if (r, lab, m) not in keys:
            keys.append((r, lab, m))
    d = {(r, lab, m, s): (p, q) for lab, r, m, s, p, q in rows}
    lines = ["| scale | table | through | " + " | ".join("%s PSNR / SSIM" % s for s in sets) + " |",
             "|---|---|---|" + "---|" * len(sets)]
    for r, lab, m in keys:
        cells = []
        for s in sets:
            v = d.get((r, lab, m, s))
            cells.append("%.2f / %.4f" % v if v else "")
        lines.append("| x%d | %s | %s | %s |" % (r, lab, m, " | ".join(cells)))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap.add_argument("--bench", default=os.environ.get("ECLUT_SHARED", os.path.join(os.path.dirname(root), "shared"))
                    + "/datasets/bench")
    ap.add_argument("--lut-dir", default=os.path.join(root, "lut-data"))
    ap.add_argument("--lut", action="append", default=[],
                    help="extra table LABEL=PATH (scale read from the file); repeatable")
    ap.add_argument("--scales", default="2,3,4")
    ap.add_argument("--sets", default="Set5,Set14")
    ap.add_argument("--element", action="store_true", help="also run through gst-launch-1.0 (GRAY8)")
    ap.add_argument("--lanczos", action="store_true",
                    help="also score GStreamer's videoscale method=lanczos envelope=3")
    ap.add_argument("--build-dir", default=os.path.join(root, "build"))
    ap.add_argument("--json", help="write the rows here too")
    args = ap.parse_args(argv)
    sets = args.sets.split(",")
    luts = {}
    if args.lut:
        for spec in args.lut:
            lab, path = spec.split("=", 1)
            luts[lab] = (load(path).scale, path)
    else:
        for r in [int(x) for x in args.scales.split(",")]:
            p = os.path.join(args.lut_dir, "eclut-x%d.lut" % r)
            if os.path.exists(p):
                L = load(p)
                luts["eclut-x%d (step %d)" % (r, L.expand_step)] = (r, p)
    rows = evaluate(args.bench, luts, sets, args.element, args.build_dir, lanczos=args.lanczos)
    print(markdown(rows, sets))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
