"""Per-pixel weights of the fit (flat float32 arrays over an ImageSet's HR
pixels): the border mask, a weight per image, and the reweighting of the
mean-PSNR loss."""
import numpy as np


def border_mask(S, shave):
    """1 inside, 0 on the outer @shave HR pixels of every image (None if
    shave is 0).  The benchmarks and the validation score shave the border,
    and there the output depends on the reflect and replicate padding, not on
    the content: fitting those pixels would bend the table towards them."""
    if shave <= 0:
        return None
    m = np.zeros(S.npix, np.float32)
    for pl in S.planes(m):
        pl[shave:pl.shape[0] - shave, shave:pl.shape[1] - shave] = 1.0
    return m


def per_image(S, value):
    """A per-pixel float32 array holding value(offset, pixels) of each
    pixel's image (offset and pixel count of its HR plane in S)."""
    w = np.empty(S.npix, np.float32)
    r2 = S.r * S.r
    for o, h, wd in zip(S.hoffs, S.H, S.W):
        n = int(h * wd * r2)
        w[o:o + n] = value(o, n)
    return w


def pixel_weights(S, shave, power):
    """The per-pixel weights of the fit: the border mask (--shave) times a
    weight per image, (pixels of the image)^-power, normalised to mean 1 so
    that lam_r and lam_s keep their weight per pixel (None if all are 1).

    power 0 pools all pixels, so a 1600-pixel-wide photo weighs about 11
    times a BSDS500 one; power 1 gives every image (and every shrunk copy) the same
    weight, as trainers that draw an image and then a patch of it do."""
    m = border_mask(S, shave)
    if power == 0:
        return m
    w = per_image(S, lambda o, n: float(n) ** -power)
    if m is not None:
        w *= m
    return (w / np.float32(w.mean())).astype(np.float32)


def image_weights(S, res):
    """Per-pixel weights 1 / SSE_i of each pixel's image i: the weighted
    normal equations are then stationary where sum_i log MSE_i is, i.e. they
    maximise the MEAN PSNR over images (the validation and benchmark metric)
    rather than the PSNR of the pooled pixels, where the large and the hard
    images dominate."""
    def inv_sse(o, n):
        d = res[o:o + n].astype(np.float64)
        return 1.0 / max(float(np.dot(d, d)), 1e-6 * n)
    return per_image(S, inv_sse)
