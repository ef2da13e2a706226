"""Scores of a table on an ImageSet: the exact integer inference of a
quantised table and the mean Y-PSNR over the set's planes (the validation
metric of the training tool and eclut.heldout)."""
import numpy as np


def psnr_planes(pred_flat, S, shave):
    """Mean Y-PSNR over the planes of @S of a prediction of S.y, @shave
    border pixels left out (or the set's own score_shave).  For a residual
    set both are corrections to S.base, so the difference is the output's."""
    if S.score_shave is not None:
        shave = S.score_shave
    ps = []
    for pr, y in zip(S.planes(pred_flat), S.planes(S.y)):
        d = (pr.astype(np.float64) - y)[shave:pr.shape[0] - shave, shave:pr.shape[1] - shave]
        mse = np.mean(d * d)
        ps.append(10 * np.log10(255.0 ** 2 / max(mse, 1e-10)))
    return float(np.mean(ps))


def int_output(S, Tq, s, st, threads):
    """The exact integer output of int8 table @Tq at shift @s on @S (flat
    float32): clamp((S + b) >> s).  For a residual set, the stage adds its
    input before the clamp, and the result is returned as a correction to
    S.base like S.y."""
    Ssum = S.fwd(Tq.astype(np.float32).ravel(), st, threads)  # exact: integer sums < 2^24
    b = (1 << s) >> 1
    v = np.floor((Ssum + b) / (1 << s))
    if S.base is None:
        return np.clip(v, 0, 255)
    return np.clip(v + S.base, 0, 255) - S.base
