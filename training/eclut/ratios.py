"""Quality of eclutscale at non-integer ratios: Y PSNR/SSIM on Set5/Set14.

Run from training/:
    /usr/bin/python3 -m eclut.ratios --build-dir ../build [--quick]

For each ratio p/q (1.5, 2.25, 2.67 = 8/3, 3.5) every HR image of the
benchmark (bench/<Set>/x2/HR) is cropped to a multiple of p, downscaled to
q/p of its size with the MATLAB-compatible bicubic (eclut.imresize, on RGB,
as the benchmark's LR were made), and its Y (MATLAB rgb2ycbcr) is scaled back
to the HR size as GRAY8 through gst-launch-1.0:

  * eclutscale with its defaults (auto factor, lanczos), and with each
    forced table factor 2, 3, 4 and the resampling methods given by
    --methods (none: --methods "");
  * videoscale method=lanczos (its default envelope) and method=bilinear
    (videoscale's default);
  * MATLAB bicubic (eclut.imresize), the usual baseline.

Scores: the project's protocol (eclut.metrics), ceil(ratio) pixels shaved.
Prints a markdown table per ratio (mean over each set) as each is done.

--chroma instead scores the chroma planes: the HR and LR pictures (RGB,
LR made as above) as I420 (MATLAB rgb2ycbcr, chroma averaged over 2x2,
chroma-site=jpeg), the LR scaled to the HR size by each --element (a
gst-launch description, where {W2} .. {H4} stand for the LR size times 2 to
4; repeatable), PSNR of Cb and Cr against the HR's.
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


def to_i420(rgb):
    """MATLAB rgb2ycbcr, chroma averaged over 2x2 (even sizes)"""
    x = rgb[..., :3].astype(np.float64) if rgb.ndim == 3 else np.repeat(rgb[..., None], 3, 2).astype(np.float64)
    y = rgb2y(rgb if rgb.ndim == 3 else x.astype(np.uint8))
    cb = 128.0 + (-37.797 * x[..., 0] - 74.203 * x[..., 1] + 112.0 * x[..., 2]) / 255.0
    cr = 128.0 + (112.0 * x[..., 0] - 93.786 * x[..., 1] - 18.214 * x[..., 2]) / 255.0

    def sub(c):
        c = (c[0::2, 0::2] + c[1::2, 0::2] + c[0::2, 1::2] + c[1::2, 1::2]) / 4.0
        return np.clip(np.round(c), 0, 255).astype(np.uint8)
    return y, sub(cb), sub(cr)


def gst_scale_i420(planes, out_w, out_h, element, env=None):
    y, u, v = planes
    h, w = y.shape
    cw, ch = u.shape[1], u.shape[0]
    data = y.tobytes() + u.tobytes() + v.tobytes()
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.raw"), os.path.join(d, "out.raw")
        with open(src, "wb") as f:
            f.write(data)
        cmd = ["gst-launch-1.0", "-q", "filesrc", "location=" + src, "blocksize=%d" % len(data), "!",
               "rawvideoparse", "format=i420", "width=%d" % w, "height=%d" % h, "frame-size=%d" % len(data),
               "plane-strides=<%d,%d,%d>" % (w, cw, cw), "plane-offsets=<0,%d,%d>" % (w * h, w * h + cw * ch),
               "colorimetry=bt601", "!", "capssetter", "caps=video/x-raw,chroma-site=jpeg", "!"] + \
            element.format(**{"W%d" % k: w * k for k in (2, 3, 4)},
                           **{"H%d" % k: h * k for k in (2, 3, 4)}).split() + [
                "!", "video/x-raw,width=%d,height=%d" % (out_w, out_h), "!", "filesink", "location=" + dst]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError("gst-launch failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr))
        out = np.fromfile(dst, dtype=np.uint8)
    s0, s1 = (out_w + 3) // 4 * 4, ((out_w + 1) // 2 + 3) // 4 * 4
    ocw, och = (out_w + 1) // 2, (out_h + 1) // 2
    o1 = s0 * out_h
    o2 = o1 + s1 * och
    uu = out[o1:o1 + s1 * och].reshape(och, s1)[:, :ocw]
    vv = out[o2:o2 + s1 * och].reshape(och, s1)[:, :ocw]
    return uu, vv


def run_chroma(bench, sets, ratios, elements, env):
    for ratio in ratios:
        p, q = ratio.numerator, ratio.denominator
        lines = ["", "chroma, ratio %.2f (%s): Cb/Cr PSNR" % (float(ratio), ratio), "",
                 "| scaler | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
        res = {}
        for s in sets:
            for f in sorted(glob.glob(os.path.join(bench, s, "x2", "HR", "*.png"))):
                hr = np.array(Image.open(f))
                if hr.ndim == 2:
                    continue    # grey: no chroma
                h, w = hr.shape[:2]
                hr = hr[: h - h % (2 * p), : w - w % (2 * p)]
                lr = imresize(hr, output_shape=(hr.shape[0] * q // p, hr.shape[1] * q // p))
                _, hu, hv = to_i420(hr)
                if hu.min() == hu.max() and hv.min() == hv.max():
                    continue    # stored as colour, but grey
                lrp = to_i420(lr)
                for e in elements:
                    uu, vv = gst_scale_i420(lrp, hr.shape[1], hr.shape[0], e, env)
                    sh = math.ceil(float(ratio) / 2)
                    res.setdefault((e, s), []).append((psnr(uu, hu, sh) + psnr(vv, hv, sh)) / 2)
        for e in elements:
            lines.append("| %s | %s |" % (e, " | ".join("%.2f" % np.mean(res[(e, s)]) for s in sets)))
        print("\n".join(lines), flush=True)


def variants(methods):
    v = [("eclutscale (defaults: auto, lanczos)", "eclutscale n-threads=1")]
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
                    outs[label] = EL.gst_scale(lr, W, H, desc, env)
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
    ap.add_argument("--chroma", action="store_true", help="score the chroma planes instead")
    ap.add_argument("--element", action="append", default=[],
                    help="--chroma: a scaler to score (gst-launch description); repeatable")
    a = ap.parse_args(argv)
    env = EL.plugin_env(a.build_dir)
    env.setdefault("ECLUT_LUT_DIR", os.path.join(root, "lut-data"))
    sets = a.sets.split(",")
    ratios = [Fraction(x) for x in a.ratios.split(",")]
    if a.chroma:
        run_chroma(a.bench, sets, ratios, a.element or ["eclutscale n-threads=1",
                                                        "videoscale method=lanczos"], env)
    else:
        run(a.bench, sets, ratios, [m for m in a.methods.split(",") if m], env)


if __name__ == "__main__":
    main()
