"""The float table fit: a regularised least-squares problem over every HR
pixel of the training set, solved by conjugate gradients (solver.py) with
the gather/scatter passes of fitcore.c.

The integer inference (docs/lut-format.md) is, before the final shift and
clamp, LINEAR in the table: each HR pixel is the sum of 36 entries picked by
the LR input.  So the float table T (in output grey levels) solves

    min_T ||A T - y||^2_M + lam_r ||T - T0||^2 + lam_s ||grad_ab (T - T0)||^2

with M the pixel weights (weights.py).  T0, the prior for pairs the data
rarely shows, is itself a least-squares fit of a smooth table (bilinear on a
coarse n x n grid over (a, b)), or the table of a short SRNet run (--prior
net), or zero.  Optionally a few reweighted rounds follow (--loss l1, psnr).
"""
import os
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .fitcore import ImageSet
from .operators import (expand_grid, interp_matrix, lap, make_regulariser, make_symmetrise,
                        restrict_grid)
from .progress import log
from .scoring import psnr_planes
from .solver import pcg
from .weights import image_weights, pixel_weights


@dataclass
class FloatFit:
    """The float table T = T0 + X and the normal equations it solves, which
    the quantisation stage reuses (clip refit, integer fine-tune)."""
    T0: np.ndarray
    X: np.ndarray
    shape: tuple
    A: Callable            # flat table -> flat HR prediction over the training set
    At: Callable           # flat HR residual -> table (weighted, symmetrised)
    op_full: Callable      # X -> (A^T M A + reg) X
    bfull: np.ndarray      # right-hand side of the full fit
    minv: np.ndarray       # its Jacobi preconditioner
    info: dict = field(default_factory=dict)
    t_start: float = 0.0

    @property
    def T(self):
        return self.T0 + self.X


def fit_float(tr, va, r, st, args, tag):
    """Fits the float table of expand step @st on ImageSet @tr (progress
    scored on @va, may be None).  Checkpoints under args.work with @tag."""
    E = 9 * r * r * tr.phases ** 2
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
    info["val_history_float"] = hist
    if va is not None:
        info["val_psnr_float"] = psnr_planes(va.fwd((T0 + X).ravel().astype(np.float32), st, th), va, r)
    return FloatFit(T0, X, shape, A, At, op_full, bfull, minv_full, info, t_start)


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
