"""From the float table to the int8 table: per rescale shift, rounding (with
an optional refit of the entries that do not saturate), the choice of the
shift on held-out training images, and a fine-tune through the exact integer
inference."""
import numpy as np

from .progress import log
from .scoring import int_output, psnr_planes
from .solver import pcg


def saturated(q):
    """Which int8 codes (before clipping) fall outside -128..127."""
    return (q > 127) | (q < -128)


def quantise(T, s):
    q = np.round(T * (1 << s))
    clipped = float(np.mean(saturated(q)))
    return np.clip(q, -128, 127).astype(np.int8), clipped


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


def choose_shift(fit, tr, va, r, st, args):
    """Quantises the float fit at every shift of args.shifts and keeps the
    best on the held-out images @va (the fewest saturated codes without
    them).  Returns (score, shift, int8 table) and fills fit.info."""
    th = args.threads
    T = fit.T
    info = fit.info
    best = None
    info["shifts"] = {}
    for s in args.shifts:
        Tq, clipped = quantise(T, s)
        v = psnr_planes(int_output(va, Tq, s, st, th), va, r) if va is not None else -clipped
        info["shifts"][s] = {"val_psnr": v, "clipped_fraction": clipped}
        log("  shift %d: val PSNR (int8) %.3f, clipped entries %.4f%%" % (s, v, 100 * clipped))
        if clipped > 0 and args.clip_refit > 0 and args.loss == "mse":
            Tc, Tr = clip_refit(T, fit.T0, s, fit.op_full, fit.bfull, fit.minv, args.clip_refit,
                                "x%d st%d shift %d refit" % (r, st, s))
            Tq_r, clipped_r = quantise(Tr, s)
            v_r = psnr_planes(int_output(va, Tq_r, s, st, th), va, r) if va is not None else -clipped_r
            info["shifts"][s].update(
                val_psnr_before_refit=v, val_psnr=v_r, clipped_fraction_after_refit=clipped_r,
                train_mse_clipped=float(np.mean((fit.A(Tc.ravel()) - tr.y) ** 2)),
                train_mse_refit=float(np.mean((fit.A(Tr.ravel()) - tr.y) ** 2)))
            log("  shift %d after refitting the unclipped entries: val PSNR (int8) %.3f" % (s, v_r))
            if va is None or v_r > v:
                v, Tq = v_r, Tq_r
        if best is None or v > best[0]:
            best = (v, s, Tq)
    v0, s, Tq = best
    info["shift"] = s
    info["val_psnr_quantised"] = v0
    return v0, s, Tq


def finetune_integer(fit, tr, va, r, st, s, v0, Tq, args):
    """Fine-tunes the int8 table through the exact integer inference
    (straight-through: the float table moves along Jacobi-preconditioned
    steps of the integer residual, and is re-rounded).  Keeps the best step
    on @va (step 0 = @Tq, scored @v0); returns its int8 table."""
    th = args.threads
    Tf = fit.T.copy()
    best_ft = (v0, Tq, 0)
    for k in range(args.ft_iters):
        out = int_output(tr, Tq, s, st, th)
        g = fit.At((tr.y - out).astype(np.float32)).reshape(fit.shape)
        d = fit.minv * g
        Ad = fit.A(d.ravel())
        alpha = float(np.dot(g.ravel(), d.ravel())) / max(float(np.dot(Ad, Ad)), 1e-30)
        Tf = Tf + args.ft_lr * alpha * d
        Tq, _ = quantise(Tf, s)
        v = psnr_planes(int_output(va, Tq, s, st, th), va, r) if va is not None else 0
        log("  integer fine-tune step %d: val PSNR %.3f" % (k + 1, v))
        if v > best_ft[0]:
            best_ft = (v, Tq, k + 1)
    fit.info["val_psnr_finetuned"] = best_ft[0]
    fit.info["finetune_gain_db"] = best_ft[0] - v0
    fit.info["finetune_steps_kept"] = best_ft[2]
    return best_ft[1]
