"""Stage `ascent_figures`: the contour plot with each trajectory, and f against the iteration
(sheet §2, assignment 1a, 1d, 1e). Reads the ascent stage's results; computes nothing new."""

from __future__ import annotations

import itertools
import math

import numpy as np

from nndl import ascent
from nndl.cli import run_stage
from nndl.io import read_json, remove_stale, write_csv
from nndl.params import Params
from nndl.paths import (
    ASCENT_FIGURES,
    ASCENT_METRICS,
    ASCENT_SEARCH,
    ASCENT_SEARCH_FIGURE,
    ASCENT_VALUES_FIGURE,
    ASCENT_VALUES_PLOT,
    ascent_run_path,
    start_name,
    trajectory_figure,
)
from nndl.plotting import save_png, subplots


def contour_grid(region: ascent.Box, grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sheet's isocontour data: W1, W2 and f on a grid×grid mesh of the region."""
    w = np.linspace(region[0], region[1], grid)
    w1, w2 = np.meshgrid(w, w)
    return w1, w2, ascent.f(np.stack((w1, w2), axis=2))


def contour(ax, mesh: tuple[np.ndarray, np.ndarray, np.ndarray], levels: int) -> None:
    ax.contour(*mesh, levels=levels)
    ax.set_xlabel("w1")
    ax.set_ylabel("w2")
    ax.set_aspect("equal")


def arrows(ax, path: list[list[float]], width: float, head_width: float, head_length: float) -> None:
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


def draw_search(table: list[dict], metrics: dict, dpi: int) -> None:
    """plots/ascent/ascent_search.png: iterations to converge against the step size, measured
    and as the local rate at the maximum predicts, with the overshoot and stability bounds."""
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
    if "stability_bound" in metrics:
        ax.axvline(metrics["stability_bound"], color="black", label="stability bound 2/|λ_max|")
        ax.axvline(metrics["overshoot_step"], color="grey", linestyle=":", label="overshoot from 1/|λ_max|")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_title("Iterations to converge against the step size")
    ax.set_xlabel("Step size")
    ax.set_ylabel("Iterations")
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_png(fig, ASCENT_SEARCH_FIGURE, dpi)


def main(params: Params) -> None:
    a, figs = params.ascent, params.ascent_figures
    runs = [(i, read_json(ascent_run_path(i))) for i in range(1, len(a.starts) + 1)]
    mesh = contour_grid(a.region, figs.grid)  # the same background for every start
    for i, run in runs:
        fig, ax = subplots(figsize=(6, 6))
        contour(ax, mesh, figs.levels)
        arrows(ax, run["path"], figs.arrow_width, figs.head_width, figs.head_length)
        ax.plot(*run["path"][0], "o", color="black", markersize=4)
        outcome = "" if run["converged"] else f", not converged ({run['reason']})"
        ax.set_title(
            f"{start_name(i, run['start']).capitalize()}: step {run['step_size']:g}, "
            f"{run['iterations']} iterations{outcome}"
        )
        fig.tight_layout()
        save_png(fig, trajectory_figure(i), figs.dpi)

    fig, axs = subplots(1, len(runs), figsize=(15, 4), squeeze=False)
    for ax, (i, run) in zip(axs[0], runs, strict=True):
        ax.plot(range(len(run["values"])), run["values"], marker=".")
        ax.set_title(f"{start_name(i, run['start'])}, step {run['step_size']:g}")
        ax.set_xlabel("Number of iterations")
        ax.set_ylabel("Function value")
    fig.tight_layout()
    save_png(fig, ASCENT_VALUES_FIGURE, figs.dpi)
    draw_search(read_json(ASCENT_SEARCH), read_json(ASCENT_METRICS), figs.dpi)
    remove_stale(
        ASCENT_FIGURES,
        [trajectory_figure(i) for i, _ in runs] + [ASCENT_VALUES_FIGURE, ASCENT_SEARCH_FIGURE],
    )
    write_csv(
        ASCENT_VALUES_PLOT,
        ("iteration", "f", "run"),
        [(k, v, start_name(i, run["start"])) for i, run in runs for k, v in enumerate(run["values"])],
    )


if __name__ == "__main__":
    run_stage(main)
