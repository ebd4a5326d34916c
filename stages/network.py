"""Stage `network`: y1 against x1 for the tanh, ReLU and linear networks with three random
weight sets (sheet §1, computer assignment), in one process: torch loads once."""

from __future__ import annotations

from nndl import network
from nndl.io import remove_stale, write_csv
from nndl.params import Params, run_stage
from nndl.paths import NETWORK_DIR, NETWORK_FIGURE, network_curve_path
from nndl.plotting import plt, save_png


def main(params: Params) -> None:
    p = params.network
    x = network.inputs(p.x1_range, p.points, p.fixed_inputs_seed)
    weight_sets = [network.random_weights(s, p.weight_std, p.bias) for s in p.weight_seeds]
    ys = network.responses(weight_sets, list(p.activations), x, p.output_activation)
    x1 = x[:, 0].tolist()
    curves = {key: y.tolist() for key, y in ys.items()}
    for (act, j), y1 in curves.items():
        write_csv(network_curve_path(act, p.weight_seeds[j]), ("x1", "y1"), zip(x1, y1, strict=True))
    remove_stale(NETWORK_DIR, [network_curve_path(act, p.weight_seeds[j]) for act, j in curves])

    rows, cols = len(p.activations), len(p.weight_seeds)
    fig, axs = plt.subplots(nrows=rows, ncols=cols, figsize=(15, 10), squeeze=False)
    for i, act in enumerate(p.activations):
        for j, seed in enumerate(p.weight_seeds):
            axs[i, j].plot(x1, curves[act, j])
            axs[i, j].set_title(f"{act}, weight set {j + 1} (seed {seed})")
            axs[i, j].set_xlabel("x1")
            axs[i, j].set_ylabel("y1")
    plt.tight_layout()
    save_png(fig, NETWORK_FIGURE, params.network_figures.dpi)


if __name__ == "__main__":
    run_stage(main)
