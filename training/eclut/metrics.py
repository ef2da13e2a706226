"""Evaluation protocol: MATLAB rgb2ycbcr Y, PSNR and SSIM with `shave` pixels removed."""
import numpy as np


def rgb2y(img):
    """uint8 RGB (H, W, 3) -> uint8 Y (MATLAB rgb2ycbcr); greyscale passes through."""
    img = np.asarray(img)
    if img.ndim == 2:
        return img.astype(np.uint8)
    x = img[..., :3].astype(np.float64)
    y = 16.0 + (65.481 * x[..., 0] + 128.553 * x[..., 1] + 24.966 * x[..., 2]) / 255.0
    return np.clip(np.round(y), 0, 255).astype(np.uint8)


def _shave(a, s):
    a = np.asarray(a, dtype=np.float64)
    return a[s:a.shape[0] - s, s:a.shape[1] - s] if s > 0 else a


def psnr(a, b, shave=0):
    a, b = _shave(a, shave), _shave(b, shave)
    mse = np.mean((a - b) ** 2)
    if mse == 0:
        return float("inf")
    return float(10 * np.log10(255.0 ** 2 / mse))


def _gauss(size=11, sigma=1.5):
    x = np.arange(size) - (size - 1) / 2
    g = np.exp(-(x ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def _filt_valid(a, g):
    n = len(g)
    h, w = a.shape
    t = sum(g[i] * a[i:h - n + 1 + i, :] for i in range(n))
    return sum(g[j] * t[:, j:w - n + 1 + j] for j in range(n))


def ssim(a, b, shave=0):
    """SSIM (Wang et al. 2004): 11x11 Gaussian sigma 1.5, 'valid', K1=.01, K2=.03, L=255."""
    a, b = _shave(a, shave), _shave(b, shave)
    g = _gauss()
    C1 = (0.01 * 255) ** 2
    C2 = (0.03 * 255) ** 2
    mu1, mu2 = _filt_valid(a, g), _filt_valid(b, g)
    s11 = _filt_valid(a * a, g) - mu1 ** 2
    s22 = _filt_valid(b * b, g) - mu2 ** 2
    s12 = _filt_valid(a * b, g) - mu1 * mu2
    m = ((2 * mu1 * mu2 + C1) * (2 * s12 + C2)) / ((mu1 ** 2 + mu2 ** 2 + C1) * (s11 + s22 + C2))
    return float(m.mean())
