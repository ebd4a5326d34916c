"""Stage `sgd_sweep`: the estimation error after sgd_sweep.iterations steps over a log-spaced grid
of step sizes, for many replicas each, on the pipeline's sample (beyond the sheet's §2, 2).
Its figure, plot data and metrics are drawn by `sgd_sweep_figures`."""

from __future__ import annotations

import numpy as np

from nndl.numerics import precision, sweep
from nndl.pipeline.io import Outputs, read_points
from nndl.pipeline.params import Params
from nndl.pipeline.paths import SAMPLES, SGD_SWEEP
from nndl.pipeline.startup import run_stage


def main(params: Params, out: Outputs) -> None:
    g, sgd, w = params.gaussian, params.sgd, params.sgd_sweep
    points = np.asarray(read_points(SAMPLES)) - np.asarray(g.mean)
    scale = float(len(points)) if sgd.gradient == "sum" else 1.0
    steps = sweep.log_grid(*w.step_range, w.steps_per_decade)
    rng = np.random.default_rng(w.seed)
    p0 = sweep.random_spd(rng, w.replicas, sgd.init_eigenvalues)
    study = sweep.study(points, precision.inverse(g.cov), steps, p0, rng, w.iterations, scale)
    out.json(SGD_SWEEP, study, indent=1)


if __name__ == "__main__":
    run_stage(main)
