"""Every figure of the pipeline, drawn from the compute stages' data: matplotlib only, no file
I/O (the stages save them with `plotting.png`). Only the figure stages import this module."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from nndl.numerics import ascent, precision
from nndl.pipeline.paths import fit_series, start_name
from nndl.presentation.plotting import colors, subplots

# --- SGD fits (sheet §2, 2b) --------------------------------------------------------------


def plot_run(ax: Any, run: dict, name: str, color: str) -> tuple[int, float]:
    """One run's objective against the iteration, in the axes; its last point. A long run's
    envelope (per bucket its least and greatest value) fills what its every value would draw
    at the figure's resolution."""
    if "objective" in run:
        objective = run["objective"]
        ax.plot(range(len(objective)), objective, linewidth=1.0, label=name, color=color)
        return len(objective) - 1, objective[-1]
    env = run["objective_envelope"]
    starts = precision.Envelope.bucket_starts(env)
    ax.fill_between(starts, env["low"], env["high"], step="post", color=color, linewidth=1.0, label=name)
    return env["count"] - 1, env["last"][-1]


def sgd_step(step_label: str, runs: list[dict], mle_loglik: float, iterations: int) -> Figure:
    """One step size's figure: the objective of each run against the iteration."""
    fig, ax = subplots(figsize=(8, 5))
    palette = colors()
    for k, run in enumerate(runs):
        color = palette[k % len(palette)]
        name = f"{fit_series(run['init_seed'])}: error {run['error']:.4g}"
        if run["diverged_at"] is not None:
            name += f", diverged at iteration {run['diverged_at']}"
        end = plot_run(ax, run, name, color)
        if run["diverged_at"] is not None:
            ax.plot([end[0]], [end[1]], "x", color=color, markersize=10)
    ax.axhline(mle_loglik, color="black", linestyle="--", linewidth=0.8, label="closed-form MLE")
    ax.set_xlim(0, iterations)  # a run that diverged visibly stops short
    ax.set_title(f"SGD on the precision matrix, step size {step_label}")
    ax.set_xlabel("Iteration")
    ax.set_ylabel("Log-likelihood of the whole data set")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


# --- gradient ascent (sheet §2, 1a, 1d, 1e) -------------------------------------------------


def contour_grid(region: ascent.Box, grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sheet's isocontour data: W1, W2 and f on a grid×grid mesh of the region."""
    w = np.linspace(region[0], region[1], grid)
    w1, w2 = np.meshgrid(w, w)
    return w1, w2, ascent.f(np.stack((w1, w2), axis=2))


def arrows(ax: Any, path: list[list[float]], width: float, head_width: float, head_length: float) -> None:
    """plt.arrow from each w_i to w_(i+1); heads no longer than the step, so short steps read."""
    for (x, y), (x2, y2) in itertools.pairwise(path):
        dx, dy = x2 - x, y2 - y
        length = math.hypot(dx, dy)
        if length == 0.0:
            continue
        ax.arrow(
            x,
            y,
            dx,
            dy,
            length_includes_head=True,
            width=min(width, length / 3),
            head_width=min(head_width, length),
            head_length=min(head_length, 0.8 * length),
            color="crimson",
        )


def trajectory(index: int, run: dict, mesh: tuple, levels: int, arrow: tuple[float, float, float]) -> Figure:
    """One start's trajectory over the contour plot of f."""
    fig, ax = subplots(figsize=(6, 6))
    ax.contour(*mesh, levels=levels)
    ax.set_xlabel("w1")
    ax.set_ylabel("w2")
    ax.set_aspect("equal")
    arrows(ax, run["path"], *arrow)
    ax.plot(*run["path"][0], "o", color="black", markersize=4)
    outcome = "" if run["converged"] else f", not converged ({run['reason']})"
    ax.set_title(
        f"{start_name(index, run['start']).capitalize()}: step {run['step_size']:g}, "
        f"{run['iterations']} iterations{outcome}"
    )
    fig.tight_layout()
    return fig


def ascent_values(runs: list[tuple[int, dict]]) -> Figure:
    """f against the iteration, one panel per start, with the sheet's plotting code."""
    fig, axs = subplots(1, len(runs), figsize=(15, 4), squeeze=False)
    for ax, (i, run) in zip(axs[0], runs, strict=True):
        ax.plot(range(len(run["values"])), run["values"], marker=".")
        ax.set_title(f"{start_name(i, run['start'])}, step {run['step_size']:g}")
        ax.set_xlabel("Number of iterations")
        ax.set_ylabel("Function value")
    fig.tight_layout()
    return fig


def ascent_search(table: list[dict], theory: dict) -> Figure:
    """Iterations to converge against the step size, measured and as the local rate at the
    maximum predicts, with the overshoot and stability bounds."""
    fig, ax = subplots(figsize=(8, 5))
    for i in sorted({r["start_index"] for r in table}):
        rows = [r for r in table if r["start_index"] == i]
        name = start_name(i, rows[0]["start"])
        done = [r for r in rows if r["converged"]]
        (line,) = ax.plot([r["step_size"] for r in done], [r["iterations"] for r in done], "o-", label=name)
        predicted = [r for r in rows if r["predicted_iterations"]]
        ax.plot(
            [r["step_size"] for r in predicted],
            [r["predicted_iterations"] for r in predicted],
            "--",
            color=line.get_color(),
            label=f"{name}, predicted by the local rate",
        )
    if "stability_bound" in theory:
        ax.axvline(theory["stability_bound"], color="black", label="stability bound 2/|λ_max|")
        ax.axvline(theory["overshoot_step"], color="grey", linestyle=":", label="overshoot from 1/|λ_max|")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_title("Iterations to converge against the step size")
    ax.set_xlabel("Step size")
    ax.set_ylabel("Iterations")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


# --- the step-size sweep ----------------------------------------------------------------------


def sweep(data: dict, sheet_steps: tuple[float, ...], iterations: int, replicas: int) -> Figure:
    """The median error against the step size with the band of the 10 % and 90 % quantiles, the
    MLE's error, and the sheet's step sizes marked."""
    rows, mle = data["rows"], data["mle_error"]
    steps = [r["step_size"] for r in rows]
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
    for i, step in enumerate(sheet_steps):
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
    ax.set_title(f"Error after {iterations} SGD iterations, {replicas} replicas per step size")
    ax.set_xlabel("Step size")
    ax.set_ylabel("Estimation error ‖Σ⁻¹ − P‖²")
    ax.legend(loc="upper center", fontsize=8)
    fig.tight_layout()
    return fig


# --- the network responses (sheet §1) ---------------------------------------------------------


def network(curves: dict[tuple[str, int], list[tuple[float, float]]], activations, seeds) -> Figure:
    """The nine responses in one grid, rows by activation, columns by weight set, with the
    sheet's plotting code."""
    import matplotlib.pyplot as plt  # the sheet's own plotting code

    fig, axs = plt.subplots(nrows=len(activations), ncols=len(seeds), figsize=(15, 10), squeeze=False)
    for i, act in enumerate(activations):
        for j, seed in enumerate(seeds):
            x1, y1 = zip(*curves[act, seed], strict=True)
            axs[i, j].plot(x1, y1)
            axs[i, j].set_title(f"{act}, weight set {j + 1} (seed {seed})")
            axs[i, j].set_xlabel("x1")
            axs[i, j].set_ylabel("y1")
    plt.tight_layout()
    return fig
