"""Training data: Y of HR photos and of their MATLAB-bicubic LR, cached as .npz."""
import glob
import hashlib
import os
from multiprocessing import Pool

import numpy as np
from PIL import Image

from .imresize import downscale, imresize
from .metrics import rgb2y

EXTS = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm")


def list_images(folder):
    files = [f for f in glob.glob(os.path.join(folder, "**", "*"), recursive=True)
             if f.lower().endswith(EXTS) and os.path.isfile(f)]
    return sorted(files)


def load_rgb(path):
    im = Image.open(path)
    if im.mode in ("L", "I;16", "I", "F"):
        a = np.array(im.convert("L"))
    else:
        a = np.array(im.convert("RGB"))
    return a


def make_pair(args):
    """(path, r, pre) -> (LR Y uint8, HR Y uint8): LR = MATLAB bicubic of the RGB HR, then Y.

    pre > 1 first shrinks the photo by that factor (MATLAB bicubic, rounded to
    uint8; any factor, e.g. 1.5) and uses the result as the HR image: a
    sharper copy with finer detail per pixel, the classic scale augmentation
    of SR training sets."""
    path, r, pre = args
    hr = load_rgb(path)
    if pre > 1:
        h, w = hr.shape[:2]
        if h < pre * r or w < pre * r:
            return None
        hr = downscale(hr, int(pre)) if pre == int(pre) else imresize(hr, 1.0 / pre)
    h, w = hr.shape[:2]
    hr = hr[: h - h % r, : w - w % r]
    if hr.shape[0] < r or hr.shape[1] < r:
        return None
    lr = downscale(hr, r)
    return rgb2y(lr), rgb2y(hr)


def split(files, val_frac, seed):
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(files))
    nval = max(1, int(round(len(files) * val_frac))) if len(files) > 1 and val_frac > 0 else 0
    val = sorted(perm[:nval])
    return [files[i] for i in sorted(perm[nval:])], [files[i] for i in val]


def every_kth(files, k):
    """Every @k-th of @files (sorted as list_images sorts them), from the
    first: the photos eclut.unseen scores, which eclut.train
    --extra-hold-out-every @k leaves out of the fit."""
    return files[::k]


def list_split(folder, val_frac, seed, max_images=0):
    """(all, training, held-out) image files under @folder: the split of
    eclut.train, which eclut.heldout repeats (same val_frac and seed)."""
    files = list_images(folder)
    if max_images:
        files = files[:max_images]
    trf, vaf = split(files, val_frac, seed)
    return files, trf, vaf


def load_pairs(files, r, cache_dir=None, workers=2, progress=True, pre=1):
    """List of (lr, hr) Y pairs for the given files, cached under cache_dir."""
    key = hashlib.sha1(("%d\n" % r + ("pre %g\n" % pre if pre > 1 else "") + "\n".join(
        "%s %d %d" % (f, os.path.getsize(f), int(os.path.getmtime(f))) for f in files)).encode()).hexdigest()[:16]
    cpath = os.path.join(cache_dir, "pairs-x%d%s-%s.npz" % (r, "-pre%g" % pre if pre > 1 else "", key)) \
        if cache_dir else None
    if cpath and os.path.exists(cpath):
        z = np.load(cpath)
        shapes = z["shapes"]
        lrf, hrf = z["lr"], z["hr"]
        out, ol, oh = [], 0, 0
        for h, w in shapes:
            out.append((lrf[ol:ol + h * w].reshape(h, w), hrf[oh:oh + h * w * r * r].reshape(h * r, w * r)))
            ol += h * w
            oh += h * w * r * r
        return out
    jobs = [(f, r, pre) for f in files]
    desc = "prepare x%d" % r + (" (shrunk %g)" % pre if pre > 1 else "")
    if workers > 1 and len(files) > 1:
        with Pool(workers) as pool:
            it = pool.imap(make_pair, jobs, chunksize=4)
            res = list(_progress(it, len(jobs), desc, progress))
    else:
        res = [make_pair(j) for j in _progress(jobs, len(jobs), desc, progress)]
    res = [p for p in res if p is not None]
    if cpath:
        os.makedirs(cache_dir, exist_ok=True)
        tmp = cpath + ".tmp.npz"
        np.savez(tmp, shapes=np.array([p[0].shape for p in res], np.int64).reshape(-1, 2),
                 lr=np.concatenate([p[0].ravel() for p in res]),
                 hr=np.concatenate([p[1].ravel() for p in res]))
        os.replace(tmp, cpath)
    return res


def _progress(it, total, desc, on):
    if not on:
        return it
    from tqdm import tqdm
    return tqdm(it, total=total, desc=desc, mininterval=2)
