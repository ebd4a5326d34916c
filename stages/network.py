"""Stage `network`: y1 against x1 for the tanh, ReLU and linear networks with three random
weight sets (sheet §1, computer assignment), in one process: torch loads once. The figure is
drawn by `network_figures`, so a figure-only change does not load torch."""

from __future__ import annotations

from nndl.numerics import network
from nndl.pipeline.io import Outputs
from nndl.pipeline.params import Params
from nndl.pipeline.paths import NETWORK_DIR, NETWORK_TANH_BOUNDS, network_curve_path
from nndl.pipeline.startup import run_stage


def main(params: Params, out: Outputs) -> None:
    p = params.network
    x = network.inputs(p.x1_range, p.points, p.fixed_inputs_seed)
    weight_sets = [network.random_weights(s, p.weight_std, p.bias) for s in p.weight_seeds]
    ys = network.responses(weight_sets, list(p.activations), x, p.output_activation)
    x1 = x[:, 0].tolist()
    out.folder(NETWORK_DIR)
    for (act, j), y in ys.items():
        out.csv(network_curve_path(act, p.weight_seeds[j]), ("x1", "y1"), zip(x1, y.tolist(), strict=True))
    bounds = {
        str(s): network.tanh_bound(w, p.output_activation)
        for s, w in zip(p.weight_seeds, weight_sets, strict=True)
    }
    out.json(NETWORK_TANH_BOUNDS, bounds, indent=1)


if __name__ == "__main__":
    run_stage(main)
