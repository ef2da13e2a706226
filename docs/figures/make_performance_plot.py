#!/usr/bin/python3
# eclut - learned lookup-table video upscaling for GStreamer
# Copyright (C) 2026 The eclut authors
# SPDX-License-Identifier: LGPL-2.0-or-later
"""Draws docs/figures/performance.png from the CSV that
tools/eclut-bench-pipelines writes (-c FILE): median fps per scaler and
n-threads for each case, with the min-max range over the rounds.

Usage: docs/figures/make_performance_plot.py BENCH.csv [OUT.png]
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCALERS = [("eclutscale", "eclutscale", "#c0392b"),
           ("lanczos", "videoscale lanczos", "#2e86c1"),
           ("bilinear", "videoscale bilinear", "#7f8c8d")]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        HERE, "performance.png")
    with open(sys.argv[1], newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["scaler"] != "pass"]
    cases = list(dict.fromkeys(r["case"] for r in rows))
    groups = [(c, nt) for c in cases for nt in ("1", "2")]

    fig, ax = plt.subplots(figsize=(max(8, 1.4 * len(groups)), 4.2), dpi=100)
    width = 0.26
    for k, (key, label, color) in enumerate(SCALERS):
        xs, fps, lo, hi = [], [], [], []
        for g, (case, nt) in enumerate(groups):
            for r in rows:
                if r["case"] == case and r["n_threads"] == nt and \
                        r["scaler"] == key:
                    m = float(r["median_fps"])
                    xs.append(g + (k - 1) * width)
                    fps.append(m)
                    lo.append(m - float(r["min_fps"]))
                    hi.append(float(r["max_fps"]) - m)
        ax.bar(xs, fps, width, label=label, color=color,
               yerr=[lo, hi], capsize=3, error_kw={"elinewidth": 0.8})
        for x, v in zip(xs, fps):
            ax.text(x, v / 2, f"{v:.0f}", ha="center", va="center",
                    fontsize=7, color="white", rotation=90)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([f"{c.split()[0]} {c.split()[1]}\n-> 3840x2160\n"
                        f"n-threads={nt}" for c, nt in groups], fontsize=8)
    ax.set_ylabel("frames per second (median, bars: min-max)")
    ax.set_title("I420 upscaling to 4K, filesrc ! rawvideoparse ! scaler ! "
                 "fakesink", fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out)
    print(out)


if __name__ == "__main__":
    main()
