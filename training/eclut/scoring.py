"""Scores of a table on an ImageSet: the exact integer inference of a
quantised table and the mean Y-PSNR over the set's planes (the validation
metric of the training tool and eclut.heldout)."""
import numpy as np


def psnr_planes(pred_flat, S, shave):
    ps = []
    for pr, y in zip(S.planes(pred_flat), S.planes(S.y)):
        d = (pr.astype(np.float64) - y)[shave:pr.shape[0] - shave, shave:pr.shape[1] - shave]
        mse = np.mean(d * d)
        ps.append(10 * np.log10(255.0 ** 2 / max(mse, 1e-10)))
    return float(np.mean(ps))


def int_output(S, Tq, s, st, threads):
    Ssum = S.fwd(Tq.astype(np.float32).ravel(), st, threads)  # exact: integer sums < 2^24
    b = (1 << s) >> 1
    return np.clip(np.floor((Ssum + b) / (1 << s)), 0, 255)
