#!/usr/bin/python3
# eclut - learned lookup-table video upscaling for GStreamer
# Copyright (C) 2026 The eclut authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2 of the License, or (at your option) any later version.
#
# This library is distributed in the hope that it will be useful,
# but WITHOUT ANY WARRANTY; without even the implied warranty of
# MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
# Library General Public License for more details.
#
# You should have received a copy of the GNU Library General Public
# License along with this library; if not, write to the
# Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
# Boston, MA 02110-1301, USA.
"""Draws docs/figures/algorithm.png, the ECLUT luma path of docs/algorithm.md.

    /usr/bin/python3 docs/figures/make_algorithm_diagram.py [OUTPUT.png]

Needs only matplotlib (Debian: python3-matplotlib).  The picture follows
docs/lut-format.md: pairs in four rotations, the table and pixel shuffle,
the expand stage (drawn for r = 2 and expand_step 1, the shipped tables),
rotating back, the sum and the rescale.
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402

R = 2  # the scale drawn
LR_A = "#f4a261"  # the LR pixel a
LR_B = "#90caf9"  # its pair b
GRID = "#555555"
# one colour per expand direction (dy, dx), c = (dy + 1) * 3 + (dx + 1)
CHANNEL_COLOURS = ["#e76f51", "#f4a261", "#e9c46a",
                   "#8ab17d", "#9e9e9e", "#2a9d8f",
                   "#6d597a", "#457b9d", "#b56576"]


def cell(ax, x, y, size, face, text=None, fontsize=11, lw=1.0, edge=GRID,
         alpha=1.0, weight="normal"):
    ax.add_patch(Rectangle((x, y), size, size, facecolor=face,
                           edgecolor=edge, lw=lw, alpha=alpha))
    if text is not None:
        ax.text(x + size / 2, y + size / 2, text, ha="center", va="center",
                fontsize=fontsize, weight=weight)


def arrow(ax, p, q, colour="black", lw=1.5, style="-|>", ms=12):
    ax.add_patch(FancyArrowPatch(p, q, arrowstyle=style, mutation_scale=ms,
                                 color=colour, lw=lw, shrinkA=0, shrinkB=0))


def panel_title(ax, x, y, text):
    ax.text(x, y, text, ha="left", va="bottom", fontsize=13, weight="bold")


def draw_pairs(ax, x0, y0):
    """1: the LR pixel a and its four pair partners b_k."""
    panel_title(ax, x0, y0 + 3.55, "1  Pairs, four rotations")
    s = 1.0
    names = {(0, -1): "b\u2080\nbelow", (-1, 0): "b\u2081\nleft",
             (0, 1): "b\u2082\nabove", (1, 0): "b\u2083\nright"}
    for gy in range(3):
        for gx in range(3):
            d = (gx - 1, gy - 1)
            if d == (0, 0):
                cell(ax, x0 + gx * s, y0 + gy * s, s, LR_A, "a", 14,
                     weight="bold")
            elif d in names:
                cell(ax, x0 + gx * s, y0 + gy * s, s, LR_B, names[d], 9)
            else:
                cell(ax, x0 + gx * s, y0 + gy * s, s, "white")
    ax.text(x0 + 1.5, y0 - 0.25,
            "LR luma: each pixel a is paired\n"
            "with one neighbour per rotation k\n"
            "(k = 0: the pixel below; k = 1..3:\n"
            "the same after rot90(I, k))\n"
            "border: the edge pixel repeats",
            ha="center", va="top", fontsize=9.5)


def draw_table(ax, x0, y0):
    """2: T[a][b] gives 9 channels of r x r int8 values."""
    panel_title(ax, x0, y0 + 3.55, "2  Table lookup")
    ax.add_patch(FancyBboxPatch((x0, y0 + 2.35), 3.1, 0.8,
                                boxstyle="round,pad=0.05", fc="#fff3e0",
                                ec="black"))
    ax.text(x0 + 1.55, y0 + 2.75, "T[a][b]   (256 \u00d7 256 entries)",
            ha="center", va="center", fontsize=10.5)
    arrow(ax, (x0 + 1.55, y0 + 2.3), (x0 + 1.55, y0 + 2.0))
    # 9 channels, each an r x r block, laid out by direction
    s = 0.28
    gap = 0.14
    block = R * s
    for c in range(9):
        dy, dx = c // 3 - 1, c % 3 - 1
        bx = x0 + 0.55 + (dx + 1) * (block + gap)
        by = y0 + 1.85 - (dy + 2) * (block + gap) + gap
        for i in range(R):
            for j in range(R):
                cell(ax, bx + j * s, by + (R - 1 - i) * s, s,
                     CHANNEL_COLOURS[c], lw=0.6)
        ax.text(bx + block / 2, by + block / 2, str(c), ha="center",
                va="center", fontsize=9, weight="bold",
                bbox=dict(boxstyle="circle,pad=0.12", fc="white", ec="none"))
    ax.text(x0 + 2.75, y0 + 1.0,
            "9 channels c\n\u00d7 r\u00b2 sub-pixels\n= 9r\u00b2 int8",
            ha="left", va="center", fontsize=9.5)
    ax.text(x0 + 1.55, y0 - 0.25,
            "entry e = c\u00b7r\u00b2 + i\u00b7r + j  (pixel shuffle)\n"
            "c = (dy+1)\u00b73 + (dx+1): channel c\n"
            "belongs to direction (dy, dx);\n"
            "c = 4 is the centre",
            ha="center", va="top", fontsize=9.5)


def draw_expand(ax, x0, y0):
    """3: each channel's r x r block moves st HR pixels toward (dy, dx)."""
    panel_title(ax, x0, y0 + 3.55, "3  Expand (r = 2, step 1)")
    s = 0.62
    n = R + 2  # footprint of one LR pixel with expand_step 1
    cover = [[0] * n for _ in range(n)]
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            for i in range(R):
                for j in range(R):
                    cover[i + dy + 1][j + dx + 1] += 1
    top = y0 + 0.55 + n * s
    for row in range(n):
        for col in range(n):
            v = cover[row][col]
            shade = 1.0 - 0.08 * v
            cell(ax, x0 + 0.2 + col * s, top - (row + 1) * s, s,
                 (shade, shade, 1.0), str(v), 10)
    # the LR pixel's own r x r block
    ax.add_patch(Rectangle((x0 + 0.2 + s, top - (R + 1) * s), R * s, R * s,
                           fill=False, ec=LR_A, lw=3))
    # one channel moved: c = 2, direction (dy, dx) = (-1, +1)
    ax.add_patch(Rectangle((x0 + 0.2 + 2 * s, top - R * s), R * s, R * s,
                           fill=False, ec=CHANNEL_COLOURS[2], lw=2.2,
                           ls="--"))
    arrow(ax, (x0 + 0.2 + 2 * s, top - 2 * s),
          (x0 + 0.2 + 2.9 * s, top - 1.1 * s), CHANNEL_COLOURS[2], 2)
    ax.text(x0 + 0.2 + n * s + 0.15, top - 0.5 * s, "c = 2\n(dy, dx)\n= (\u22121, +1)",
            ha="left", va="top", fontsize=9, color="#8a6d00")
    ax.text(x0 + 1.45, y0 - 0.25,
            "channel c moves st HR pixels\n"
            "toward (dy, dx); numbers: how many\n"
            "of the 9 channels of one LR pixel\n"
            "land on each HR pixel (orange: its\n"
            "own r\u00d7r block); reflect padding",
            ha="center", va="top", fontsize=9.5)


def draw_sum(ax, x0, y0):
    """4: rotate back, sum the four rotations, rescale and clamp."""
    panel_title(ax, x0, y0 + 3.55, "4  Rotate back, sum, rescale")
    lines = [
        ("R\u2096 = rot90(O\u2096, \u2212k)", 11),
        ("S = R\u2080 + R\u2081 + R\u2082 + R\u2083", 11),
        ("36 int8 terms per HR pixel\n(4 rotations \u00d7 9 channels)", 9.5),
        ("out = clamp((S + b) >> s, 0, 255)", 11),
        ("shipped tables: b = 2, s = 2", 9.5),
    ]
    y = y0 + 3.0
    for text, size in lines:
        ax.text(x0 + 0.1, y, text, ha="left", va="top", fontsize=size,
                family="DejaVu Sans Mono" if size == 11 else None)
        y -= 0.62 if "\n" not in text else 0.85
    ax.text(x0 + 1.75, y0 - 0.25,
            "all integer: any order and any\n"
            "number of threads give the\n"
            "same bytes; chroma is bilinear,\n"
            "not in the table",
            ha="center", va="top", fontsize=9.5)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[1] if len(argv) > 1 else os.path.join(here, "algorithm.png")

    fig = plt.figure(figsize=(15, 5.4), dpi=110)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 17.2)
    ax.set_ylim(-1.75, 4.45)
    ax.set_aspect("equal")
    ax.axis("off")

    draw_pairs(ax, 0.5, 0.0)
    draw_table(ax, 4.4, 0.0)
    draw_expand(ax, 8.6, 0.0)
    draw_sum(ax, 13.0, 0.0)
    for xa, xb in ((3.75, 4.3), (8.05, 8.55), (12.4, 12.95)):
        arrow(ax, (xa, 1.5), (xb, 1.5), lw=2.5, ms=18)
    ax.text(8.6, 4.25, "ECLUT luma path (docs/lut-format.md is the exact "
            "specification)", ha="center", va="center", fontsize=14)

    fig.savefig(out, facecolor="white")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
