"""Train an ECLUT table by fitting it directly to every training pixel.

The integer inference (docs/lut-format.md) is, before the final shift and
clamp, LINEAR in the table: each HR pixel is the sum of 36 entries picked by
the LR input.  So instead of SGD on a network, the float table T (in output
grey levels; the int8 entry is round(T * 2^s)) is the solution of a
regularised least-squares problem over all HR pixels of the training set:

    min_T ||A T - y||^2 + lam_r ||T - T0||^2 + lam_s ||grad_ab (T - T0)||^2

solved by Jacobi-preconditioned conjugate gradients on the normal equations
(each iteration is one forward gather and one backward scatter-add over the
data, in C: fitcore.c).  T0, the prior for pairs the data rarely shows, is
itself a least-squares fit of a smooth table (bilinear on a coarse n x n grid
over (a, b), with a smoothness penalty on the grid), or optionally the table
transferred from the seed's SRNet after a short run (--prior net).  Then the
table is quantised to int8 for each rescale shift s, the shift with the best
PSNR on held-out TRAINING images is kept, and the integer table is fine-tuned
through the exact integer inference (straight-through, Jacobi steps).

Run from training/:  /usr/bin/python3 -m eclut.train --scale 4 \
    --data ../../shared/datasets/train --out ../lut-data/eclut-x4.lut
"""
import argparse
import fnmatch
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np
from tqdm import tqdm

from . import data as D
from .fitcore import ImageSet
from .lutfile import Lut, save

HERE = os.path.dirname(os.path.abspath(__file__))
WORK_DEFAULT = os.path.join(os.path.dirname(HERE), "work")


def log(*a):
    tqdm.write(" ".join(str(x) for x in a))
    sys.stdout.flush()


# ---------------------------------------------------------------- operators

def _add_diff_gram(out, X, hi, lo):
    """out += D^T D X for the first differences D X = X[hi] - X[lo]."""
    d = X[hi] - X[lo]
    out[hi] += d
    out[lo] -= d


def lap(X):
    """Graph Laplacian (L^T L) over the 256 x 256 (a, b) grid, per entry e. X: (n, n, E)."""
    out = np.zeros_like(X)
    _add_diff_gram(out, X, np.s_[1:], np.s_[:-1])
    _add_diff_gram(out, X, np.s_[:, 1:], np.s_[:, :-1])
    return out


def lap_diag(X):
    """L^T L for first differences along the diagonal (a, b) -> (a+1, b+1):
    both pixels brighter by one level.  Upscaling is nearly equivariant to a
    brightness offset, so away from the prior (whose bilinear cells carry the
    linear trend) the table should change slowly along that direction; this
    lets the fit pool the rare pairs of one contrast b - a across brightness."""
    out = np.zeros_like(X)
    _add_diff_gram(out, X, np.s_[1:, 1:], np.s_[:-1, :-1])
    return out


def make_regulariser(args):
    """The regularisation of the full table fit as an operator on X = T - T0:
    lam_r X + lam_s L^T L X (+ lam_d along the diagonal), and its diagonal
    (an upper bound off the grid's edges) for the Jacobi preconditioners.
    Every normal equation of the fit (MSE, reweighted rounds) uses this."""
    lr_, ls_, ld_ = args.lam_ridge, args.lam_smooth, args.lam_diag

    def reg(X):
        out = lr_ * X + ls_ * lap(X)
        if ld_:
            out += ld_ * lap_diag(X)
        return out
    reg.diag = lr_ + 4 * ls_ + 2 * ld_
    return reg


def mirror_permutation(r):
    """Index map e -> e' of a table mirrored left-right.

    Upscaling the mirrored image with table T equals mirroring the output of
    table T[..., perm] (expand direction dx -> -dx, sub-pixel column
    j -> r-1-j; the pair (a, b) is vertical, so it does not change).  The rotation
    ensemble already makes the model equivariant to quarter turns, so with
    this the whole dihedral group is covered."""
    e = np.arange(9 * r * r)
    c, i, j = e // (r * r), (e // r) % r, e % r
    dy, dx = c // 3 - 1, c % 3 - 1
    return ((dy + 1) * 3 + (1 - dx)) * r * r + i * r + (r - 1 - j)


def make_symmetrise(r, on):
    """Projector onto mirror-symmetric tables (identity when off).

    Fitting every training image and its mirror image is, for a symmetric
    table, the same as projecting the normal equations onto symmetric tables:
    A'^T A' = A^T A + P A^T A P and P T = T.  So the augmentation costs one
    permutation per pass instead of twice the data."""
    if not on:
        return lambda G: G
    perm = mirror_permutation(r)

    def sym(G):
        shp = G.shape
        G = G.reshape(256, 256, -1)
        return (0.5 * (G + G[:, :, perm])).reshape(shp)
    return sym


def interp_matrix(n):
    """256 x n bilinear interpolation weights from n grid nodes over 0..255."""
    W = np.zeros((256, n))
    pos = np.arange(256) * (n - 1) / 255.0
    i0 = np.minimum(np.floor(pos).astype(int), n - 2)
    f = pos - i0
    W[np.arange(256), i0] = 1 - f
    W[np.arange(256), i0 + 1] = f
    return W


def expand_grid(W, g):
    """(n, n, E) grid -> (256, 256, E) table."""
    t = np.tensordot(W, g, axes=(1, 0))              # 256, n, E
    return np.tensordot(W, t, axes=(1, 1)).transpose(1, 0, 2)  # (b, a, E) -> (a, b, E)


def restrict_grid(W, T):
    """Adjoint of expand_grid."""
    t = np.tensordot(W, T, axes=(0, 0))              # n, 256(b), E
    return np.tensordot(W, t, axes=(0, 1)).transpose(1, 0, 2)


# ---------------------------------------------------------------- PCG with checkpoints

def pcg(apply_A, b, minv, iters, ckpt_path, desc, every=5, callback=None, show=True):
    """Solve A x = b (A SPD) from x = 0 with Jacobi preconditioner minv; resumable."""
    state = None
    if ckpt_path and os.path.exists(ckpt_path):
        z = np.load(ckpt_path)
        state = {k: z[k] for k in z.files}
        log("resuming %s at iteration %d from %s" % (desc, int(state["it"]), ckpt_path))
    if state is None:
        x = np.zeros_like(b)
        r = b.copy()
        z = minv * r
        p = z.copy()
        rz = float(np.dot(r.ravel(), z.ravel()))
        it0 = 0
    else:
        x, r, p = state["x"], state["r"], state["p"]
        rz, it0 = float(state["rz"]), int(state["it"])
    b2 = float(np.dot(b.ravel(), b.ravel())) or 1.0
    bar = tqdm(range(it0, iters), desc=desc, initial=it0, total=iters, mininterval=1, disable=not show)
    for it in bar:
        q = apply_A(p)
        alpha = rz / float(np.dot(p.ravel(), q.ravel()))
        x += alpha * p
        r -= alpha * q
        z = minv * r
        rz_new = float(np.dot(r.ravel(), z.ravel()))
        p = z + (rz_new / rz) * p
        rz = rz_new
        rel = float(np.dot(r.ravel(), r.ravel())) / b2
        bar.set_postfix(rel_res="%.2e" % rel)
        if callback:
            callback(it + 1, x)
        if ckpt_path and ((it + 1) % every == 0 or it + 1 == iters):
            tmp = ckpt_path + ".tmp.npz"
            np.savez(tmp, x=x, r=r, p=p, rz=rz, it=it + 1)
            os.replace(tmp, ckpt_path)
    bar.close()
    return x


# ---------------------------------------------------------------- evaluation on held-out images

def psnr_planes(pred_flat, S, shave):
    ps = []
    for pr, y in zip(S.planes(pred_flat), S.planes(S.y)):
        d = (pr.astype(np.float64) - y)[shave:pr.shape[0] - shave, shave:pr.shape[1] - shave]
        mse = np.mean(d * d)
        ps.append(10 * np.log10(255.0 ** 2 / max(mse, 1e-10)))
    return float(np.mean(ps))


def saturated(q):
    """Which int8 codes (before clipping) fall outside -128..127."""
    return (q > 127) | (q < -128)


def quantise(T, s):
    q = np.round(T * (1 << s))
    clipped = float(np.mean(saturated(q)))
    return np.clip(q, -128, 127).astype(np.int8), clipped


def int_output(S, Tq, s, st, threads):
    Ssum = S.fwd(Tq.astype(np.float32).ravel(), st, threads)  # exact: integer sums < 2^24
    b = (1 << s) >> 1
    return np.clip(np.floor((Ssum + b) / (1 << s)), 0, 255)


# ---------------------------------------------------------------- the fit

def border_mask(S, shave):
    """1 inside, 0 on the outer @shave HR pixels of every image (None if
    shave is 0).  The benchmarks and the validation score shave the border,
    and there the output depends on the reflect and replicate padding, not on
    the content: fitting those pixels would bend the table towards them."""
    if shave <= 0:
        return None
    m = np.zeros(S.npix, np.float32)
    for pl in S.planes(m):
        pl[shave:pl.shape[0] - shave, shave:pl.shape[1] - shave] = 1.0
    return m


def per_image(S, value):
    """A per-pixel float32 array holding value(offset, pixels) of each
    pixel's image (offset and pixel count of its HR plane in S)."""
    w = np.empty(S.npix, np.float32)
    r2 = S.r * S.r
    for o, h, wd in zip(S.hoffs, S.H, S.W):
        n = int(h * wd * r2)
        w[o:o + n] = value(o, n)
    return w


def pixel_weights(S, shave, power):
    """The per-pixel weights of the fit: the border mask (--shave) times a
    weight per image, (pixels of the image)^-power, normalised to mean 1 so
    that lam_r and lam_s keep their weight per pixel (None if all are 1).

    power 0 pools all pixels, so a 1600-pixel-wide photo weighs about 11
    times a BSDS500 one; power 1 gives every image (and every shrunk copy) the same
    weight, as trainers that draw an image and then a patch of it do."""
    m = border_mask(S, shave)
    if power == 0:
        return m
    w = per_image(S, lambda o, n: float(n) ** -power)
    if m is not None:
        w *= m
    return (w / np.float32(w.mean())).astype(np.float32)


def fit_table(tr, va, r, st, args, tag):
    E = 9 * r * r
    th = args.threads
    ckd = args.work
    t_start = time.time()
    shape = (256, 256, E)

    sym = make_symmetrise(r, args.mirror)
    tr.mask = pixel_weights(tr, args.shave, args.image_weight_power)

    def back(S, R):
        """Backward pass (scatter-add) over image set S, projected onto
        symmetric tables when --mirror is on: every A^T of the fit goes here.
        With --shave or --image-weight-power, the residuals are weighted
        here too, so every normal equation of the fit is A^T M A with M the
        pixel weights (the border mask, the weight of each image)."""
        if getattr(S, "mask", None) is not None:
            R = R * S.mask
        return sym(S.bwd(R, st, th).reshape(shape))

    counts = back(tr, np.ones(tr.npix, np.float32))
    log("x%d step %d: %d train HR pixels, %.1f%% of table entries seen" % (
        r, st, tr.npix, 100.0 * np.mean(counts > 0)))

    def A(Tflat):
        return tr.fwd(Tflat.astype(np.float32), st, th)

    def At(R):
        return back(tr, R)

    info = {}
    # ---- prior T0
    if args.prior == "net":
        from .srnet import train_and_transfer
        T0 = sym(train_and_transfer(tr, r, st, args).astype(np.float64))
        log("prior: SRNet transfer")
    elif args.prior == "zero":
        T0 = np.zeros(shape)
    else:
        n = args.grid
        sub = tr
        if args.grid_subsample > 1:  # the smooth prior needs far less data: every k-th image
            idx = list(range(0, tr.n, args.grid_subsample))
            ys = tr.planes(tr.y)
            sub = ImageSet([tr.lrs[i] for i in idx], [ys[i] for i in idx], r)
            sub.mask = pixel_weights(sub, args.shave, args.image_weight_power)
        gcounts = back(sub, np.ones(sub.npix, np.float32))
        W = interp_matrix(n)
        cg = restrict_grid(W, gcounts)
        lam_g = args.lam_grid * sub.npix / tr.npix

        def op_g(g):
            Tg = expand_grid(W, g)
            p = sub.fwd(Tg.ravel().astype(np.float32), st, th)
            return restrict_grid(W, back(sub, p)) + lam_g * lap(g)

        bg = restrict_grid(W, back(sub, sub.y))
        g = pcg(op_g, bg, 1.0 / (cg + lam_g * 4 + 1e-3), args.grid_iters,
                os.path.join(ckd, "ckpt-%s-st%d-grid.npz" % (tag, st)), "x%d st%d prior grid" % (r, st))
        T0 = expand_grid(W, g)
        if va is not None:
            info["val_psnr_prior_float"] = psnr_planes(va.fwd(T0.ravel().astype(np.float32), st, th), va, r)
            log("prior (coarse %dx%d grid) val PSNR %.3f" % (n, n, info["val_psnr_prior_float"]))

    # ---- full table: T = T0 + X
    res0 = tr.y - A(T0.ravel())
    bfull = At(res0).reshape(shape)
    del res0
    reg = make_regulariser(args)

    def op_full(X):
        return At(A(X.ravel())).reshape(shape) + reg(X)

    hist = []

    def cb(it, X):
        if va is not None and (it % args.val_every == 0):
            v = psnr_planes(va.fwd((T0 + X).ravel().astype(np.float32), st, th), va, r)
            hist.append((it, v))
            log("  iteration %d: val PSNR (float) %.3f" % (it, v))

    minv_full = 1.0 / (counts + reg.diag)
    X = pcg(op_full, bfull, minv_full, args.iters,
            os.path.join(ckd, "ckpt-%s-st%d-full.npz" % (tag, st)), "x%d st%d table CG" % (r, st),
            callback=cb)
    if args.loss != "mse":
        X = irls(tr, va, r, st, args, tag, T0, X, A, At, shape, info)
    T = T0 + X
    info["val_history_float"] = hist
    if va is not None:
        info["val_psnr_float"] = psnr_planes(va.fwd(T.ravel().astype(np.float32), st, th), va, r)

    # ---- quantise: pick the shift on held-out training images
    best = None
    info["shifts"] = {}
    for s in args.shifts:
        Tq, clipped = quantise(T, s)
        v = psnr_planes(int_output(va, Tq, s, st, th), va, r) if va is not None else -clipped
        info["shifts"][s] = {"val_psnr": v, "clipped_fraction": clipped}
        log("  shift %d: val PSNR (int8) %.3f, clipped entries %.4f%%" % (s, v, 100 * clipped))
        if clipped > 0 and args.clip_refit > 0 and args.loss == "mse":
            Tc, Tr = clip_refit(T, T0, s, op_full, bfull, minv_full, args.clip_refit,
                                "x%d st%d shift %d refit" % (r, st, s))
            Tq_r, clipped_r = quantise(Tr, s)
            v_r = psnr_planes(int_output(va, Tq_r, s, st, th), va, r) if va is not None else -clipped_r
            info["shifts"][s].update(
                val_psnr_before_refit=v, val_psnr=v_r, clipped_fraction_after_refit=clipped_r,
                train_mse_clipped=float(np.mean((A(Tc.ravel()) - tr.y) ** 2)),
                train_mse_refit=float(np.mean((A(Tr.ravel()) - tr.y) ** 2)))
            log("  shift %d after refitting the unclipped entries: val PSNR (int8) %.3f" % (s, v_r))
            if va is None or v_r > v:
                v, Tq = v_r, Tq_r
        if best is None or v > best[0]:
            best = (v, s, Tq)
    v0, s, Tq = best
    info["shift"] = s
    info["val_psnr_quantised"] = v0

    # ---- fine-tune through the exact integer inference (straight-through, Jacobi steps)
    Tf = T.copy()
    best_ft = (v0, Tq, 0)
    minv = minv_full
    for k in range(args.ft_iters):
        out = int_output(tr, Tq, s, st, th)
        g = At((tr.y - out).astype(np.float32)).reshape(shape)
        d = minv * g
        Ad = A(d.ravel())
        alpha = float(np.dot(g.ravel(), d.ravel())) / max(float(np.dot(Ad, Ad)), 1e-30)
        Tf = Tf + args.ft_lr * alpha * d
        Tq, _ = quantise(Tf, s)
        v = psnr_planes(int_output(va, Tq, s, st, th), va, r) if va is not None else 0
        log("  integer fine-tune step %d: val PSNR %.3f" % (k + 1, v))
        if v > best_ft[0]:
            best_ft = (v, Tq, k + 1)
    info["val_psnr_finetuned"] = best_ft[0]
    info["finetune_gain_db"] = best_ft[0] - v0
    info["finetune_steps_kept"] = best_ft[2]
    info["seconds"] = time.time() - t_start
    lut = Lut(best_ft[1], r, st, s, (1 << s) >> 1)
    return lut, info


def clip_refit(T, T0, s, op_full, bfull, minv, iters, desc):
    """Entries whose int8 code would saturate at shift s are pinned to the
    extreme codes; the others are re-solved (CG on the same regularised normal
    equations, restricted to the free entries) so that they make up for what
    the pinned ones lost."""
    lo, hi = -128.0 / (1 << s), 127.0 / (1 << s)
    pinned = saturated(np.round(T * (1 << s)))
    Tc = np.clip(T, lo, hi)
    Tc[~pinned] = T[~pinned]
    free = (~pinned).astype(np.float64)
    Xc = Tc - T0
    rhs = free * (bfull - op_full(Xc))

    def op(D):
        return free * op_full(free * D)

    D = pcg(op, rhs, minv * free, iters, None, desc)
    return Tc, Tc + free * D


def image_weights(S, res):
    """Per-pixel weights 1 / SSE_i of each pixel's image i: the weighted
    normal equations are then stationary where sum_i log MSE_i is, i.e. they
    maximise the MEAN PSNR over images (the validation and benchmark metric)
    rather than the PSNR of the pooled pixels, where the large and the hard
    images dominate."""
    def inv_sse(o, n):
        d = res[o:o + n].astype(np.float64)
        return 1.0 / max(float(np.dot(d, d)), 1e-6 * n)
    return per_image(S, inv_sse)


def irls(tr, va, r, st, args, tag, T0, X, A, At, shape, info):
    """Another loss by iteratively reweighted least squares, from the MSE fit
    X: each round solves the weighted normal equations for a correction D,
        (A^T W A + lr I + ls L) D = A^T W (y - A (T0 + X)) - lr X - ls L X,
    with W normalised to mean 1 (so the regularisation keeps its weight per
    pixel).  --loss l1: W = 1 / max(|residual|, delta).  --loss psnr: W =
    1 / SSE of the pixel's image (mean PSNR over images).  Resumable per
    round."""
    th = args.threads
    reg = make_regulariser(args)
    rounds = []
    for k in range(1, args.irls_rounds + 1):
        res = tr.y - A((T0 + X).ravel())
        if k == 1:
            info["train_mae_mse_fit"] = float(np.mean(np.abs(res)))
            info["train_mean_psnr_mse_fit"] = psnr_planes(tr.y - res, tr, 0)
        if args.loss == "l1":
            w = 1.0 / np.maximum(np.abs(res), np.float32(args.irls_delta))
        else:
            w = image_weights(tr, res)
        w = (w / np.float32(w.mean())).astype(np.float32)
        b = At(w * res).reshape(shape) - reg(X)
        del res
        cw = At(w).reshape(shape)

        def op_w(D, w=w):
            return At(w * A(D.ravel())).reshape(shape) + reg(D)

        D = pcg(op_w, b, 1.0 / (cw + reg.diag), args.irls_iters,
                os.path.join(args.work, "ckpt-%s-st%d-%s-round%d.npz" % (tag, st, args.loss, k)),
                "x%d st%d %s round %d" % (r, st, args.loss, k))
        del w, b, cw
        X = X + D
        if va is not None:
            pred = va.fwd((T0 + X).ravel().astype(np.float32), st, th)
            v = psnr_planes(pred, va, r)
            mae = float(np.mean(np.abs(pred - va.y)))
            rounds.append({"round": k, "val_psnr_float": v, "val_mae_float": mae})
            log("  %s round %d: val PSNR (float) %.3f, mean abs error %.3f" % (args.loss, k, v, mae))
    info["irls_rounds"] = rounds
    res = tr.y - A((T0 + X).ravel())
    info["train_mae_%s_fit" % args.loss] = float(np.mean(np.abs(res)))
    info["train_mean_psnr_%s_fit" % args.loss] = psnr_planes(tr.y - res, tr, 0)
    log("  %s: train mean abs error %.4f (MSE fit) -> %.4f" % (
        args.loss, info["train_mae_mse_fit"], info["train_mae_%s_fit" % args.loss]))
    return X


def git_commit():
    try:
        return subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=HERE, text=True).strip()
    except Exception:
        return "unknown"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, required=True, choices=(2, 3, 4))
    ap.add_argument("--data", required=True, help="folder of training images (searched recursively)")
    ap.add_argument("--out", required=True, help="table file to write (.lut); a .json goes beside it")
    ap.add_argument("--expand-step", default="both", help="1, r (= scale) or both (the better on validation is written)")
    ap.add_argument("--val-frac", type=float, default=0.04, help="fraction of images held out for validation")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-images", type=int, default=0, help="use only the first N images (tests)")
    ap.add_argument("--prior", default="grid", choices=("grid", "net", "zero"))
    ap.add_argument("--grid", type=int, default=17, help="nodes per axis of the smooth prior table")
    ap.add_argument("--grid-iters", type=int, default=25)
    ap.add_argument("--lam-grid", type=float, default=1000.0)
    ap.add_argument("--grid-subsample", type=int, default=1, help="fit the prior on every k-th training image")
    ap.add_argument("--iters", type=int, default=50, help="CG iterations of the full table fit")
    ap.add_argument("--lam-ridge", type=float, default=1.0)
    ap.add_argument("--lam-smooth", type=float, default=4.0)
    ap.add_argument("--lam-diag", type=float, default=0.0,
                    help="weight of the smoothness along the diagonal (a+1, b+1) of the table")
    ap.add_argument("--shifts", default="2,3,4,5")
    ap.add_argument("--ft-iters", type=int, default=3)
    ap.add_argument("--ft-lr", type=float, default=1.0, help="fraction of the line-search step")
    ap.add_argument("--val-every", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", default=WORK_DEFAULT, help="cache and checkpoint folder")
    ap.add_argument("--tag", help="checkpoint tag to resume (default: a hash of the configuration)")
    ap.add_argument("--clip-refit", type=int, default=0,
                    help="CG iterations re-solving the unclipped entries when a shift saturates some int8 codes")
    ap.add_argument("--shrunk-copies", default="",
                    help="comma-separated factors > 1: also fit each training photo shrunk by each (e.g. 2,3 or 1.5)")
    ap.add_argument("--shave", type=int, default=0,
                    help="leave the outer N HR pixels of every training image out of the fit (the scores shave them)")
    ap.add_argument("--image-weight-power", type=float, default=0.0,
                    help="weigh each training image (and shrunk copy) by its pixel count to this power, "
                         "negated: 0 pools all pixels, 1 weighs every image the same")
    ap.add_argument("--shrunk-only", default="",
                    help="photos whose path (relative to --data) matches this pattern, e.g. 'bsds500_*', "
                         "fit only through their shrunk copies (for sources with compression artefacts)")
    ap.add_argument("--mirror", action="store_true",
                    help="fit the mirror images too (a left-right symmetric table; no extra passes)")
    ap.add_argument("--loss", default="mse", choices=("mse", "l1", "psnr"),
                    help="l1, or psnr (mean PSNR over images): reweighted least squares rounds after the MSE fit")
    ap.add_argument("--irls-rounds", type=int, default=3, help="l1, psnr: reweighting rounds")
    ap.add_argument("--irls-iters", type=int, default=15, help="l1, psnr: CG iterations per round")
    ap.add_argument("--irls-delta", type=float, default=1.0, help="L1: residuals below this (grey levels) weigh as this")
    ap.add_argument("--net-steps", type=int, default=300, help="SRNet steps for --prior net")
    ap.add_argument("--device", default="cpu", help="cpu or cuda (SRNet only)")
    args = ap.parse_args(argv)
    args.shifts = [int(x) for x in args.shifts.split(",")]
    args.shrunk_copies = [float(x) for x in args.shrunk_copies.split(",") if x.strip()]
    if any(not (1 < k <= 64) for k in args.shrunk_copies):
        sys.exit("--shrunk-copies: factors must be > 1 (and at most 64)")
    # whole factors stay ints, so the tags (and cache names) of runs with 2,3 stay valid
    args.shrunk_copies = [int(k) if k == int(k) else k for k in args.shrunk_copies]
    r = args.scale
    steps = {"both": [r, 1], "1": [1], "r": [r], str(r): [r]}[args.expand_step]
    np.random.seed(args.seed)
    t0 = time.time()
    os.makedirs(args.work, exist_ok=True)

    files, trf, vaf = D.list_split(args.data, args.val_frac, args.seed, args.max_images)
    if not files:
        sys.exit("no images under %s" % args.data)
    log("%d images: %d train, %d validation" % (len(files), len(trf), len(vaf)))
    native = trf
    if args.shrunk_only:  # e.g. JPEG-compressed sources: their artefacts fade in the shrunk copies
        native = [f for f in trf if not fnmatch.fnmatch(os.path.relpath(f, args.data), args.shrunk_only)]
        log("%d training photos used only through their shrunk copies" % (len(trf) - len(native)))
    trp = D.load_pairs(native, r, args.work)
    for pre in args.shrunk_copies:  # scale augmentation: training photos only, never validation
        extra = D.load_pairs(trf, r, args.work, pre=pre)
        log("+ %d training photos shrunk by %g" % (len(extra), pre))
        trp += extra
    vap = D.load_pairs(vaf, r, args.work) if vaf else []
    tr = ImageSet([a for a, b in trp], [b for a, b in trp], r)
    va = ImageSet([a for a, b in vap], [b for a, b in vap], r) if vap else None
    del trp, vap
    cfg = {k: v for k, v in vars(args).items() if k not in ("out", "threads", "work", "val_every", "device",
                                                            "tag", "grid_subsample")}
    if args.grid_subsample > 1:
        cfg["grid_subsample"] = args.grid_subsample
    if not args.mirror:  # tags of runs from before --mirror stay valid
        del cfg["mirror"]
    if not args.shrunk_copies:
        del cfg["shrunk_copies"]
    if not args.shave:  # tags of runs from before --shave stay valid
        del cfg["shave"]
    for k in ("image_weight_power", "lam_diag", "shrunk_only"):  # nor those from before these options
        if not getattr(args, k):
            del cfg[k]
    del cfg["clip_refit"]  # after the CG fit: the same checkpoints serve any value
    if args.loss == "mse":  # the tags of MSE runs from before --loss stay valid
        for k in ("loss", "irls_rounds", "irls_iters", "irls_delta"):
            del cfg[k]
    cfg["files"] = trf
    tag = args.tag or "x%d-%s" % (r, hashlib.sha1(json.dumps(cfg, sort_keys=True).encode()).hexdigest()[:10])

    results = {}
    for st in steps:
        lut, info = fit_table(tr, va, r, st, args, tag)
        results[st] = (lut, info)
        log("x%d expand step %d: val PSNR %.3f (float %.3f) in %.0f s" % (
            r, st, info["val_psnr_finetuned"], info.get("val_psnr_float", float("nan")), info["seconds"]))
        save(lut, os.path.join(args.work, "%s-st%d.lut" % (tag, st)))
        write_outputs(args, argv, r, steps, results, tag, files, trf, vaf, tr, t0)


def write_outputs(args, argv, r, steps, results, tag, files, trf, vaf, tr, t0):
    """Write the best table so far and its .json (after every expand step)."""
    best_st = max(results, key=lambda k: results[k][1]["val_psnr_finetuned"])
    lut = results[best_st][0]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    save(lut, args.out)
    meta = {
        "table": os.path.basename(args.out),
        "scale": r,
        "expand_step": lut.expand_step,
        "rescale_shift": lut.rescale_shift,
        "rescale_bias": lut.rescale_bias,
        "command": " ".join([os.path.basename(sys.executable), "-m", "eclut.train"] + list(
            argv if argv is not None else sys.argv[1:])),
        "git_commit": git_commit(),
        "wall_time_s": round(time.time() - t0, 1),
        "checkpoint_tag": tag,
        "data": {"folder": args.data, "images": len(files), "train_images": len(trf),
                 "validation_images": len(vaf), "train_hr_pixels": tr.npix,
                 "validation": [os.path.relpath(f, args.data) for f in vaf]},
        "method": "direct least-squares table fit (PCG), prior=%s, loss=%s" % (args.prior, args.loss),
        "hyper_parameters": {k: getattr(args, k) for k in (
            "prior", "grid", "grid_iters", "lam_grid", "grid_subsample", "iters", "lam_ridge", "lam_smooth",
            "shifts", "ft_iters", "ft_lr", "seed", "val_frac", "loss", "irls_rounds", "irls_iters",
            "irls_delta", "mirror", "shrunk_copies", "clip_refit", "shave", "image_weight_power", "lam_diag",
            "shrunk_only")},
        "validation_note": "PSNR on Y of the held-out training images, shave = scale; never Set5/Set14",
        "expand_steps_done": sorted(results),
        "per_expand_step": {str(st): results[st][1] for st in sorted(results)},
        "work_tables": {str(st): os.path.join(args.work, "%s-st%d.lut" % (tag, st)) for st in sorted(results)},
    }
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(meta, f, indent=1, default=float)
    log("wrote %s (expand step %d, shift %d) at %.0f s" % (args.out, lut.expand_step, lut.rescale_shift,
                                                          time.time() - t0))


if __name__ == "__main__":
    main()
