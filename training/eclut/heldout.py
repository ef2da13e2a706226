"""PSNR of tables on the held-out training photos, as they are and shrunk.

The training tool chooses on the photos it holds out; it lists them in the
table's .json (data.validation), which this tool reads, so a table is scored
on exactly the photos its own run held out.  Those photos, shrunk by 1.5, 2, 3 and 4 (MATLAB bicubic,
as --shrunk-copies makes the training copies), are sharper HR images with
the same content: a check that a change helps at every level of detail, not
only at the softness of the photos as they are.  Set5/Set14 are never read.

Run from training/:
    /usr/bin/python3 -m eclut.heldout --scale 3 --data ../../shared/datasets/train \
        --lut shipped=../lut-data/eclut-x3.lut --lut new=/tmp/x3.lut [--shrink 1,1.5,2,3,4]

Prints a markdown table: one row per shrink factor, one column per table
(Y-PSNR of the exact integer inference, `scale` pixels shaved, mean over
the photos).  Row 1 is the "val PSNR (int8)" that eclut.train reports.
"""
import argparse
import json
import os
import sys

from . import data as D
from .fitcore import ImageSet
from .lutfile import load
from .scoring import int_output, psnr_planes


def heldout_psnr(files, r, luts, shrinks, work, threads=2):
    """{shrink: [PSNR per table]} over the photos in @files."""
    rows = {}
    for pre in shrinks:
        pairs = D.load_pairs(files, r, work, progress=False, pre=pre)
        S = ImageSet([a for a, b in pairs], [b for a, b in pairs], r)
        rows[pre] = []
        for lut in luts:
            out = int_output(S, lut.table.reshape(-1), lut.rescale_shift, lut.expand_step, threads)
            rows[pre].append(psnr_planes(out, S, r))
    return rows


def validation_files(lut_paths, data):
    """The held-out photos named by the .json beside each table (paths
    relative to @data), or None when no table has one.  Tables that held out
    different photos cannot be compared on one set: SystemExit."""
    found = {}
    for path in lut_paths:
        meta = os.path.splitext(path)[0] + ".json"
        if os.path.exists(meta):
            with open(meta) as f:
                found[path] = json.load(f)["data"]["validation"]
    if not found:
        return None
    lists = {tuple(v) for v in found.values()}
    if len(lists) > 1:
        sys.exit("the tables held out different photos: %s" % ", ".join(sorted(found)))
    files = [os.path.join(data, v) for v in lists.pop()]
    missing = [f for f in files if not os.path.exists(f)]
    if missing:
        sys.exit("held-out photo %s not found under --data %s" % (missing[0], data))
    return files


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, required=True, choices=(2, 3, 4))
    ap.add_argument("--data", required=True, help="the --data folder the tables were trained with")
    ap.add_argument("--lut", action="append", required=True, metavar="NAME=PATH")
    ap.add_argument("--shrink", default="1,1.5,2,3,4", help="shrink factors of the held-out photos (1: as they are)")
    ap.add_argument("--val-frac", type=float, default=0.04,
                    help="only for tables without a .json: recompute eclut.train's split")
    ap.add_argument("--seed", type=int, default=0, help="as --val-frac")
    ap.add_argument("--max-images", type=int, default=0, help="as --val-frac")
    ap.add_argument("--work", default=None, help="cache folder for the prepared photos")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    names, luts = [], []
    for spec in args.lut:
        name, _, path = spec.rpartition("=")
        lut = load(path)
        if lut.scale != args.scale:
            sys.exit("%s: a x%d table, not x%d" % (path, lut.scale, args.scale))
        names.append(name or path)
        luts.append(lut)
    shrinks = [float(x) for x in args.shrink.split(",")]
    if any(k < 1 for k in shrinks):
        sys.exit("--shrink: factors must be at least 1")
    shrinks = [int(k) if k == int(k) else k for k in shrinks]
    vaf = validation_files([spec.rpartition("=")[2] for spec in args.lut], args.data)
    if vaf is None:
        print("no .json beside the tables: held-out photos from --val-frac %g, --seed %d" % (
            args.val_frac, args.seed), file=sys.stderr)
        _, _, vaf = D.list_split(args.data, args.val_frac, args.seed, args.max_images)
    if not vaf:
        sys.exit("no held-out photos (--val-frac)")
    rows = heldout_psnr(vaf, args.scale, luts, shrinks, args.work, args.threads)
    print("| held-out photos (%d), x%d | %s |" % (len(vaf), args.scale, " | ".join(names)))
    print("|---|%s" % ("---|" * len(names)))
    for pre, vals in rows.items():
        label = "as they are" if pre == 1 else "shrunk by %g" % pre
        print("| %s | %s |" % (label, " | ".join("%.3f" % v for v in vals)))


if __name__ == "__main__":
    main()
