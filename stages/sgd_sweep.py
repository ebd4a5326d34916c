"""Stage `sgd_sweep`: the estimation error after sgd_sweep.iterations steps over a log-spaced grid
of step sizes, R replicas each, on the pipeline's sample (issue: theory beside every
experiment). The figure is drawn by `sgd_sweep_figures`."""

from __future__ import annotations

import math

import numpy as np

from nndl import precision, sweep
from nndl.cli import run_stage
from nndl.io import read_points, write_json
from nndl.params import Params
from nndl.paths import SAMPLES, SGD_SWEEP, SGD_SWEEP_METRICS

QUANTILES = (0.1, 0.5, 0.9)


def summarise(steps: np.ndarray, errors: np.ndarray, diverged: np.ndarray) -> list[dict]:
    """Per step: the median and the 10 % and 90 % quantiles of the error over the replicas (a
    diverged replica counts as an infinite error, so a quantile past the diverged share is
    None), and the fraction diverged."""
    rows = []
    for step, row, div in zip(steps, errors, diverged, strict=True):
        q10, q50, q90 = np.quantile(np.where(div, np.inf, row), QUANTILES, method="lower")
        rows.append(
            {
                "step_size": float(step),
                "median": float(q50) if math.isfinite(q50) else None,
                "q10": float(q10) if math.isfinite(q10) else None,
                "q90": float(q90) if math.isfinite(q90) else None,
                "fraction_diverged": float(div.mean()),
            }
        )
    return rows


def eigenvalues(p: tuple) -> tuple:
    """The eigenvalues (low, high) of [[a, b], [b, c]], elementwise for arrays."""
    a, b, c = p
    mid, radius = 0.5 * (a + c), np.hypot(0.5 * (a - c), b)
    return mid - radius, mid + radius


def main(params: Params) -> None:
    g, sgd, w = params.gaussian, params.sgd, params.sgd_sweep
    points = np.asarray(read_points(SAMPLES)) - np.asarray(g.mean)
    s = precision.scatter(points.tolist(), (0.0, 0.0))
    n = len(points)
    mle, truth = precision.mle(s, n), precision.inverse(g.cov)
    mle_error = precision.squared_error(truth, mle)
    scale = float(n) if sgd.gradient == "sum" else 1.0

    steps = sweep.log_grid(*w.step_range, w.steps_per_decade)
    rng = np.random.default_rng(w.seed)
    p0 = sweep.random_spd(rng, w.replicas, sgd.init_eigenvalues)
    runs = sweep.run(p0, steps, points, rng, w.iterations, scale)
    errors = sweep.squared_errors(truth, runs.p)
    diverged = runs.diverged_at > 0
    rows = summarise(steps, errors, diverged)

    # Why runs end where they do: the slowest direction of SGD near the MLE, and per step the
    # share of replicas nearer the truth than the MLE and where their eigenvalues ended.
    rate = -max(np.linalg.eigvals(sweep.mean_gradient_jacobian(mle)).real)
    for i, row in enumerate(rows):
        ok = ~diverged[i]
        low, high = eigenvalues(tuple(v[i][ok] for v in runs.p))
        row |= {
            "fraction_below_mle": float(np.mean(errors[i][ok] < mle_error)) if ok.any() else None,
            "mean_eigenvalues": [float(low.mean()), float(high.mean())] if ok.any() else None,
            "slow_remaining": math.exp(-float(steps[i]) * scale * rate * w.iterations),
        }
    finite = [r for r in rows if r["median"] is not None]
    p0_low, p0_high = eigenvalues(p0)
    write_json(
        SGD_SWEEP,
        {
            "rows": rows,
            "mle_error": mle_error,
            "mle_eigenvalues": list(eigenvalues(mle)),
            "truth_eigenvalues": list(eigenvalues(truth)),
            "p0_eigenvalue_range": [float(min(p0_low)), float(max(p0_high))],
            "slowest_rate": float(rate),
        },
        indent=1,
    )
    metrics = {}
    if finite:
        best = min(finite, key=lambda r: r["median"])
        metrics |= {"best_step": best["step_size"], "best_median_error": best["median"]}
    some = [r["step_size"] for r in rows if r["fraction_diverged"] > 0]
    if some:
        metrics["smallest_diverging_step"] = min(some)
    write_json(SGD_SWEEP_METRICS, metrics, indent=2)


if __name__ == "__main__":
    run_stage(main)
