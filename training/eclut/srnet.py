"""The seed's SRNet in torch, its short training run and table transfer.

Network: conv 2x1 (1 -> 64) on the pixel and the one below (replicate pad at
the bottom), four 1x1 convs (64), a 1x1 conv to 9 r^2, ReLU between,
PixelShuffle(r), ExpandConv (channel c shifted by `st` HR pixels toward its
direction (dy, dx) with reflect padding, averaged over the 9 channels), output
scaled by alpha, averaged over the 4-rotation ensemble.  Exactly the structure
of docs/lut-format.md, so transfer is: run the net on all 256 x 256 pairs.

Here it serves as an initialiser/prior (--prior net in eclut.train) and as the
seed's pipeline (python3 -m eclut.srnet ... --out table.lut); the direct
least-squares fit in eclut.train is what delivers the shipped quality.
"""
import argparse
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .lutfile import Lut, save


class SRNet(nn.Module):
    def __init__(self, r, st, nf=64, alpha=1.0):
        super().__init__()
        self.r, self.st, self.alpha = r, st, alpha
        self.body = nn.Sequential(
            nn.Conv2d(1, nf, (2, 1)), nn.ReLU(),
            nn.Conv2d(nf, nf, 1), nn.ReLU(),
            nn.Conv2d(nf, nf, 1), nn.ReLU(),
            nn.Conv2d(nf, nf, 1), nn.ReLU(),
            nn.Conv2d(nf, nf, 1), nn.ReLU(),
            nn.Conv2d(nf, 9 * r * r, 1))
        self.shuffle = nn.PixelShuffle(r)

    def entries(self, x):
        """x (B, 1, h, w) in 0..1 -> per-pixel entries (B, 9r^2, h, w), already times alpha/36."""
        x = F.pad(x, (0, 0, 0, 1), mode="replicate")
        return self.body(x) * (self.alpha / 36.0)

    def one_rotation(self, x):
        r, st = self.r, self.st
        C = self.shuffle(self.entries(x))            # B, 9, rh, rw
        rh, rw = C.shape[-2:]
        P = F.pad(C, (st, st, st, st), mode="reflect")
        out = 0
        for c in range(9):
            dy, dx = c // 3 - 1, c % 3 - 1
            y0, x0 = st - dy * st, st - dx * st
            out = out + P[:, c:c + 1, y0:y0 + rh, x0:x0 + rw]
        return out

    def forward(self, x):
        out = 0
        for k in range(4):
            out = out + torch.rot90(self.one_rotation(torch.rot90(x, k, (2, 3))), -k, (2, 3))
        return out  # sum over 4 rotations of sums over 9 channels of entries*alpha/36

    def table_float(self):
        """Float table in grey levels: T[a][b][e] (256, 256, 9r^2)."""
        with torch.no_grad():
            v = torch.arange(256, dtype=torch.float32, device=next(self.parameters()).device) / 255.0
            a = v.view(256, 1).expand(256, 256).reshape(-1)
            b = v.view(1, 256).expand(256, 256).reshape(-1)
            x = torch.stack([a, b], 1).view(-1, 1, 2, 1)
            e = self.body(x) * (self.alpha / 36.0)   # no padding: the 2x1 kernel sees (a, b)
            return (e.view(256, 256, -1) * 255.0).double().cpu().numpy()


def transfer(net, shift=2):
    """Quantise the net's table to int8 with rescale shift `shift` (the seed: 2, bias 2)."""
    T = net.table_float()
    q = np.clip(np.round(T * (1 << shift)), -128, 127).astype(np.int8)
    return Lut(q, net.r, net.st, shift, (1 << shift) >> 1)


def train_net(planes, r, st, steps=300, batch=16, patch=48, lr=1e-3, seed=0, device="cpu", log=None):
    """Short Adam/MSE run on random LR/HR patches. planes: list of (lr uint8, hr uint8)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = SRNet(r, st).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    big = [(l, h) for l, h in planes if l.shape[0] >= patch and l.shape[1] >= patch]
    if not big:
        big = planes
        patch = min(min(l.shape) for l, h in planes)
    for step in range(steps):
        xs, ys = [], []
        for _ in range(batch):
            l, h = big[rng.integers(len(big))]
            y0 = rng.integers(0, l.shape[0] - patch + 1)
            x0 = rng.integers(0, l.shape[1] - patch + 1)
            xs.append(l[y0:y0 + patch, x0:x0 + patch])
            ys.append(h[y0 * r:(y0 + patch) * r, x0 * r:(x0 + patch) * r])
        x = torch.from_numpy(np.stack(xs)[:, None].astype(np.float32) / 255.0).to(device)
        y = torch.from_numpy(np.stack(ys)[:, None].astype(np.float32) / 255.0).to(device)
        loss = F.mse_loss(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if log and (step + 1) % 50 == 0:
            log("  SRNet step %d/%d: loss %.5f" % (step + 1, steps, loss.item()))
    return net


def train_and_transfer(imageset, r, st, args):
    """Prior for eclut.train: float table (grey levels) of a short SRNet run."""
    from .progress import log
    planes = list(zip(imageset.lrs, [p.astype(np.uint8) for p in imageset.planes(imageset.y)]))
    net = train_net(planes, r, st, steps=args.net_steps, seed=args.seed, device=args.device, log=log)
    return net.table_float()


def main(argv=None):
    from . import data as D
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, required=True, choices=(2, 3, 4))
    ap.add_argument("--expand-step", type=int, default=1)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--max-images", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shift", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--work", default=None)
    args = ap.parse_args(argv)
    torch.use_deterministic_algorithms(True)
    files = D.list_images(args.data)
    if args.max_images:
        files = files[: args.max_images]
    planes = D.load_pairs(files, args.scale, args.work, progress=False)
    net = train_net(planes, args.scale, args.expand_step, steps=args.steps, seed=args.seed,
                    device=args.device, log=print)
    save(transfer(net, args.shift), args.out)


if __name__ == "__main__":
    sys.exit(main())
