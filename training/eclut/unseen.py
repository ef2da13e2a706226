"""Scores on photographs no shipped table has seen: a generalisation check
beside Set5/Set14.

The photos scored are every K-th of ../shared/datasets/photos (417 sharper
photographs: buildings, streets, interiors, people, animals), sorted by
name, so the subset is fixed.  No shipped table has seen them: the
upscaling stages, which also fit the photos folder, leave exactly this
subset out (`eclut.train --extra-hold-out-every 6`, data.every_kth ()),
and so do the refine stages that fit the photos folder too (the ×3 and ×4
quad stages, `--extra-refine-from 3`).
The LR image is made as the training tool makes it (MATLAB bicubic of the
RGB photo, then Y); the tool reports the mean Y-PSNR / SSIM (`scale`
pixels shaved) of each table's upscaling stage alone (the element's
quality=fast) and with its refine stages (quality=high), beside MATLAB
bicubic and GStreamer's videoscale lanczos.

Run from training/:
    /usr/bin/python3 -m eclut.unseen --scales 2,3,4 [--every 6] \
        [--lut-dir ../lut-data] [--lut label=path]

The tables run through the exact integer inference of the training tool's C
passes (the element matches them bit for bit: tests/python).
"""
import argparse
import os

import numpy as np

from . import data as D
from . import element as EL
from .cascade import stage_output
from .fitcore import ImageSet
from .imresize import upscale as bicubic
from .lutfile import load
from .metrics import psnr, ssim


def score_pairs(pairs, r, predict):
    """Mean (PSNR, SSIM) of predict(i, lr) against the HR planes."""
    ps, ss = [], []
    for i, (lr, hr) in enumerate(pairs):
        up = predict(i, lr)
        assert up.shape == hr.shape, (up.shape, hr.shape)
        ps.append(psnr(up, hr, r))
        ss.append(ssim(up, hr, r))
    return float(np.mean(ps)), float(np.mean(ss))


def table_outputs(pairs, r, lut, threads):
    """The integer output planes of @lut (all its stages) on the LR planes."""
    S = ImageSet([a for a, b in pairs], None, r)
    flat = stage_output(S, lut, threads)
    return [np.asarray(p, dtype=np.uint8) for p in S.planes(flat)]


def evaluate(photos, luts, scales, every, work, threads=2, lanczos=True):
    """Rows (label, scale, psnr, ssim) over every @every-th photo."""
    files = D.every_kth(D.list_images(photos), every)
    rows = []
    for r in scales:
        pairs = D.load_pairs(files, r, work, progress=False)
        rows.append(("bicubic", r) + score_pairs(pairs, r, lambda i, x: bicubic(x, r)))
        if lanczos:
            rows.append(("videoscale lanczos", r)
                        + score_pairs(pairs, r, lambda i, x: EL.videoscale(x, r)))
        for label, path in luts:
            lut = load(path)
            if lut.scale != r:
                continue
            variants = [(label, lut)]
            if lut.refine:
                fast = load(path)
                fast.refine = []
                variants = [(label + " fast", fast), (label + " high", lut)]
            for name, l in variants:
                outs = table_outputs(pairs, r, l, threads)
                rows.append((name, r) + score_pairs(pairs, r, lambda i, x: outs[i]))
    return rows, len(files)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    shared = os.environ.get("ECLUT_SHARED", os.path.join(os.path.dirname(root), "shared"))
    ap.add_argument("--photos", default=os.path.join(shared, "datasets", "photos"))
    ap.add_argument("--lut-dir", default=os.path.join(root, "lut-data"))
    ap.add_argument("--lut", action="append", default=[], help="extra table LABEL=PATH")
    ap.add_argument("--scales", default="2,3,4")
    ap.add_argument("--every", type=int, default=6, help="take every K-th photo")
    ap.add_argument("--work", default="work", help="cache of the LR/HR pairs")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-lanczos", action="store_true")
    args = ap.parse_args(argv)

    scales = [int(s) for s in args.scales.split(",")]
    luts = [("eclutscale x%d" % r, os.path.join(args.lut_dir, "eclut-x%d.lut" % r))
            for r in scales if os.path.exists(os.path.join(args.lut_dir, "eclut-x%d.lut" % r))]
    luts += [tuple(s.split("=", 1)) for s in args.lut]
    rows, n = evaluate(args.photos, luts, scales, args.every, args.work, args.threads,
                       not args.no_lanczos)
    print("%d photos (every %d-th of %s)\n" % (n, args.every, args.photos))
    print("| scale | method | PSNR / SSIM |\n|---|---|---|")
    for label, r, p, s in rows:
        print("| x%d | %s | %.2f / %.4f |" % (r, label, p, s))


if __name__ == "__main__":
    main()
