"""Train an ECLUT table: the command line, and the order of the stages.

Stages (one module each):
  data.py        training photos -> (LR, HR) Y pairs, the held-out split
  fit.py         the float table: regularised least squares over every HR pixel
                 (operators.py: regularisers, symmetry, prior grid; solver.py:
                 conjugate gradients; weights.py: pixel weights; fitcore.c: the
                 gather/scatter passes)
  quantise.py    the int8 table: rounding per rescale shift, the choice of the
                 shift on held-out training images, integer fine-tune
  scoring.py     the exact integer inference and PSNR used to choose
  train.py       this file: arguments, checkpoint tag, outputs (.lut and .json)
Evaluation on the benchmarks is eclut.evaluate, on the held-out photos at
several levels of detail eclut.heldout.

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

from . import data as D
from .cascade import fit_refine_stages
from .fit import fit_float
from .fitcore import ImageSet
from .lutfile import PAIR_BELOW, PAIR_BELOW_RIGHT, PAIR_CORNER, PAIR_QUAD, Lut, load, save
from .progress import log
from .quantise import choose_shift, finetune_integer
from .scoring import int_output, psnr_planes

HERE = os.path.dirname(os.path.abspath(__file__))
WORK_DEFAULT = os.path.join(os.path.dirname(HERE), "work")


def per_stage(values, n):
    """A per-stage option: its values, the last repeated for the stages
    past them (one value serves all)."""
    return values + values[-1:] * max(0, n - len(values))


def shrink_factors(text, option):
    """The factors of a --shrunk-copies style option ("2,3" or "1.25"),
    each > 1; whole factors stay ints, so that the tags (and cache names)
    of runs with 2,3 stay valid."""
    ks = [float(x) for x in text.split(",") if x.strip()]
    if any(not (1 < k <= 64) for k in ks):
        sys.exit("%s: factors must be > 1 (and at most 64)" % option)
    return [int(k) if k == int(k) else k for k in ks]


def pairs_with_copies(native, files, copies, r, work, what):
    """The LR/HR pairs of @native as they are, then of @files shrunk by each
    of @copies (one cache per list and factor)."""
    pairs = D.load_pairs(native, r, work)
    for pre in copies:
        extra = D.load_pairs(files, r, work, pre=pre)
        log("+ %d %s shrunk by %g" % (len(extra), what, pre))
        pairs += extra
    return pairs


def train_step(tr, va, r, st, args, tag):
    """One table of expand step @st: float fit, quantisation, integer
    fine-tune.  Returns (Lut, info)."""
    fit = fit_float(tr, va, r, st, args, tag)
    v0, s, Tq = choose_shift(fit, tr, va, r, st, args)
    Tq = finetune_integer(fit, tr, va, r, st, s, v0, Tq, args)
    fit.info["seconds"] = time.time() - fit.t_start
    return Lut(Tq, r, st, s, (1 << s) >> 1), fit.info


def git_commit():
    try:
        return subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=HERE, text=True).strip()
    except Exception:
        return "unknown"


def checkpoint_tag(args, trf, extra=True):
    """The checkpoint tag of a run: a hash of the options that change the
    upscaling stage's fit and of its training files @trf (those of
    --extra-data left out of both when @extra is false)."""
    cfg = {k: v for k, v in vars(args).items() if k not in ("out", "threads", "work", "val_every", "device",
                                                            "tag", "grid_subsample", "extra_images",
                                                            "extra_refine_from")}
    if args.grid_subsample > 1:
        cfg["grid_subsample"] = args.grid_subsample
    if not args.mirror:  # tags of runs from before --mirror stay valid
        del cfg["mirror"]
    if not args.shrunk_copies:
        del cfg["shrunk_copies"]
    if not args.shave:  # tags of runs from before --shave stay valid
        del cfg["shave"]
    for k in ("image_weight_power", "lam_diag", "shrunk_only", "upscaling_lut", "extra_data",
              "extra_hold_out_every"):  # nor those from before these options
        if not getattr(args, k) or (not extra and k.startswith("extra_")):
            del cfg[k]
    if args.extra_shrunk_copies == args.shrunk_copies or not extra:
        del cfg["extra_shrunk_copies"]
    del cfg["clip_refit"]  # after the CG fit: the same checkpoints serve any value
    for k in [k for k in cfg if k.startswith("refine_")]:  # the refine stages have their own tag
        del cfg[k]
    if args.loss == "mse":  # the tags of MSE runs from before --loss stay valid
        for k in ("loss", "irls_rounds", "irls_iters", "irls_delta"):
            del cfg[k]
    cfg["files"] = trf
    return "x%d-%s" % (args.scale, hashlib.sha1(json.dumps(cfg, sort_keys=True).encode()).hexdigest()[:10])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, required=True, choices=(2, 3, 4))
    ap.add_argument("--data", required=True, help="folder of training images (searched recursively)")
    ap.add_argument("--extra-data", action="append", default=[], metavar="DIR",
                    help="another folder of training images (repeatable): fitted (less those of "
                         "--extra-hold-out-every), never in the validation set, which stays that of --data")
    ap.add_argument("--extra-shrunk-copies", default=None, metavar="FACTORS",
                    help="shrunk copies of the --extra-data photos (default: those of --shrunk-copies; "
                         "'' for none)")
    ap.add_argument("--extra-hold-out-every", type=int, default=0, metavar="K",
                    help="leave every K-th photo of each --extra-data folder (sorted by name) out of the fit: "
                         "the photos eclut.unseen --every K scores, so they stay unseen")
    ap.add_argument("--extra-refine-from", type=int, default=1, metavar="K",
                    help="the --extra-data photos join the refine stages from stage K on (default 1: every "
                         "stage); the stages before K fit --data and its shrunk copies only")
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
    ap.add_argument("--upscaling-lut", help="take the upscaling stage from this table (its refine stages "
                    "dropped) instead of fitting it; with --refine-stages, fits only the refine stages")
    ap.add_argument("--refine-stages", type=int, default=0,
                    help="x1 refine stages fitted after the upscaling stage (format v2; 0 writes v1)")
    ap.add_argument("--refine-step", default="1",
                    help="expand step of the refine stages, in HR pixels (1 or 2): one value for all, "
                         "or one per stage (e.g. 2,1)")
    ap.add_argument("--refine-pair", default="below",
                    help="what each refine stage pairs with every pixel: below, diagonal (below and to "
                         "the right), corner (the rounded mean of below and right) or quad (the 2x2 block, "
                         "quantised): one value for all, or one per stage")
    ap.add_argument("--refine-phases", default="1",
                    help="tables per axis of each refine stage: 1 (one table), or P (2..4) for one table per "
                         "pixel position (i mod P, j mod P), usually the scale; one value, or one per stage")
    ap.add_argument("--refine-iters", default="25",
                    help="CG iterations of each refine stage: one value for all, or one per stage (e.g. 50,50,30)")
    ap.add_argument("--refine-lam-ridge", type=float, default=50.0)
    ap.add_argument("--refine-lam-smooth", type=float, default=1000.0)
    ap.add_argument("--refine-shifts", default="3,4,5,6")
    ap.add_argument("--refine-ft-iters", type=int, default=0)
    ap.add_argument("--net-steps", type=int, default=300, help="SRNet steps for --prior net")
    ap.add_argument("--device", default="cpu", help="cpu or cuda (SRNet only)")
    args = ap.parse_args(argv)
    args.shifts = [int(x) for x in args.shifts.split(",")]
    args.refine_shifts = [int(x) for x in args.refine_shifts.split(",")]
    args.refine_step = [int(x) for x in args.refine_step.split(",")]
    if any(s not in (1, 2) for s in args.refine_step):
        sys.exit("--refine-step: 1 or 2")
    args.refine_step = per_stage(args.refine_step, args.refine_stages)
    args.refine_iters = per_stage([int(x) for x in args.refine_iters.split(",")], args.refine_stages)
    if any(n < 0 for n in args.refine_iters):
        sys.exit("--refine-iters: 0 or more")
    args.refine_phases = per_stage([int(x) for x in args.refine_phases.split(",")], args.refine_stages)
    if any(not 1 <= p <= 4 for p in args.refine_phases):
        sys.exit("--refine-phases: 1 to 4")
    pairs = {"below": PAIR_BELOW, "diagonal": PAIR_BELOW_RIGHT, "corner": PAIR_CORNER, "quad": PAIR_QUAD}
    try:
        args.refine_pair = [pairs[x] for x in args.refine_pair.split(",")]
    except KeyError:
        sys.exit("--refine-pair: below, diagonal, corner or quad")
    args.refine_pair = per_stage(args.refine_pair, args.refine_stages)
    if not 0 <= args.refine_stages <= 4:
        sys.exit("--refine-stages: 0 to 4")
    args.shrunk_copies = shrink_factors(args.shrunk_copies, "--shrunk-copies")
    args.extra_shrunk_copies = args.shrunk_copies if args.extra_shrunk_copies is None else \
        shrink_factors(args.extra_shrunk_copies, "--extra-shrunk-copies")
    if args.extra_hold_out_every < 0:
        sys.exit("--extra-hold-out-every: 0 (none) or more")
    if args.extra_refine_from < 1:
        sys.exit("--extra-refine-from: 1 or more")
    r = args.scale
    steps = {"both": [r, 1], "1": [1], "r": [r], str(r): [r]}[args.expand_step]
    np.random.seed(args.seed)
    t0 = time.time()
    os.makedirs(args.work, exist_ok=True)

    files, trf, vaf = D.list_split(args.data, args.val_frac, args.seed, args.max_images)
    if not files:
        sys.exit("no images under %s" % args.data)
    extra_files = []
    for d in args.extra_data:
        found = D.list_images(d)
        if not found:
            sys.exit("no images under %s" % d)
        if args.extra_hold_out_every:
            unseen = set(D.every_kth(found, args.extra_hold_out_every))
            found = [f for f in found if f not in unseen]
        extra_files += found
    log("%d images: %d train, %d validation%s" % (len(files), len(trf), len(vaf),
                                                 ", %d more to train" % len(extra_files) if extra_files else ""))
    native = trf
    if args.shrunk_only:  # e.g. JPEG-compressed sources: their artefacts fade in the shrunk copies
        native = [f for f in trf if not fnmatch.fnmatch(os.path.relpath(f, args.data), args.shrunk_only)]
        log("%d training photos used only through their shrunk copies" % (len(trf) - len(native)))
    # scale augmentation: training photos only, never validation; each folder loaded on its own,
    # so that its cached pairs serve runs with and without the other
    trp = pairs_with_copies(native, trf, args.shrunk_copies, r, args.work, "training photos")
    n_base, base_files = len(trp), trf
    if extra_files:
        trp += pairs_with_copies(extra_files, extra_files, args.extra_shrunk_copies, r, args.work,
                                 "extra photos")
    files, trf = files + extra_files, trf + extra_files
    args.extra_images = len(extra_files)
    vap = D.load_pairs(vaf, r, args.work) if vaf else []
    tr = ImageSet([a for a, b in trp], [b for a, b in trp], r)
    va = ImageSet([a for a, b in vap], [b for a, b in vap], r) if vap else None
    del trp, vap
    tag = args.tag or checkpoint_tag(args, trf)
    # the refine stages before --extra-refine-from fit the --data photos alone: the first
    # images of the set, under the tag a run without --extra-data has
    tr_base, base_tag = None, None
    if extra_files and args.extra_refine_from > 1 and args.refine_stages:
        tr_base = tr.images(0, n_base)
        base_tag = checkpoint_tag(args, base_files, extra=False)

    results = {}
    if args.upscaling_lut:  # the upscaling stage as it is: only refine stages are fitted
        lut = load(args.upscaling_lut)
        if lut.scale != r:
            sys.exit("%s: a x%d table, not x%d" % (args.upscaling_lut, lut.scale, r))
        lut.refine = []
        v = psnr_planes(int_output(va, lut.table.reshape(-1), lut.rescale_shift, lut.expand_step,
                                   args.threads), va, r) if va is not None else float("nan")
        log("upscaling stage from %s: val PSNR %.3f" % (args.upscaling_lut, v))
        results[lut.expand_step] = (lut, {"val_psnr_finetuned": v, "from": args.upscaling_lut})
        steps = []
    for st in steps:
        lut, info = train_step(tr, va, r, st, args, tag)
        results[st] = (lut, info)
        log("x%d expand step %d: val PSNR %.3f (float %.3f) in %.0f s" % (
            r, st, info["val_psnr_finetuned"], info.get("val_psnr_float", float("nan")), info["seconds"]))
        save(lut, os.path.join(args.work, "%s-st%d.lut" % (tag, st)))
        write_outputs(args, argv, r, steps, results, tag, files, trf, vaf, tr, t0)

    if args.refine_stages:
        best_st = max(results, key=lambda k: results[k][1]["val_psnr_finetuned"])
        lut, info = results[best_st]
        # (the steps go into each stage's own tag: stage k depends on those of stages <= k)
        rcfg = {k: getattr(args, k) for k in ("refine_lam_ridge", "refine_lam_smooth")}
        rcfg.update(shave=args.shave, image_weight_power=args.image_weight_power, mirror=args.mirror,
                    upscaling_table=hashlib.sha1(lut.table.tobytes()).hexdigest())
        rhash = hashlib.sha1(json.dumps(rcfg, sort_keys=True).encode()).hexdigest()[:8]
        if tr_base is None:
            info["refine"] = fit_refine_stages(tr, va, lut, args, "%s-%s" % (tag, rhash))
        else:  # the stages from K on read stages fitted without the extra photos: K in their tag
            rcfg["extra_refine_from"] = args.extra_refine_from
            rtag = "%s-%s" % (tag, hashlib.sha1(json.dumps(rcfg, sort_keys=True).encode()).hexdigest()[:8])
            info["refine"] = fit_refine_stages(tr, va, lut, args, rtag,
                                               base=(tr_base, "%s-%s" % (base_tag, rhash), args.extra_refine_from))
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
                 "validation": [os.path.relpath(f, args.data) for f in vaf],
                 "extra_folders": args.extra_data, "extra_images": args.extra_images,
                 "extra_hold_out_every": args.extra_hold_out_every,
                 "extra_shrunk_copies": args.extra_shrunk_copies},
        "method": "direct least-squares table fit (PCG), prior=%s, loss=%s" % (args.prior, args.loss),
        "hyper_parameters": {k: getattr(args, k) for k in (
            "prior", "grid", "grid_iters", "lam_grid", "grid_subsample", "iters", "lam_ridge", "lam_smooth",
            "shifts", "ft_iters", "ft_lr", "seed", "val_frac", "loss", "irls_rounds", "irls_iters",
            "irls_delta", "mirror", "shrunk_copies", "clip_refit", "shave", "image_weight_power", "lam_diag",
            "shrunk_only", "upscaling_lut", "refine_stages", "refine_step", "refine_pair", "refine_phases", "refine_iters", "refine_lam_ridge",
            "refine_lam_smooth", "refine_shifts", "refine_ft_iters", "extra_refine_from")},
        "refine_stages": [{"expand_step": s.expand_step, "rescale_shift": s.rescale_shift,
                           "rescale_bias": s.rescale_bias, "residual": s.residual, "pair": s.pair,
                           "phases": s.phases}
                          for s in lut.refine],
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
