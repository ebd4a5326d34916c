"""Stage `network_figures`: the nine network responses in one 3x3 figure, with the sheet's
plotting code (sheet §1, computer assignment), from the curves the `network` stage wrote."""

from __future__ import annotations

import matplotlib.pyplot as plt  # the sheet's own plotting code

from nndl.cli import run_stage
from nndl.io import read_curve
from nndl.params import Params
from nndl.paths import NETWORK_FIGURE, network_curve_path
from nndl.plotting import save_png  # also fixes the backend and fonts, before any figure


def main(params: Params) -> None:
    p = params.network
    rows, cols = len(p.activations), len(p.weight_seeds)
    fig, axs = plt.subplots(nrows=rows, ncols=cols, figsize=(15, 10), squeeze=False)
    for i, act in enumerate(p.activations):
        for j, seed in enumerate(p.weight_seeds):
            x1, y1 = zip(*read_curve(network_curve_path(act, seed)), strict=True)
            axs[i, j].plot(x1, y1)
            axs[i, j].set_title(f"{act}, weight set {j + 1} (seed {seed})")
            axs[i, j].set_xlabel("x1")
            axs[i, j].set_ylabel("y1")
    plt.tight_layout()
    save_png(fig, NETWORK_FIGURE, params.network_figures.dpi)


if __name__ == "__main__":
    run_stage(main)
