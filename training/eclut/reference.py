"""Numpy reference inference of an ECLUT table, exactly as docs/lut-format.md.

This is the specification the C element must match bit for bit (refine
stages of v2 files included); it is written
literally (np.rot90 per rotation, replicate pair at the bottom (and right), pixel shuffle,
expand with refl(), integer sum, (S + b) >> s, clamp) rather than fast.
"""
import numpy as np

from .lutfile import PAIR_BELOW, PAIR_BELOW_RIGHT, PAIR_CORNER, PAIR_QUAD, Lut, Refine, quad_index


def refl(t, n):
    """Reflect padding without repeating the edge sample, for any distance."""
    t = np.asarray(t, dtype=np.int64)
    if n == 1:
        return np.zeros_like(t)
    p = 2 * (n - 1)
    u = np.mod(t, p)
    return np.where(u < n, u, p - u)


DIRS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]  # c = (dy+1)*3 + (dx+1)


def rotation_sum(table, I, r, st, k, pair=PAIR_BELOW, phases=1):
    """R_k of the spec: int32 array rH x rW (original orientation).  The
    pair of J[y][x] is J[y+1][x] (PAIR_BELOW), J[y+1][x+1]
    (PAIR_BELOW_RIGHT, refine stages only) or (J[y+1][x] + J[y][x+1] + 1)
    >> 1 (PAIR_CORNER, refine stages only), replicated at the bottom and
    right edges; with PAIR_QUAD (refine stages only) J[y][x] reads the
    entries T[i >> 8][i & 255] of the quantised index i of J[y][x], J[y+1][x],
    J[y][x+1] and J[y+1][x+1] (lutfile.quad_index), replicated likewise.  With @phases P > 1 (refine stages only) J[y][x] reads the
    entries of position (y mod P) P + (x mod P) of its pair."""
    J = np.rot90(I, k)
    h, w = J.shape
    a = J.astype(np.int64)
    B = np.concatenate([J[1:], J[-1:]], axis=0)
    if pair == PAIR_BELOW_RIGHT:
        B = np.concatenate([B[:, 1:], B[:, -1:]], axis=1)
    elif pair == PAIR_CORNER:
        right = np.concatenate([J[:, 1:], J[:, -1:]], axis=1)
        B = (B.astype(np.int64) + right + 1) >> 1
    elif pair == PAIR_QUAD:
        right = np.concatenate([J[:, 1:], J[:, -1:]], axis=1)
        diag = np.concatenate([B[:, 1:], B[:, -1:]], axis=1)
        i = quad_index(J, B, right, diag)
        a, B = i >> 8, i & 255
    elif pair != PAIR_BELOW:
        raise ValueError("bad pair %r" % (pair,))
    b = B.astype(np.int64)
    if phases > 1:
        pos = (np.arange(h)[:, None] % phases) * phases + np.arange(w)[None, :] % phases
        E = table.reshape(256, 256, phases * phases, 9 * r * r)[a, b, pos].astype(np.int32)
    else:
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


def stage_sum(table, I, r, st, pair=PAIR_BELOW, phases=1):
    """S = R_0 + R_1 + R_2 + R_3 (int32) of one stage."""
    I = np.asarray(I, dtype=np.uint8)
    if I.ndim != 2 or I.size == 0:
        raise ValueError("expected a non-empty 2-D uint8 plane")
    t = np.asarray(table, dtype=np.int8)
    S = None
    for k in range(4):
        R = rotation_sum(t, I, r, st, k, pair, phases)
        S = R if S is None else S + R
    return S


def infer_sum(lut: Lut, I):
    """S of the upscaling stage (int32)."""
    return stage_sum(lut.table, I, lut.scale, lut.expand_step)


def refine(stage: Refine, I):
    """One x1 refine stage on an 8-bit plane (v2 files)."""
    I = np.asarray(I, dtype=np.uint8)
    out = (stage_sum(stage.table, I, 1, stage.expand_step, stage.pair, stage.phases)
           + stage.rescale_bias) >> stage.rescale_shift
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
    S = stage_sum(stage.table, (V >> extra).astype(np.uint8), 1, stage.expand_step, stage.pair,
                  stage.phases)
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


def upscale_samples(lut: Lut, V, bits=10, stages=None):
    """Upscale one 10-bit plane (H x W, values 0..1023, any integer dtype) to
    rH x rW uint16 (docs/lut-format.md, "Inference at 10 bits"): the table on
    the top 8 bits H = V >> 2, its sum S rescaled to 10 bits,

        out = clamp(((8 (S + b) - 3 * 2^s) >> (s + 1)) + (V & 3), 0, 1023)

    with the remainder V & 3 of each LR pixel added to its r x r HR pixels;
    then the first @stages refine stages at 10 bits (refine_samples; all
    when None, 0 is the element's quality=fast), as upscale() does."""
    if bits != 10:
        raise ValueError("only 10-bit samples are defined")
    V = np.asarray(V)
    if V.ndim != 2 or V.size == 0 or not np.issubdtype(V.dtype, np.integer):
        raise ValueError("expected a non-empty 2-D integer plane")
    if V.min() < 0 or V.max() > 1023:
        raise ValueError("10-bit samples must be in 0..1023")
    V = V.astype(np.int64)
    r, s, b = lut.scale, lut.rescale_shift, lut.rescale_bias
    S = infer_sum(lut, (V >> 2).astype(np.uint8)).astype(np.int64)
    rem = np.kron(V & 3, np.ones((r, r), np.int64))
    out = ((8 * (S + b) - 3 * (1 << s)) >> (s + 1)) + rem
    out = np.clip(out, 0, 1023).astype(np.uint16)
    for stage in lut.refine[:stages]:
        out = refine_samples(stage, out, 10)
    return out


def chroma_axis(n_out, n_in, r, f, q):
    """One axis of the chroma rule (docs/lut-format.md, "Chroma"): for each
    output index, the two clamped source indices and the weight of the
    second (0..255)."""
    q = q if f == 2 else 0
    D = 2 * r * f
    P = 2 * f * np.arange(n_out, dtype=np.int64) + (1 + q) * (1 - r)
    x0 = np.floor_divide(P, D)
    w = (256 * (P - x0 * D) + D // 2) // D
    return np.clip(x0, 0, n_in - 1), np.clip(x0 + 1, 0, n_in - 1), w


def upscale_chroma(C, r, out_shape, sub=(2, 2), centred=(True, True), bits=8):
    """Upscale one chroma plane of code values (H x W, or H x W x 2 for an
    interleaved UV plane) to out_shape (rows, columns) as the element does:
    bilinear, vertical pass first, each pass rounded with
    (p0 (256 - w) + p1 w + 128) >> 8.  sub: subsampling (f_x, f_y);
    centred: the siting (q_x, q_y).  bits 8 gives uint8, 10 uint16 code
    values (the packing of P010 is the caller's)."""
    C = np.asarray(C, dtype=np.int64)
    if C.ndim not in (2, 3) or C.size == 0:
        raise ValueError("expected a non-empty H x W or H x W x 2 plane")
    if bits not in (8, 10) or C.min() < 0 or C.max() >= 1 << bits:
        raise ValueError("values outside %d bits" % bits)
    h, w = C.shape[:2]
    oh, ow = out_shape
    y0, y1, wy = chroma_axis(oh, h, r, sub[1], centred[1])
    x0, x1, wx = chroma_axis(ow, w, r, sub[0], centred[0])
    if C.ndim == 3:
        wy, wx = wy[:, None], wx[:, None]
    V = (C[y0] * (256 - wy[:, None]) + C[y1] * wy[:, None] + 128) >> 8
    O = (V[:, x0] * (256 - wx) + V[:, x1] * wx + 128) >> 8
    return O.astype(np.uint8 if bits == 8 else np.uint16)
