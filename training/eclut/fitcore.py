"""ctypes wrapper of fitcore.c (compiled on first use into training/work/)."""
import ctypes
import hashlib
import os
import subprocess

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
_lib = None


def lib():
    global _lib
    if _lib is None:
        src = os.path.join(HERE, "fitcore.c")
        with open(src, "rb") as f:
            code = f.read()
        tag = hashlib.sha1(code).hexdigest()[:12]
        wd = os.environ.get("ECLUT_WORK") or os.path.join(os.path.dirname(HERE), "work")
        os.makedirs(wd, exist_ok=True)
        so = os.path.join(wd, "fitcore-%s.so" % tag)
        if not os.path.exists(so):
            tmp = so + ".%d.tmp" % os.getpid()
            subprocess.check_call(["gcc", "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC",
                                   "-o", tmp, src, "-lm"])
            os.replace(tmp, so)
        L = ctypes.CDLL(so)
        P = ctypes.c_void_p
        L.fwd.argtypes = [ctypes.c_int, P, P, P, P, P, P] + [ctypes.c_int] * 5
        L.bwd.argtypes = [ctypes.c_int, P, P, P, P, P, P] + [ctypes.c_int] * 5
        _lib = L
    return _lib


class ImageSet:
    """LR uint8 planes and their HR targets, packed for the C passes."""

    def __init__(self, lrs, hrs, r):
        self.r = r
        self.lrs = [np.ascontiguousarray(a, dtype=np.uint8) for a in lrs]
        self.n = len(self.lrs)
        self.H = np.array([a.shape[0] for a in self.lrs], dtype=np.int64)
        self.W = np.array([a.shape[1] for a in self.lrs], dtype=np.int64)
        sizes = self.H * self.W * r * r
        self.hoffs = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.npix = int(sizes.sum())
        self.ptrs = (ctypes.c_void_p * self.n)(*[a.ctypes.data for a in self.lrs])
        self.y = None
        # A refine stage's set (cascade.py): its planes are the previous
        # stage's 8-bit output, base the same pixels flat (float32), y the
        # correction HR - base that a residual stage fits; score_shave the
        # border its scores leave out (the upscaling scale, not its own r = 1).
        self.base = None
        self.score_shave = None
        # the pixel each pixel is paired with (lutfile.PAIR_*; refine sets
        # may pair with the pixel below and to the right)
        self.pair = 0
        self.phases = 1
        if hrs is not None:
            self.y = np.concatenate([np.ascontiguousarray(h, dtype=np.float32).ravel() for h in hrs])
            assert self.y.size == self.npix

    def images(self, start, stop):
        """The set of images @start..@stop-1, sharing this set's arrays (no copy)."""
        S = ImageSet(self.lrs[start:stop], None, self.r)
        if self.y is not None:
            o = int(self.hoffs[start]) if start < self.n else self.npix
            S.y = self.y[o:o + S.npix]
        return S

    def _args(self):
        return (self.n, ctypes.cast(self.ptrs, ctypes.c_void_p), self.H.ctypes.data,
                self.W.ctypes.data, self.hoffs.ctypes.data)

    def fwd(self, T, st, threads=2, out=None):
        T = np.ascontiguousarray(T, dtype=np.float32)
        if out is None:
            out = np.empty(self.npix, dtype=np.float32)
        lib().fwd(*self._args(), out.ctypes.data, T.ctypes.data, self.r, st, self.pair, self.phases, threads)
        return out

    def bwd(self, R, st, threads=2, G=None):
        R = np.ascontiguousarray(R, dtype=np.float32)
        if G is None:
            G = np.empty(65536 * 9 * self.r * self.r * self.phases ** 2, dtype=np.float64)
        lib().bwd(*self._args(), R.ctypes.data, G.ctypes.data, self.r, st, self.pair, self.phases, threads)
        return G

    def planes(self, flat):
        r = self.r
        return [flat[o:o + h * w * r * r].reshape(h * r, w * r)
                for o, h, w in zip(self.hoffs, self.H, self.W)]
