"""Stage `sgd_sweep_figures`: the step-size sweep as a log-log figure and as DVC plot data:
the median error with the band of the 10 % and 90 % quantiles, the MLE's error, and the
sheet's step sizes marked."""

from __future__ import annotations

from nndl.cli import run_stage
from nndl.io import read_json, write_csv
from nndl.params import Params
from nndl.paths import SGD_SWEEP, SGD_SWEEP_FIGURE, SGD_SWEEP_PLOT, label
from nndl.plotting import save_png, subplots

SERIES = (("q10", "10 % quantile"), ("median", "median"), ("q90", "90 % quantile"))


def main(params: Params) -> None:
    data = read_json(SGD_SWEEP)
    rows, mle = data["rows"], data["mle_error"]
    steps = [r["step_size"] for r in rows]
    plotted = []
    for key, name in SERIES:
        plotted += [(r["step_size"], r[key], name) for r in rows if r[key] is not None]
    plotted += [(steps[0], mle, "MLE"), (steps[-1], mle, "MLE")]
    low, high = min(e for _, e, _ in plotted), max(e for _, e, _ in plotted)
    for step in params.sgd_sweep.sheet_steps:
        plotted += [
            (step, low, f"the sheet's step {label(step)}"),
            (step, high, f"the sheet's step {label(step)}"),
        ]
    write_csv(SGD_SWEEP_PLOT, ("step_size", "error", "run"), plotted)

    fig, ax = subplots(figsize=(8, 5))
    shown = [r for r in rows if r["median"] is not None]
    band = [r for r in shown if r["q10"] is not None and r["q90"] is not None]
    ax.fill_between(
        [r["step_size"] for r in band],
        [r["q10"] for r in band],
        [r["q90"] for r in band],
        alpha=0.3,
        label="10 % to 90 % of the replicas",
    )
    ax.plot([r["step_size"] for r in shown], [r["median"] for r in shown], "o-", label="median error")
    ax.axhline(mle, color="black", linestyle="--", linewidth=0.8, label="closed-form MLE")
    for i, step in enumerate(params.sgd_sweep.sheet_steps):
        ax.axvline(
            step,
            color="crimson",
            linestyle=":",
            linewidth=1.0,
            label="the sheet's step sizes" if i == 0 else None,
        )
    diverged = [r["step_size"] for r in rows if r["fraction_diverged"] == 1.0]
    if diverged:
        ax.axvspan(min(diverged), steps[-1], color="grey", alpha=0.15, label="every replica diverged")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(steps[0], steps[-1])
    ax.set_title(
        f"Error after {params.sgd_sweep.iterations} SGD iterations, {params.sgd_sweep.replicas} replicas per step size"
    )
    ax.set_xlabel("Step size")
    ax.set_ylabel("Estimation error ‖Σ⁻¹ − P‖²")
    ax.legend(loc="upper center", fontsize=8)
    fig.tight_layout()
    save_png(fig, SGD_SWEEP_FIGURE, params.sgd_sweep_figures.dpi)


if __name__ == "__main__":
    run_stage(main)
