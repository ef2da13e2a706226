"""Numpy reference inference of an ECLUT table, exactly as docs/lut-format.md.

This is the specification the C element must match bit for bit (refine
stages of v2 files included); it is written
literally (np.rot90 per rotation, replicate pair at the bottom, pixel shuffle,
expand with refl(), integer sum, (S + b) >> s, clamp) rather than fast.
"""
import numpy as np

from .lutfile import Lut, Refine


def refl(t, n):
    """Reflect padding without repeating the edge sample, for any distance."""
    t = np.asarray(t, dtype=np.int64)
    if n == 1:
        return np.zeros_like(t)
    p = 2 * (n - 1)
    u = np.mod(t, p)
    return np.where(u < n, u, p - u)


DIRS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]  # c = (dy+1)*3 + (dx+1)


def rotation_sum(table, I, r, st, k):
    """R_k of the spec: int32 array rH x rW (original orientation)."""
    J = np.rot90(I, k)
    h, w = J.shape
    a = J.astype(np.int64)
    b = np.concatenate([J[1:], J[-1:]], axis=0).astype(np.int64)
    E = table[a, b].astype(np.int32)  # h, w, 9r^2
    C = E.reshape(h, w, 9, r, r).transpose(2, 0, 3, 1, 4).reshape(9, h * r, w * r)
    rh, rw = h * r, w * r
    Y = np.arange(rh)
    X = np.arange(rw)
    O = np.zeros((rh, rw), dtype=np.int32)
    for c, (dy, dx) in enumerate(DIRS):
        ry = refl(Y - dy * st, rh)
        rx = refl(X - dx * st, rw)
        O += C[c][np.ix_(ry, rx)]
    return np.rot90(O, -k)


def stage_sum(table, I, r, st):
    """S = R_0 + R_1 + R_2 + R_3 (int32) of one stage."""
    I = np.asarray(I, dtype=np.uint8)
    if I.ndim != 2 or I.size == 0:
        raise ValueError("expected a non-empty 2-D uint8 plane")
    t = np.asarray(table, dtype=np.int8)
    S = None
    for k in range(4):
        R = rotation_sum(t, I, r, st, k)
        S = R if S is None else S + R
    return S


def infer_sum(lut: Lut, I):
    """S of the upscaling stage (int32)."""
    return stage_sum(lut.table, I, lut.scale, lut.expand_step)


def refine(stage: Refine, I):
    """One x1 refine stage on an 8-bit plane (v2 files)."""
    I = np.asarray(I, dtype=np.uint8)
    out = (stage_sum(stage.table, I, 1, stage.expand_step) + stage.rescale_bias) >> stage.rescale_shift
    if stage.residual:
        out = out + I.astype(np.int32)
    return np.clip(out, 0, 255).astype(np.uint8)


def refine_samples(stage: Refine, V, bits=10):
    """One x1 refine stage on a plane of @bits (8 or 10) bits, integers
    0 .. 2^bits - 1 (docs/lut-format.md, "Refine stages at 10 bits"): the
    pairs are those of the 8-bit plane H = V >> (bits - 8), and the
    correction keeps bits - 8 more bits, (2^(bits - 8) (S + b)) >> s.  At
    8 bits this is refine(); returns uint16 at 10 bits."""
    if bits not in (8, 10):
        raise ValueError("bits must be 8 or 10")
    V = np.asarray(V)
    if V.ndim != 2 or V.size == 0 or not np.issubdtype(V.dtype, np.integer):
        raise ValueError("expected a non-empty 2-D integer plane")
    if V.min() < 0 or V.max() >= 1 << bits:
        raise ValueError("samples outside 0..%d" % ((1 << bits) - 1))
    V = V.astype(np.int64)
    extra = bits - 8
    S = stage_sum(stage.table, (V >> extra).astype(np.uint8), 1, stage.expand_step)
    out = ((S.astype(np.int64) + stage.rescale_bias) << extra) >> stage.rescale_shift
    if stage.residual:
        out = out + V
    return np.clip(out, 0, (1 << bits) - 1).astype(np.uint8 if bits == 8 else np.uint16)


def upscale(lut: Lut, I, stages=None):
    """Upscale one 8-bit plane (H x W uint8) to rH x rW uint8: the upscaling
    stage, then the first @stages refine stages (all when None; 0 is the
    element's fast mode)."""
    S = infer_sum(lut, I)
    out = np.clip((S + lut.rescale_bias) >> lut.rescale_shift, 0, 255).astype(np.uint8)
    for stage in lut.refine[:stages]:
        out = refine(stage, out)
    return out
