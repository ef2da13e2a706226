"""Refine stages (format v2): x1 tables fitted, in order, on the exact
integer output of the stages before them.

Stage k reads the clamped 8-bit output of stages < k at HR size and adds a
correction (a residual stage): out = clamp(x + ((S + b) >> s)), with S the
36 entries of the x1 table picked by the pairs of x in four rotations (each
pixel and the one below it, or the one below and to the right), spread by
the expand step (docs/lut-format.md).  Like the
upscaling stage the correction is linear in the table, so each stage is the
same regularised least-squares fit (fit.py) on a new image set: planes =
the previous output, targets = HR - previous output.  Only the composition
of the stages is non-linear, and it is handled by fitting them in order.
"""
import time
from types import SimpleNamespace

import numpy as np

from .fit import fit_float
from .fitcore import ImageSet
from .lutfile import PAIR_BELOW, PAIR_BELOW_RIGHT, PAIR_CORNER, PAIR_QUAD, Refine
from .progress import log
from .quantise import choose_shift, finetune_integer
from .scoring import int_output, psnr_planes

# each pair's letter in the checkpoint tags
PAIR_TAGS = {PAIR_BELOW: "", PAIR_BELOW_RIGHT: "d", PAIR_CORNER: "c", PAIR_QUAD: "q"}


def stage_output(S, lut, threads):
    """The integer output (flat float32, 0..255) of @lut's upscaling stage
    and all its refine stages (residual, the only kind this tool fits) on
    the LR planes of @S (an upscaling set)."""
    out = int_output(S, lut.table.reshape(-1), lut.rescale_shift, lut.expand_step, threads)
    out = out.astype(np.float32)
    for st in lut.refine:
        out = refine_output(refine_set(S, out, st.pair, st.phases), st.table, st.rescale_shift,
                            st.expand_step, threads)
    return out


def refine_output(R, table, shift, step, threads):
    """The integer output (flat float32, 0..255) of a residual refine stage
    (int8 @table, @shift, expand @step) on refine set @R: its input plus
    the correction, clamped."""
    return (R.base + int_output(R, table.reshape(-1), shift, step, threads)).astype(np.float32)


def refine_set(S, out, pair=PAIR_BELOW, phases=1):
    """The image set of a residual refine stage after output @out (flat,
    over the HR pixels of upscaling set @S): planes = @out as 8-bit HR
    planes, paired as @pair says, with @phases tables per axis, base =
    @out, y = HR - @out, scored with S's shave (its scale)."""
    planes = [p.astype(np.uint8) for p in S.planes(out)]
    R = ImageSet(planes, None, 1)
    R.pair = pair
    R.phases = phases
    R.base = np.ascontiguousarray(out, dtype=np.float32)
    if S.y is not None:
        R.y = (S.y - R.base).astype(np.float32)
    R.score_shave = S.r
    return R


def refine_args(args):
    """The fit's options for a refine stage: the --refine-* values where the
    stage has its own, the upscaling stage's otherwise."""
    a = SimpleNamespace(**vars(args))
    a.prior = "zero"               # no correction where the data says nothing
    a.lam_ridge = args.refine_lam_ridge
    a.lam_smooth = args.refine_lam_smooth
    a.lam_diag = 0.0
    a.shifts = args.refine_shifts
    a.ft_iters = args.refine_ft_iters
    a.loss = "mse"
    a.clip_refit = 0
    return a


def fit_refine_stages(tr, va, lut, args, tag, base=None):
    """Appends args.refine_stages refine stages to @lut (in place), each
    fitted on the integer output of the stages before it.  @base, if given,
    is (set, tag, K): the stages before K fit that set (the first images of
    @tr) under that tag instead.  Returns the info of each stage (validation
    PSNR before and after, seconds)."""
    infos = []
    a = refine_args(args)
    th = args.threads
    full, full_tag = tr, tag
    if base is not None and len(lut.refine) + 1 < base[2]:
        tr, tag = base[0], base[1]
    out_tr = stage_output(tr, lut, th)
    out_va = stage_output(va, lut, th) if va is not None else None
    for k in range(len(lut.refine) + 1, args.refine_stages + 1):
        t0 = time.time()
        if tr is not full and k >= base[2]:
            # the extra photos join: the stages so far run over them (the
            # first images' output is out_tr already; every image's is its own)
            out_tr = np.concatenate([out_tr, stage_output(full.images(tr.n, full.n), lut, th)])
            tr, tag = full, full_tag
        st, pair = args.refine_step[k - 1], args.refine_pair[k - 1]
        ph = args.refine_phases[k - 1]
        a.iters = args.refine_iters[k - 1]
        R_tr = refine_set(tr, out_tr, pair, ph)
        R_va = refine_set(va, out_va, pair, ph) if va is not None else None
        before = psnr_planes(np.zeros(R_va.npix, np.float32), R_va, 0) if R_va is not None else None
        # the design of every stage up to k: its step, "d" before it for
        # the diagonal pair and "c" for the corner pair, "p" and the phases
        # after it for a table per position (the tags of the stages before
        # these options stay as they were)
        design = ["%s%d%s" % (PAIR_TAGS[p], s, "p%d" % n if n > 1 else "")
                  for s, p, n in zip(args.refine_step[:k], args.refine_pair[:k], args.refine_phases[:k])]
        stag = "%s-refine%d-st%s" % (tag, k, "-".join(design))
        fit = fit_float(R_tr, R_va, 1, st, a, stag)
        v0, s, Tq = choose_shift(fit, R_tr, R_va, 1, st, a)
        Tq = finetune_integer(fit, R_tr, R_va, 1, st, s, v0, Tq, a)
        stage = Refine(Tq, st, s, (1 << s) >> 1, True, pair, ph)
        lut.refine.append(stage)
        info = dict(fit.info)
        info.update(stage=k, expand_step=st, pair=pair, phases=ph, val_psnr_before=before,
                    seconds=time.time() - t0)
        infos.append(info)
        log("refine stage %d (expand step %d, pair %d, phases %d): val PSNR %.3f -> %.3f (int8, shift %d) "
            "in %.0f s" % (k, st, pair, ph, before if before is not None else float("nan"),
                           info["val_psnr_finetuned"], s, info["seconds"]))
        # the next stage reads this one's integer output
        out_tr = refine_output(R_tr, Tq, s, st, th)
        if R_va is not None:
            out_va = refine_output(R_va, Tq, s, st, th)
        del R_tr, R_va, fit
    return infos
