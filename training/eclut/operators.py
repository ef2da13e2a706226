"""Linear operators of the table fit: the smoothness regularisers over the
(a, b) grid of the table, the mirror symmetry of the ensemble, and the coarse
bilinear grid of the prior.  Tables are float arrays (256, 256, E)."""
import numpy as np


def _add_diff_gram(out, X, hi, lo):
    """out += D^T D X for the first differences D X = X[hi] - X[lo]."""
    d = X[hi] - X[lo]
    out[hi] += d
    out[lo] -= d


def lap(X):
    """Graph Laplacian (L^T L) over the 256 x 256 (a, b) grid, per entry e. X: (n, n, E)."""
    out = np.zeros_like(X)
    _add_diff_gram(out, X, np.s_[1:], np.s_[:-1])
    _add_diff_gram(out, X, np.s_[:, 1:], np.s_[:, :-1])
    return out


def lap_diag(X):
    """L^T L for first differences along the diagonal (a, b) -> (a+1, b+1):
    both pixels brighter by one level.  Upscaling is nearly equivariant to a
    brightness offset, so away from the prior (whose bilinear cells carry the
    linear trend) the table should change slowly along that direction; this
    lets the fit pool the rare pairs of one contrast b - a across brightness."""
    out = np.zeros_like(X)
    _add_diff_gram(out, X, np.s_[1:, 1:], np.s_[:-1, :-1])
    return out


def make_regulariser(args):
    """The regularisation of the full table fit as an operator on X = T - T0:
    lam_r X + lam_s L^T L X (+ lam_d along the diagonal), and its diagonal
    (an upper bound off the grid's edges) for the Jacobi preconditioners.
    Every normal equation of the fit (MSE, reweighted rounds) uses this."""
    lr_, ls_, ld_ = args.lam_ridge, args.lam_smooth, args.lam_diag

    def reg(X):
        out = lr_ * X + ls_ * lap(X)
        if ld_:
            out += ld_ * lap_diag(X)
        return out
    reg.diag = lr_ + 4 * ls_ + 2 * ld_
    return reg


def mirror_permutation(r):
    """Index map e -> e' of a table mirrored left-right.

    Upscaling the mirrored image with table T equals mirroring the output of
    table T[..., perm] (expand direction dx -> -dx, sub-pixel column
    j -> r-1-j; the pair (a, b) is vertical, so it does not change).  The rotation
    ensemble already makes the model equivariant to quarter turns, so with
    this the whole dihedral group is covered."""
    e = np.arange(9 * r * r)
    c, i, j = e // (r * r), (e // r) % r, e % r
    dy, dx = c // 3 - 1, c % 3 - 1
    return ((dy + 1) * 3 + (1 - dx)) * r * r + i * r + (r - 1 - j)


def make_symmetrise(r, on):
    """Projector onto mirror-symmetric tables (identity when off).

    Fitting every training image and its mirror image is, for a symmetric
    table, the same as projecting the normal equations onto symmetric tables:
    A'^T A' = A^T A + P A^T A P and P T = T.  So the augmentation costs one
    permutation per pass instead of twice the data."""
    if not on:
        return lambda G: G
    perm = mirror_permutation(r)

    def sym(G):
        shp = G.shape
        G = G.reshape(256, 256, -1)
        return (0.5 * (G + G[:, :, perm])).reshape(shp)
    return sym


def interp_matrix(n):
    """256 x n bilinear interpolation weights from n grid nodes over 0..255."""
    W = np.zeros((256, n))
    pos = np.arange(256) * (n - 1) / 255.0
    i0 = np.minimum(np.floor(pos).astype(int), n - 2)
    f = pos - i0
    W[np.arange(256), i0] = 1 - f
    W[np.arange(256), i0 + 1] = f
    return W


def expand_grid(W, g):
    """(n, n, E) grid -> (256, 256, E) table."""
    t = np.tensordot(W, g, axes=(1, 0))              # 256, n, E
    return np.tensordot(W, t, axes=(1, 1)).transpose(1, 0, 2)  # (b, a, E) -> (a, b, E)


def restrict_grid(W, T):
    """Adjoint of expand_grid."""
    t = np.tensordot(W, T, axes=(0, 0))              # n, 256(b), E
    return np.tensordot(W, t, axes=(0, 1)).transpose(1, 0, 2)
