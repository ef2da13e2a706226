"""10-bit luma with the 8-bit tables: the candidates, measured (issue 19).

Run from training/:
    /usr/bin/python3 -m eclut.tenbit [--bench ../../shared/datasets/bench]
        [--lut-dir ../lut-data] [--scales 2,3,4] [--sets Set5,Set14] [--lanczos]

The tables are indexed by pairs of 8-bit pixels.  A 10-bit plane V is split
into its top 8 bits H = V >> 2 and its remainder L = V & 3; the candidates:

- "detour": quantise to 8 bits (round(V / 4)), the 8-bit path, x4.
- "A-<up>": the table on H, its sum S kept at 10 bits (no rounding to 8
  bits), plus the remainder L upscaled by <up>: "nearest" (each HR pixel
  takes the L of its LR pixel: the rule chosen, docs/lut-format.md
  "Inference at 10 bits", reference.upscale_samples), "bilinear"
  (centre-aligned, the chroma core's weights), or "none" (L dropped).
- "B": interpolation between table cells: each pair (a, b) reads the four
  cells (a | a + 1, b | b + 1) of its 8-bit neighbours, weighted bilinearly
  by the remainders (four times the table reads).

Content (Y of Set5 and Set14 HR, MATLAB rgb2ycbcr):
- "8-bit": 4 x the 8-bit Y (the low bits zero), LR = 4 x the benchmark's
  8-bit LR; the 10-bit path must not be worse than 4 x the 8-bit output.
- "10-bit": the Y of the RGB computed at 10 bits (its low bits carry the
  fraction that 8-bit Y rounds away), LR by the MATLAB-compatible bicubic
  downscale of that, rounded to 10 bits.
- "gradient": a dark, low-contrast version of it (the Y at 1/8 of its
  contrast) on a smooth ramp across the picture (64 10-bit levels): most of
  its detail lies below one 8-bit level.

PSNR (peak 1023) with `scale` pixels shaved, against the MATLAB bicubic
upscale at 10 bits (and videoscale's lanczos at 10 bits, GRAY16_LE, with
--lanczos).  Banding: a smooth horizontal 10-bit ramp upscaled; the number of
distinct levels along a row and the largest step between neighbours.
"""
import argparse
import glob
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image

from .imresize import imresize
from .lutfile import load
from .metrics import rgb2y
from .reference import DIRS, refl, infer_sum, upscale, upscale_samples

PEAK = 1023.0


# ---- candidates -----------------------------------------------------------

def detour(lut, V):
    """Quantise to 8 bits, the 8-bit path, back to 10 bits (x4)."""
    H8 = np.clip((V.astype(np.int32) + 2) >> 2, 0, 255).astype(np.uint8)
    return upscale(lut, H8, stages=0).astype(np.int32) * 4


def bilinear_weights(n, r):
    """Per output sample: (x0, x1, w) with w in 0..256 (the chroma core's
    centre-aligned bilinear, docs/lut-format.md "Chroma", f = 1)."""
    D = 2 * r
    I = np.arange(n * r)
    P = 2 * I + (1 - r)
    x0 = np.floor_divide(P, D)
    k = P - x0 * D
    w = (256 * k + D // 2) // D
    return np.clip(x0, 0, n - 1), np.clip(x0 + 1, 0, n - 1), w


def remainder_up(L, r, how):
    """L upscaled by r, in units of 1/65536 of a 10-bit level."""
    L = L.astype(np.int64)
    h, w = L.shape
    if how == "none":
        return np.zeros((h * r, w * r), np.int64)
    if how == "nearest":
        return np.repeat(np.repeat(L, r, 0), r, 1) << 16
    y0, y1, wy = bilinear_weights(h, r)
    x0, x1, wx = bilinear_weights(w, r)
    V = L[y0] * (256 - wy)[:, None] + L[y1] * wy[:, None]
    return V[:, x0] * (256 - wx)[None, :] + V[:, x1] * wx[None, :]


def candidate_a(lut, V, how, S=None):
    """The table on H = V >> 2 at 10 bits plus the upscaled remainder."""
    V = V.astype(np.int64)
    if S is None:
        S = infer_sum(lut, (V >> 2).astype(np.uint8)).astype(np.int64)
    s, b = lut.rescale_shift, lut.rescale_bias
    base = (4 * S + 4 * b - (2 << s)) << 16
    tot = base + (remainder_up(V & 3, lut.scale, how) << s) + (1 << (s + 15))
    return np.clip(tot >> (s + 16), 0, 1023)


def candidate_b(lut, V):
    """Bilinear interpolation between the cells of neighbouring 8-bit pairs."""
    V = V.astype(np.int64)
    t = lut.table.astype(np.int64)
    r, st = lut.scale, lut.expand_step
    S = None
    for k in range(4):
        J = np.rot90(V, k)
        h, w = J.shape
        Jb = np.concatenate([J[1:], J[-1:]], axis=0)
        a, fa = J >> 2, J & 3
        b, fb = Jb >> 2, Jb & 3
        a1, b1 = np.minimum(a + 1, 255), np.minimum(b + 1, 255)
        E = (t[a, b] * ((4 - fa) * (4 - fb))[..., None]
             + t[a1, b] * (fa * (4 - fb))[..., None]
             + t[a, b1] * ((4 - fa) * fb)[..., None]
             + t[a1, b1] * (fa * fb)[..., None])          # x16
        C = E.reshape(h, w, 9, r, r).transpose(2, 0, 3, 1, 4).reshape(9, h * r, w * r)
        rh, rw = h * r, w * r
        O = np.zeros((rh, rw), np.int64)
        for c, (dy, dx) in enumerate(DIRS):
            O += C[c][np.ix_(refl(np.arange(rh) - dy * st, rh), refl(np.arange(rw) - dx * st, rw))]
        O = np.rot90(O, -k)
        S = O if S is None else S + O
    s, b = lut.rescale_shift, lut.rescale_bias
    # S is 16 x the sum: 10-bit value 4 (S / 16 + b) / 2^s - 2, rounded
    tot = 4 * S + 64 * b - (32 << s) + (8 << s)
    return np.clip(tot >> (s + 4), 0, 1023)


CANDIDATES = ["detour", "A-none", "A-nearest", "A-bilinear", "B"]


def run_all(lut, V, names=CANDIDATES):
    out = {}
    S = None
    for n in names:
        if n == "detour":
            out[n] = detour(lut, V)
        elif n == "A-nearest":
            # the rule the core implements (the same as candidate_a's)
            out[n] = upscale_samples(lut, V, stages=0).astype(np.int64)
        elif n.startswith("A-"):
            if S is None:
                S = infer_sum(lut, (V.astype(np.int64) >> 2).astype(np.uint8)).astype(np.int64)
            out[n] = candidate_a(lut, V, n[2:], S)
        elif n == "B":
            out[n] = candidate_b(lut, V)
    return out


# ---- baselines ------------------------------------------------------------

def bicubic10(V, r):
    up = imresize(V.astype(np.float64), float(r))
    return np.clip(np.round(up), 0, 1023).astype(np.int64)


def lanczos10(V, r):
    """videoscale method=lanczos envelope=3 on GRAY16_LE (V in the top bits,
    as 16-bit video carries it), back to 10 bits."""
    V = np.ascontiguousarray((V.astype(np.uint16) << 6), dtype="<u2")
    h, w = V.shape
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.raw"), os.path.join(d, "out.raw")
        V.tofile(src)
        n = h * w * 2
        cmd = ["gst-launch-1.0", "-q", "filesrc", "location=" + src, "blocksize=%d" % n, "!",
               "rawvideoparse", "format=gray16-le", "width=%d" % w, "height=%d" % h,
               "frame-size=%d" % n, "plane-strides=<%d>" % (2 * w), "plane-offsets=<0>", "!",
               "videoscale", "method=lanczos", "envelope=3", "!",
               "video/x-raw,width=%d,height=%d" % (w * r, h * r), "!", "filesink", "location=" + dst]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError("gst-launch failed: %s\n%s" % (" ".join(cmd), p.stderr))
        out = np.fromfile(dst, dtype="<u2")
    W, H = w * r, h * r
    stride = ((2 * W + 3) // 4 * 4) // 2
    out = out[: H * stride].reshape(H, stride)[:, :W].astype(np.int64)
    return np.clip((out + 32) >> 6, 0, 1023)


# ---- content --------------------------------------------------------------

def y10(rgb):
    """MATLAB rgb2ycbcr's Y computed at 10 bits (4 x its 8-bit scale)."""
    rgb = np.asarray(rgb)
    if rgb.ndim == 2:
        return rgb.astype(np.int64) * 4
    x = rgb[..., :3].astype(np.float64)
    y = 16.0 + (65.481 * x[..., 0] + 128.553 * x[..., 1] + 24.966 * x[..., 2]) / 255.0
    return np.clip(np.round(4 * y), 0, 1023).astype(np.int64)


def gradient_content(Y10):
    """A dark, low-contrast picture on a smooth ramp (floats, 10-bit scale)."""
    h, w = Y10.shape
    ramp = 64.0 * (np.arange(w)[None, :] / max(w - 1, 1) * 0.7
                   + np.arange(h)[:, None] / max(h - 1, 1) * 0.3)
    return 200.0 + (Y10 - 512.0) / 8.0 + ramp


def crop(img, r):
    h, w = img.shape[:2]
    return img[: h - h % r, : w - w % r]


def down10(HRf, r):
    """MATLAB bicubic downscale of a float 10-bit plane, rounded."""
    lr = imresize(np.asarray(HRf, np.float64), 1.0 / r)
    return np.clip(np.round(lr), 0, 1023).astype(np.int64)


def images(bench, sets, r):
    out = []
    for s in sets:
        for f in sorted(glob.glob(os.path.join(bench, s, "x%d" % r, "LR", "*.png"))):
            hrf = f.replace(os.sep + "LR" + os.sep, os.sep + "HR" + os.sep)
            rgb_hr = crop(np.array(Image.open(hrf)), r)
            lr8 = rgb2y(np.array(Image.open(f))).astype(np.int64)
            hr8 = rgb2y(rgb_hr).astype(np.int64)
            if lr8.shape[0] * r != hr8.shape[0] or lr8.shape[1] * r != hr8.shape[1]:
                continue
            Y = y10(rgb_hr)
            G = gradient_content(Y.astype(np.float64))
            out.append((s, os.path.basename(f), {
                "8-bit": (lr8 * 4, hr8 * 4),
                "10-bit": (down10(Y, r), Y),
                "gradient": (down10(G, r), np.clip(np.round(G), 0, 1023).astype(np.int64)),
            }))
    return out


def psnr10(a, b, shave):
    a = np.asarray(a, np.float64)[shave:-shave or None, shave:-shave or None]
    b = np.asarray(b, np.float64)[shave:-shave or None, shave:-shave or None]
    mse = np.mean((a - b) ** 2)
    return float("inf") if mse == 0 else float(10 * np.log10(PEAK ** 2 / mse))


def quality(bench, luts, sets, lanczos):
    """{(r, content, method): mean PSNR over the images of all sets}."""
    res = {}
    for r, lut in luts.items():
        for s, name, contents in images(bench, sets, r):
            for cname, (lr, hr) in contents.items():
                outs = run_all(lut, lr)
                if cname == "8-bit":
                    outs["8-bit path x4"] = upscale(lut, (lr >> 2).astype(np.uint8), stages=0).astype(np.int64) * 4
                outs["bicubic"] = bicubic10(lr, r)
                if lanczos:
                    outs["lanczos"] = lanczos10(lr, r)
                for m, o in outs.items():
                    res.setdefault((r, cname, m), []).append(psnr10(o, hr, r))
    return {k: float(np.mean(v)) for k, v in res.items()}


def ramp(w=256, h=16, lo=400, levels=64):
    """A horizontal 10-bit ramp over @levels levels."""
    x = np.round(lo + np.arange(w) * (levels - 1) / (w - 1)).astype(np.int64)
    return np.repeat(x[None, :], h, 0)


def banding(luts, lanczos):
    """{(r, method): (distinct levels along a middle row, largest step)}"""
    res = {}
    V = ramp()
    for r, lut in luts.items():
        outs = run_all(lut, V)
        outs["bicubic"] = bicubic10(V, r)
        if lanczos:
            outs["lanczos"] = lanczos10(V, r)
        for m, o in outs.items():
            row = np.asarray(o)[o.shape[0] // 2, 4 * r:-4 * r]
            res[(r, m)] = (len(np.unique(row)), int(np.max(np.abs(np.diff(row)))))
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", default="../../shared/datasets/bench")
    ap.add_argument("--lut-dir", default="../lut-data")
    ap.add_argument("--scales", default="2,3,4")
    ap.add_argument("--sets", default="Set5,Set14")
    ap.add_argument("--lanczos", action="store_true", help="videoscale lanczos at 10 bits too")
    a = ap.parse_args(argv)
    scales = [int(x) for x in a.scales.split(",")]
    luts = {r: load(os.path.join(a.lut_dir, "eclut-x%d.lut" % r)) for r in scales}
    sets = a.sets.split(",")

    q = quality(a.bench, luts, sets, a.lanczos)
    methods = ["8-bit path x4"] + CANDIDATES + ["bicubic"] + (["lanczos"] if a.lanczos else [])
    print("## PSNR (dB, peak 1023), mean over %s\n" % " + ".join(sets))
    for cname in ("8-bit", "10-bit", "gradient"):
        print("| %s content | " % cname + " | ".join("x%d" % r for r in scales) + " |")
        print("|---|" + "---:|" * len(scales))
        for m in methods:
            if (scales[0], cname, m) in q:
                print("| %s | " % m + " | ".join("%.2f" % q[(r, cname, m)] for r in scales) + " |")
        print()
    b = banding(luts, a.lanczos)
    print("## Banding: ramp of 64 10-bit levels over 256 LR pixels (levels / largest step)\n")
    print("| method | " + " | ".join("x%d" % r for r in scales) + " |")
    print("|---|" + "---:|" * len(scales))
    for m in CANDIDATES + ["bicubic"] + (["lanczos"] if a.lanczos else []):
        print("| %s | " % m + " | ".join("%d / %d" % b[(r, m)] for r in scales) + " |")


if __name__ == "__main__":
    main()
