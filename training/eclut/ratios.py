"""Quality of eclutscale at non-integer ratios: Y PSNR/SSIM on Set5/Set14.

Run from training/:
    /usr/bin/python3 -m eclut.ratios --build-dir ../build [--quick]

For each ratio p/q (1.5, 2.25, 2.67 = 8/3, 3.5) every HR image of the
benchmark (bench/<Set>/x2/HR) is cropped to a multiple of p, downscaled to
q/p of its size with the MATLAB-compatible bicubic (eclut.imresize, on RGB,
as the benchmark's LR were made), and its Y (MATLAB rgb2ycbcr) is scaled back
to the HR size as GRAY8 through gst-launch-1.0:

  * eclutscale, auto and with each forced table factor 2, 3, 4, with the
    resampling methods given by --methods;
  * videoscale method=lanczos (its default envelope) and method=bilinear
    (videoscale's default);
  * MATLAB bicubic (eclut.imresize), the usual baseline.

Scores: the project's protocol (eclut.metrics), ceil(ratio) pixels shaved.
Prints a markdown table per ratio (mean over each set) as each is done.
"""
import argparse
import glob
import math
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

import numpy as np
from PIL import Image

from . import element as EL
from .imresize import imresize
from .metrics import psnr, rgb2y, ssim

RATIOS = [Fraction(3, 2), Fraction(9, 4), Fraction(8, 3), Fraction(7, 2)]


def load_pairs(bench, setname, ratio):
    """(name, LR Y, HR Y) with HR cropped to a multiple of the numerator"""
    p, q = ratio.numerator, ratio.denominator
    out = []
    for f in sorted(glob.glob(os.path.join(bench, setname, "x2", "HR", "*.png"))):
        hr = np.array(Image.open(f))
        h, w = hr.shape[:2]
        hr = hr[: h - h % p, : w - w % p]
        lr = imresize(hr, output_shape=(hr.shape[0] * q // p, hr.shape[1] * q // p))
        out.append((os.path.basename(f), rgb2y(lr), rgb2y(hr)))
    return out


def gst_scale(plane, out_w, out_h, element, env=None):
    """@plane (GRAY8) through `element` (a gst-launch element description)
    to out_w x out_h"""
    plane = np.ascontiguousarray(plane, dtype=np.uint8)
    h, w = plane.shape
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.raw"), os.path.join(d, "out.raw")
        plane.tofile(src)
        cmd = ["gst-launch-1.0", "-q", "filesrc", "location=" + src, "blocksize=%d" % (h * w), "!",
               "rawvideoparse", "format=gray8", "width=%d" % w, "height=%d" % h,
               "frame-size=%d" % (h * w), "plane-strides=<%d>" % w, "plane-offsets=<0>", "!"] + \
            element.split() + ["!", "video/x-raw,width=%d,height=%d" % (out_w, out_h),
                               "!", "filesink", "location=" + dst]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError("gst-launch failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr))
        out = np.fromfile(dst, dtype=np.uint8)
    stride = ((out_w + 3) // 4) * 4
    return out[: out_h * stride].reshape(out_h, stride)[:, :out_w]


def variants(methods):
    v = [("eclutscale auto, bilinear", "eclutscale n-threads=1")]
    for m in methods:
        for r in (2, 3, 4):
            v.append(("eclutscale x%d, %s" % (r, m), "eclutscale n-threads=1 scale=%d method=%s" % (r, m)))
    v += [("videoscale lanczos", "videoscale method=lanczos"),
          ("videoscale bilinear", "videoscale method=bilinear")]
    return v


def run(bench, sets, ratios, methods, env):
    rows = []   # (ratio, label, set, psnr, ssim)
    for ratio in ratios:
        shave = math.ceil(float(ratio))
        for s in sets:
            pairs = load_pairs(bench, s, ratio)
            scores = {}
            for name, lr, hr in pairs:
                H, W = hr.shape
                outs = {"bicubic (MATLAB)": imresize(lr, output_shape=(H, W), round_between=False)}
                for label, desc in variants(methods):
                    outs[label] = gst_scale(lr, W, H, desc, env)
                for label, up in outs.items():
                    scores.setdefault(label, []).append((psnr(up, hr, shave), ssim(up, hr, shave)))
            for label, v in scores.items():
                a = np.array(v)
                rows.append((ratio, label, s, float(a[:, 0].mean()), float(a[:, 1].mean())))
            print("ratio %.2f %s done" % (float(ratio), s), file=sys.stderr)
        # as soon as a ratio is done: a long run may be cut short
        print(markdown([r for r in rows if r[0] == ratio], sets), flush=True)
    return rows


def markdown(rows, sets):
    lines = []
    for ratio in sorted({r[0] for r in rows}):
        labels = []
        for r in rows:
            if r[0] == ratio and r[1] not in labels:
                labels.append(r[1])
        d = {(r[1], r[2]): (r[3], r[4]) for r in rows if r[0] == ratio}
        lines += ["", "ratio %.2f (%s):" % (float(ratio), ratio), "",
                  "| method | " + " | ".join("%s PSNR / SSIM" % s for s in sets) + " |",
                  "|---|" + "---|" * len(sets)]
        for lab in labels:
            lines.append("| %s | %s |" % (lab, " | ".join("%.2f / %.4f" % d[(lab, s)] for s in sets)))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    ap.add_argument("--bench", default=os.environ.get("ECLUT_SHARED", os.path.join(os.path.dirname(root), "shared"))
                    + "/datasets/bench")
    ap.add_argument("--build-dir", default=os.path.join(root, "build"))
    ap.add_argument("--sets", default="Set5,Set14")
    ap.add_argument("--ratios", default="3/2,9/4,8/3,7/2")
    ap.add_argument("--methods", default="bilinear,lanczos,catrom")
    a = ap.parse_args(argv)
    env = EL.plugin_env(a.build_dir)
    env.setdefault("ECLUT_LUT_DIR", os.path.join(root, "lut-data"))
    sets = a.sets.split(",")
    ratios = [Fraction(x) for x in a.ratios.split(",")]
    run(a.bench, sets, ratios, a.methods.split(","), env)


if __name__ == "__main__":
    main()
