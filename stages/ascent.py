"""Stage `ascent`: the step-size search, the chosen trajectories, the critical points of f and
the local-versus-global discussion (sheet §2, assignment 1b–1d, 1f)."""

from __future__ import annotations

import math

from nndl import ascent
from nndl.io import remove_stale, write_csv, write_json, write_text
from nndl.params import Params, run_stage
from nndl.paths import (
    ASCENT_CRITICAL,
    ASCENT_DIR,
    ASCENT_DISCUSSION,
    ASCENT_METRICS,
    ASCENT_SEARCH,
    ASCENT_SEARCH_PLOT,
    ASCENT_THEORY,
    ascent_run_path,
)
from nndl.progress import progress


def nearest(points: list[ascent.CriticalPoint], w: ascent.Point) -> ascent.CriticalPoint | None:
    """The critical point a run ended at, if it ended within 1e-2 of one."""
    near = [p for p in points if math.dist(p.w, w) < 1e-2]
    return min(near, key=lambda p: math.dist(p.w, w)) if near else None


def fmt(w: ascent.Point) -> str:
    return f"({w[0]:.4f}, {w[1]:.4f})"


def symmetry_gap(region: ascent.Box, grid: int = 101) -> float:
    """max |f(w) − f((1, 1) − w)| over a grid of the region: 0 up to rounding if f is symmetric
    under the point reflection through (½, ½)."""
    import numpy as np

    t = np.linspace(region[0], region[1], grid)
    w1, w2 = np.meshgrid(t, t)
    return float(np.max(np.abs(ascent.value(w1, w2, np.exp) - ascent.value(1 - w1, 1 - w2, np.exp))))


def discussion(chosen: list[ascent.Run], points: list[ascent.CriticalPoint], gap: float) -> str:
    """Sheet §2, 1(f): what the runs say about local and global maxima, from the results."""
    maxima = [p for p in points if p.kind == "maximum"]
    top = max(p.value for p in maxima) if maxima else math.nan
    is_global = {p.w: math.isclose(p.value, top, rel_tol=1e-12) for p in maxima}
    lines = ["Critical points of f, found by Newton's method on ∇f = 0 from a grid of starts:", ""]
    lines += ["| point | f | Hessian eigenvalues | kind |", "| --- | --- | --- | --- |"]
    for p in points:
        lines.append(
            f"| {fmt(p.w)} | {p.value:.6f} | {p.eigenvalues[0]:.4f}, {p.eigenvalues[1]:.4f} | {p.kind} |"
        )
    lines.append("")
    reached = []
    for i, run in enumerate(chosen, start=1):
        if not run.converged:
            lines.append(
                f"- {ascent.start_name(i, run.start).capitalize()}: no candidate step size converged "
                f"(the smallest, {run.step_size:g}: {run.reason} after {run.iterations} iterations)."
            )
            continue
        end = nearest(points, run.path[-1])
        where = "a point that is not a critical point" if end is None else f"the {end.kind} at {fmt(end.w)}"
        lines.append(
            f"- {ascent.start_name(i, run.start).capitalize()}, step {run.step_size:g}: "
            f"{run.iterations} iterations to {where}, f = {run.values[-1]:.6f}."
        )
        if end is not None:
            reached.append(end)
    lines.append("")
    symmetric = gap < 1e-12
    if symmetric and len(maxima) == 2:
        lines.append(
            "f is symmetric under the point reflection w ↦ (1, 1) − w, which swaps its two terms "
            f"(checked on a grid of the plotted region: the largest difference is {gap:.1e}). Its two "
            f"maxima are mirror images with the same value f = {top:.6f}, so both are global maxima "
            "and f has no maximum that is only local; between them lies the saddle point at the "
            "centre of symmetry."
        )
    elif maxima:
        kinds = ", ".join(f"{fmt(p.w)} ({'global' if is_global[p.w] else 'local only'})" for p in maxima)
        lines.append(f"The maxima of f in the plotted region: {kinds}.")
    distinct = {p.w for p in reached}
    lines += [
        "",
        "What the runs show: gradient ascent is a local method. It climbs to the maximum of the basin "
        "it starts in, and the stopping criterion (a gradient near zero) is met at any maximum, "
        "local or global, with nothing to tell the two apart. "
        + (
            f"Here the starts ended at {len(distinct)} different maxima, depending only on where they began; "
            if len(distinct) > 1
            else "Here every start ended at the same maximum; "
        )
        + (
            "because f's maxima are equally high, each run found a global maximum, but only because of "
            "that symmetry. Had one bump been lower, the starts in its basin would have stopped at a "
            "local maximum that is not global. Several starts, keeping the best end point, as here "
            "with three, is a heuristic: it raises the chance of finding the global maximum but "
            "guarantees nothing."
            if symmetric and len(maxima) == 2
            else "a start in the basin of a lower maximum stops there. Several starts, keeping the best "
            "end point, is a heuristic that raises the chance of finding the global maximum but "
            "guarantees nothing."
        ),
    ]
    return "\n".join(lines) + "\n"


def run_record(run: ascent.Run) -> dict:
    return {
        "start": list(run.start),
        "step_size": run.step_size,
        "path": [list(w) for w in run.path],
        "values": run.values,
        "iterations": run.iterations,
        "converged": run.converged,
        "reason": run.reason,
    }


FAR = 0.5  # how far from every critical point a point must be to count as "far from any"


def flat_share(
    region: ascent.Box, tolerance: float, points: list[ascent.CriticalPoint], grid: int = 101
) -> float:
    """The share of a grid over the region where ‖∇f‖ < tolerance more than FAR away from every
    critical point: where the stopping test passes with no maximum near."""
    t = [region[0] + (region[1] - region[0]) * k / (grid - 1) for k in range(grid)]
    flat = sum(
        math.hypot(*ascent.gradient(w1, w2)) < tolerance
        and all(math.dist(p.w, (w1, w2)) > FAR for p in points)
        for w1 in t
        for w2 in t
    )
    return flat / (grid * grid)


def theory_at_maxima(points: list[ascent.CriticalPoint]) -> ascent.StepTheory | None:
    """The step theory at the highest maximum (f's two maxima are mirror images)."""
    maxima = [p for p in points if p.kind == "maximum"]
    return ascent.step_theory(max(maxima, key=lambda p: p.value).eigenvalues) if maxima else None


def bracket(table: list[dict]) -> tuple[float | None, float | None]:
    """The largest step that converged from every start, and the next larger step tried."""
    steps = sorted({r["step_size"] for r in table})
    every = [s for s in steps if all(r["converged"] for r in table if r["step_size"] == s)]
    if not every:
        return None, None
    above = [s for s in steps if s > every[-1]]
    return every[-1], (above[0] if above else None)


def main(params: Params) -> None:
    a = params.ascent
    points = ascent.critical_points(a.region)
    theory = theory_at_maxima(points)
    table, chosen = [], []
    advance, close = progress(len(a.starts) * len(a.step_sizes) * a.max_iterations, "ascent (at most)")
    for i, start in enumerate(a.starts, start=1):
        best, rows = None, []
        for step in a.step_sizes:  # one run in memory at a time, besides the best so far
            run = ascent.ascend(start, step, a.tolerance, a.max_iterations, a.region)
            advance(a.max_iterations)
            rows.append(
                {
                    "start_index": i,
                    "start": list(start),
                    "step_size": run.step_size,
                    "converged": run.converged,
                    "reason": run.reason,
                    "iterations": run.iterations,
                    "end": list(run.path[-1]),
                    "f_end": run.values[-1],
                    "predicted_iterations": theory
                    and theory.predicted_iterations(step, math.hypot(*ascent.gradient(*start)), a.tolerance),
                }
            )
            if best is None or ascent.preference(run) < ascent.preference(best):
                best = run
        chosen.append(best)
        table += [row | {"chosen": row["step_size"] == best.step_size} for row in rows]
    close()

    metrics: dict[str, float | int] = {}
    for i, run in enumerate(chosen, start=1):
        write_json(ascent_run_path(i), run_record(run))
        metrics |= {
            f"step_size_start{i}": run.step_size,
            f"iterations_start{i}": run.iterations,
            f"w1_start{i}": run.path[-1][0],
            f"w2_start{i}": run.path[-1][1],
            f"f_start{i}": run.values[-1],
            f"converged_start{i}": int(run.converged),
        }
        if theory is not None:
            metrics[f"local_rate_start{i}"] = theory.rate(run.step_size)
    last, first_failing = bracket(table)
    if theory is not None:
        metrics |= {
            "curvature_stiff": theory.stiff,
            "curvature_soft": theory.soft,
            "overshoot_step": theory.overshoot_step,
            "stability_bound": theory.stability_bound,
            "best_fixed_step": theory.best_fixed_step,
        }
    if last is not None:
        metrics["last_step_converging_from_every_start"] = last
    if first_failing is not None:
        metrics["next_step_tried"] = first_failing
    maxima = [p for p in points if p.kind == "maximum"]
    same = all(
        all(
            math.isclose(x, y, rel_tol=1e-9)
            for x, y in zip(p.eigenvalues, maxima[0].eigenvalues, strict=True)
        )
        for p in maxima
    )
    write_json(
        ASCENT_THEORY,
        {"flat_share": flat_share(a.region, a.tolerance, points), "far": FAR, "maxima_alike": same},
        indent=1,
    )
    write_json(ASCENT_SEARCH, table, indent=1)
    write_json(
        ASCENT_CRITICAL,
        [
            {"w": list(p.w), "f": p.value, "hessian_eigenvalues": list(p.eigenvalues), "kind": p.kind}
            for p in points
        ],
        indent=1,
    )
    write_text(ASCENT_DISCUSSION, discussion(chosen, points, symmetry_gap(a.region)))
    write_csv(ASCENT_SEARCH_PLOT, ("step_size", "iterations", "run"), search_plot(table, theory))
    write_json(ASCENT_METRICS, metrics, indent=2)
    runs = [ascent_run_path(i) for i in range(1, len(a.starts) + 1)]
    remove_stale(ASCENT_DIR, [*runs, ASCENT_SEARCH, ASCENT_CRITICAL, ASCENT_DISCUSSION, ASCENT_THEORY])


def search_plot(table: list[dict], theory: ascent.StepTheory | None) -> list[tuple]:
    """The DVC plot's rows: the measured iterations of every converged run, the iterations
    the local rate predicts, and the stability bound as a vertical line (two points)."""
    name = [ascent.start_name(r["start_index"], r["start"]) for r in table]
    rows = [(r["step_size"], r["iterations"], n) for r, n in zip(table, name, strict=True) if r["converged"]]
    rows += [
        (r["step_size"], r["predicted_iterations"], f"{n}, predicted")
        for r, n in zip(table, name, strict=True)
        if r["predicted_iterations"]
    ]
    if theory is not None and rows:
        counts = [count for _, count, _ in rows]
        rows += [(theory.stability_bound, v, "stability bound 2/|λ_max|") for v in (min(counts), max(counts))]
    return rows


if __name__ == "__main__":
    run_stage(main)
