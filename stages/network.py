"""Stage `network`: y1 against x1 for the tanh, ReLU and linear networks with three random
weight sets (sheet §1, computer assignment), in one process: torch loads once. The figure
is drawn by `network_figures`, so a figure-only change does not load torch."""

from __future__ import annotations

from nndl import network
from nndl.cli import run_stage
from nndl.io import remove_stale, write_csv
from nndl.params import Params
from nndl.paths import NETWORK_DIR, network_curve_path


def main(params: Params) -> None:
    p = params.network
    x = network.inputs(p.x1_range, p.points, p.fixed_inputs_seed)
    weight_sets = [network.random_weights(s, p.weight_std, p.bias) for s in p.weight_seeds]
    ys = network.responses(weight_sets, list(p.activations), x, p.output_activation)
    x1 = x[:, 0].tolist()
    for (act, j), y in ys.items():
        write_csv(network_curve_path(act, p.weight_seeds[j]), ("x1", "y1"), zip(x1, y.tolist(), strict=True))
    remove_stale(NETWORK_DIR, [network_curve_path(act, p.weight_seeds[j]) for act, j in ys])


if __name__ == "__main__":
    run_stage(main)
