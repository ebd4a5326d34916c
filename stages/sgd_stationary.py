"""Stage `sgd_stationary`: where SGD with a fixed step settles. Long chains started at the MLE
give the stationary distribution of the error; the linearised SGD predicts its spread around
the MLE through a discrete Lyapunov equation (nndl.numerics.sweep), and says how much of the
stationary variance the burn-in leaves missing. Its metrics are written by
`sgd_stationary_summary`."""

from __future__ import annotations

import math

import numpy as np

from nndl.numerics import precision, sweep
from nndl.pipeline.io import Outputs, read_points
from nndl.pipeline.params import Params
from nndl.pipeline.paths import SAMPLES, SGD_STATIONARY
from nndl.pipeline.startup import run_stage


def describe(values: np.ndarray) -> dict[str, float]:
    q10, q50, q90 = np.quantile(values, (0.1, 0.5, 0.9))
    return {
        "mean": float(values.mean()),
        "std": float(values.std()),
        "q10": float(q10),
        "median": float(q50),
        "q90": float(q90),
    }


def main(params: Params, out: Outputs) -> None:
    g, sgd, c = params.gaussian, params.sgd, params.sgd_stationary
    points = np.asarray(read_points(SAMPLES)) - np.asarray(g.mean)
    n = len(points)
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), n)
    truth = precision.inverse(g.cov)
    scale = float(n) if sgd.gradient == "sum" else 1.0

    rng = np.random.default_rng(c.seed)
    start = tuple(np.full(c.replicas, v) for v in mle)
    chains = sweep.run(
        start,
        np.array([c.step_size]),
        points,
        rng,
        c.burn_in + c.iterations,
        scale,
        record_every=c.record_every,
        record_from=c.burn_in + c.record_every,
    )
    kept = chains.diverged_at[0] == 0
    log_radius = sweep.log_contraction(mle, c.step_size, scale)
    covariance = sweep.stationary_covariance(mle, points, c.step_size, scale)
    result: dict = {
        "step_size": c.step_size,
        "chains": int(kept.sum()),
        "diverged_chains": int((~kept).sum()),
        "mle_error": precision.squared_error(truth, mle),
        # the linearised SGD's contraction per step, and the share of the stationary variance
        # still missing after the burn-in for chains started at the MLE: 1 − ρ^(2·burn_in) is reached
        "spectral_radius": math.exp(log_radius),
        "contraction": -math.expm1(log_radius),  # 1 − ρ, with its digits where ρ rounds to 1
        "burn_in_deficit": math.exp(2 * c.burn_in * log_radius) if log_radius < 0.0 else 1.0,
        "spread_predicted": None if covariance is None else sweep.predicted_spread(covariance),
    }
    if kept.sum() >= 2:  # the stationary distribution needs chains that stayed positive definite
        recorded = chains.recorded[:, :, 0, kept]  # (records, 3, chains that stayed PD)
        p = (recorded[:, 0], recorded[:, 1], recorded[:, 2])
        spread = sweep.squared_errors(mle, p)
        per_chain = spread.mean(axis=0)
        result |= {
            "samples": int(spread.size),
            "error": describe(sweep.squared_errors(truth, p)),
            "spread_measured": float(spread.mean()),
            "spread_standard_error": float(per_chain.std(ddof=1) / np.sqrt(len(per_chain))),
        }
    out.json(SGD_STATIONARY, result, indent=1)


if __name__ == "__main__":
    run_stage(main)
