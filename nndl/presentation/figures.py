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

# Every legend sits outside the axes (below them, in a constrained layout), never over data.
# A run's colour is its place in the palette (matplotlib's default cycle, which the plots page
# uses too): an SGD fit by its init seed's place in params, an ascent start by its index.


def _legend_below(fig: Figure, ax: Any, ncols: int = 2) -> None:
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=ncols, fontsize=8, frameon=False)


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
    fig, ax = subplots(figsize=(8, 5.5), layout="constrained")
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
    _legend_below(fig, ax)
    return fig


# --- gradient ascent (sheet §2, 1a, 1c–1e) ---------------------------------------------------

MARKERS = {"maximum": ("^", "maximum of f"), "saddle point": ("X", "saddle point of f")}


def contour_grid(region: ascent.Box, grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sheet's isocontour data: W1, W2 and f on a grid×grid mesh of the region."""
    w = np.linspace(region[0], region[1], grid)
    w1, w2 = np.meshgrid(w, w)
    return w1, w2, ascent.f(np.stack((w1, w2), axis=2))


def _contours(fig: Figure, ax: Any, mesh: tuple, levels: int, points: list[dict]) -> None:
    """The isocontours of f with their colour bar, and its maxima and saddle points marked."""
    cs = ax.contour(*mesh, levels=levels, linewidths=0.8)
    fig.colorbar(cs, ax=ax, label="f(w)", shrink=0.85)
    for kind, (marker, name) in MARKERS.items():
        at = [p["w"] for p in points if p["kind"] == kind]
        if at:
            ax.plot(
                *zip(*at, strict=True),
                marker,
                color="black",
                markerfacecolor="white",
                markersize=8,
                label=name,
                linestyle="none",
            )
    ax.set_xlabel("w1")
    ax.set_ylabel("w2")
    ax.set_aspect("equal")


def contours(mesh: tuple, levels: int, points: list[dict]) -> Figure:
    """Sheet §2, 1(a): the isocontours of f over the plotted square."""
    fig, ax = subplots(figsize=(6.5, 6.5), layout="constrained")
    _contours(fig, ax, mesh, levels, points)
    ax.set_title("Isocontours of f")
    _legend_below(fig, ax)
    return fig


MAX_ARROWS = 200  # beyond this, an arrow per stretch of steps: a patch per step would take minutes


def arrows(ax: Any, path: list[list[float]], width: float, head_width: float, head_length: float) -> None:
    """plt.arrow from each w_i to w_(i+1), as the sheet asks; heads no longer than the step, so
    short steps read. A path of more than MAX_ARROWS steps is drawn as a thin line through every
    iterate, with an arrow over each of MAX_ARROWS equal stretches of steps."""
    stride = -(-(len(path) - 1) // MAX_ARROWS) if len(path) > MAX_ARROWS + 1 else 1
    if stride > 1:
        ax.plot(*zip(*path, strict=True), color="crimson", linewidth=0.6)
    points = path[::stride] if (len(path) - 1) % stride == 0 else [*path[::stride], path[-1]]
    for (x, y), (x2, y2) in itertools.pairwise(points):
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


LAST_STEPS = 4  # the iterates the zoomed panel is fitted to: near a maximum each step shrinks
# the distance by the local rate, so a window fitted to more leaves the last ones on one spot


def trajectory(
    index: int, run: dict, mesh: tuple, levels: int, arrow: tuple[float, float, float], points: list[dict]
) -> Figure:
    """One start's trajectory over the contour plot of f, and beside it its last iterates,
    zoomed and numbered, so that steps too short to see in the whole square can be told apart."""
    fig, (ax, zoom) = subplots(1, 2, figsize=(12, 6.2), layout="constrained", width_ratios=(1.25, 1))
    _contours(fig, ax, mesh, levels, points)
    arrows(ax, run["path"], *arrow)
    ax.plot(*run["path"][0], "o", color="black", markersize=5, label="start", linestyle="none")
    ax.set_title("The plotted square")
    outcome = "" if run["converged"] else f", not converged ({run['reason']})"
    fig.suptitle(
        f"Gradient ascent from {start_name(index, run['start'])}: step {run['step_size']:g}, "
        f"{run['iterations']} iterations{outcome}"
    )
    path = np.array(run["path"])
    first = max(0, len(path) - LAST_STEPS)
    low, high = path[first:].min(axis=0), path[first:].max(axis=0)
    half = max(float((high - low).max()) * 0.65, 1e-9)
    middle = (low + high) / 2
    window = (middle - half, middle + half)
    ax.indicate_inset((*window[0], 2 * half, 2 * half), edgecolor="black")
    w1, w2 = np.meshgrid(*(np.linspace(window[0][k], window[1][k], 120) for k in (0, 1)))
    zoom.contour(w1, w2, ascent.f(np.stack((w1, w2), axis=2)), levels=levels, linewidths=0.8)
    for p in points:
        marker = MARKERS.get(p["kind"], ("o", ""))[0]
        zoom.plot(*p["w"], marker, color="black", markerfacecolor="none", markersize=7)
    # the last iterates only, and the step into them: a path that never settles (no step
    # converged) passes through the window thousands of times
    zoom.plot(*path[max(0, first - 1) :].T, "-o", color="crimson", markersize=4, linewidth=0.8)
    inside = list(range(first, len(path)))
    spots: dict[tuple[float, ...], list[int]] = {}  # iterates on one spot (a cycle) share a label
    for k in inside:
        spots.setdefault(tuple(np.round((path[k] - window[0]) / (2 * half), 3)), []).append(k)
    for n, ks in enumerate(spots.values()):  # labels alternately above and below: neighbours stay apart
        zoom.annotate(
            ", ".join(map(str, ks)),
            path[ks[0]],
            textcoords="offset points",
            xytext=(5, 5 if n % 2 else -12),
            fontsize=8,
        )
    zoom.set_xlim(window[0][0], window[1][0])
    zoom.set_ylim(window[0][1], window[1][1])
    zoom.set_aspect("equal")
    zoom.set_title(f"The last iterates, zoomed (iterate {inside[0]} to {inside[-1]})")
    zoom.set_xlabel("w1")
    zoom.set_ylabel("w2")
    zoom.ticklabel_format(useOffset=False)
    zoom.tick_params(axis="x", labelrotation=30)
    _legend_below(fig, ax, ncols=3)
    return fig


def ascent_values(runs: list[tuple[int, dict]]) -> Figure:
    """f against the iteration, one panel per start in its colour, with the sheet's plotting code."""
    fig, axs = subplots(1, len(runs), figsize=(15, 4), squeeze=False, layout="constrained")
    palette = colors()
    for ax, (i, run) in zip(axs[0], runs, strict=True):
        ax.plot(range(len(run["values"])), run["values"], marker=".", color=palette[(i - 1) % len(palette)])
        outcome = "" if run["converged"] else ", not converged"
        ax.set_title(f"{start_name(i, run['start'])}, step {run['step_size']:g}{outcome}")
        ax.set_xlabel("Number of iterations")
        ax.set_ylabel("Function value")
    fig.suptitle("f along each chosen trajectory of the gradient ascent")
    return fig


SEARCH_MARKERS = ("o", "s", "^", "D", "v", "P", "*", "h", "<", ">")


def ascent_search(table: list[dict], theory: dict) -> Figure:
    """Iterations to converge against the step size, measured and as the local rate at the
    maximum predicts, with the overshoot and stability bounds; beside it the steps just below
    the bound against their distance to it, where they would otherwise stack on the bound."""
    has_bound = "stability_bound" in theory
    fig, axs = subplots(
        1, 2 if has_bound else 1, figsize=(13 if has_bound else 8, 5.5), squeeze=False, layout="constrained"
    )
    ax, near = axs[0][0], (axs[0][1] if has_bound else None)
    palette = colors()
    plotted = {ax: 0, near: 0}  # points drawn in each axes: an empty one cannot take log scales
    starts = sorted({r["start_index"] for r in table})
    for n, i in enumerate(starts):
        rows = [r for r in table if r["start_index"] == i]
        name, color = start_name(i, rows[0]["start"]), palette[(i - 1) % len(palette)]
        style = {"color": color, "marker": SEARCH_MARKERS[n % len(SEARCH_MARKERS)], "markerfacecolor": "none"}
        style["markersize"] = 9 - 2 * (n % 3)  # nested open markers: a start under another shows
        # a log axis shows no 0: a start already within the tolerance takes no iteration
        done = [r for r in rows if r["converged"] and r["iterations"] > 0]
        predicted = [r for r in rows if r["predicted_iterations"]]
        for axis, shift in ((ax, None), (near, theory.get("stability_bound"))):
            if axis is None:
                continue

            def x(r: dict, shift: float | None = shift) -> float:
                return r["step_size"] if shift is None else shift - r["step_size"]

            mine = [r for r in done if shift is None or 0 < shift - r["step_size"] < 0.5 * shift]
            axis.plot([x(r) for r in mine], [r["iterations"] for r in mine], "-", label=name, **style)
            guess = [r for r in predicted if shift is None or 0 < shift - r["step_size"] < 0.5 * shift]
            plotted[axis] += len(mine) + len(guess)
            axis.plot(
                [x(r) for r in guess],
                [r["predicted_iterations"] for r in guess],
                "--",
                color=color,
                linewidth=1.0,
                label=f"{name}, predicted by the local rate",
            )
    if has_bound:
        ax.axvline(theory["stability_bound"], color="black", label="stability bound 2/|λ_max|")
        ax.axvline(theory["overshoot_step"], color="grey", linestyle=":", label="overshoot from 1/|λ_max|")
        near.set_title("Steps just below the bound")
        near.set_xlabel("2/|λ_max| − step size")
        near.set_ylabel("Iterations")
    for axis in (a for a in (ax, near) if a is not None):
        if plotted[axis]:
            axis.set_xscale("log")
            axis.set_yscale("log")
        else:  # no step converged, and the local rate predicts none will
            axis.text(0.5, 0.5, "No candidate step size converged", transform=axis.transAxes, ha="center")
            axis.set_yticks([])
    ax.set_title("Iterations to converge against the step size")
    ax.set_xlabel("Step size")
    ax.set_ylabel("Iterations")
    _legend_below(fig, ax, ncols=3)
    return fig


# --- the step-size sweep ----------------------------------------------------------------------


def sweep(data: dict, sheet_steps: tuple[float, ...], iterations: int, replicas: int) -> Figure:
    """The median error against the step size with the band of the 10 % and 90 % quantiles, the
    MLE's error, and the sheet's step sizes marked."""
    rows, mle = data["rows"], data["mle_error"]
    steps = [r["step_size"] for r in rows]
    fig, ax = subplots(figsize=(8, 5.5), layout="constrained")
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
    _legend_below(fig, ax, ncols=3)
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
    fig.suptitle("Output y1 of the network against x1, with x2 to x5 fixed: a row per activation")
    plt.tight_layout()
    return fig
