"""Times the fit's two passes (fitcore.c: fwd = A T, bwd = A^T R) on real
training photos, the work of one conjugate-gradient iteration.

Run from training/ (the LR planes are cached under --work as the fit's):
    /usr/bin/python3 -m eclut.benchfit --scale 4 --images 300 --threads 2
    /usr/bin/python3 -m eclut.benchfit --scale 4 --refine --phases 4 ...

--refine times a x1 refine set of the same size as the fit's (the photos'
HR planes as its input, expand step 2, --pair, --phases) instead of the
upscaling stage's.  Prints the best of --rounds per pass and a checksum
of each result, so that two builds of fitcore.c (for example the working
tree and a `git stash`) can be compared for speed and for equal output.
"""
import argparse
import hashlib
import os
import time

import numpy as np

from . import data as D
from .fitcore import ImageSet


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.environ.get("ECLUT_SHARED", os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(here))), "shared"))
    ap.add_argument("--data", default=os.path.join(shared, "datasets", "train"))
    ap.add_argument("--scale", type=int, default=4)
    ap.add_argument("--images", type=int, default=100, help="the first N photos (sorted by name)")
    ap.add_argument("--refine", action="store_true", help="a x1 refine set instead")
    ap.add_argument("--pair", type=int, default=0, help="refine pair (lutfile.PAIR_*)")
    ap.add_argument("--phases", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", default="work")
    args = ap.parse_args(argv)

    r = args.scale
    pairs = D.load_pairs(D.list_images(args.data)[:args.images], r, args.work, progress=False)
    if args.refine:
        S = ImageSet([hr for _, hr in pairs], None, 1)
        S.pair, S.phases, st, e = args.pair, args.phases, 2, 9 * args.phases ** 2
    else:
        S = ImageSet([lr for lr, _ in pairs], None, r)
        st, e = r, 9 * r * r
    rng = np.random.default_rng(0)
    T = rng.standard_normal(65536 * e).astype(np.float32)
    R = (rng.standard_normal(S.npix) * 30).astype(np.float32)
    best = {}
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        out = S.fwd(T, st, args.threads)
        t1 = time.perf_counter()
        G = S.bwd(R, st, args.threads)
        t2 = time.perf_counter()
        best["fwd"] = min(best.get("fwd", 1e9), t1 - t0)
        best["bwd"] = min(best.get("bwd", 1e9), t2 - t1)
    print("%s x%d, %d photos, %d pixels, %d threads: fwd %.3f s, bwd %.3f s (best of %d); "
          "checksums fwd %s bwd %s" % ("refine" if args.refine else "upscaling", r, len(pairs),
                                       S.npix, args.threads, best["fwd"], best["bwd"], args.rounds,
                                       hashlib.sha1(out.tobytes()).hexdigest()[:12],
                                       hashlib.sha1(G.tobytes()).hexdigest()[:12]))


if __name__ == "__main__":
    main()
