"""Jacobi-preconditioned conjugate gradients with resumable checkpoints: the
one solver behind every stage of the fit (prior grid, full table, reweighted
rounds, clip refit)."""
import os

import numpy as np
from tqdm import tqdm

from .progress import log


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
