"""Stage `ascent`: the step-size search, the chosen trajectories, the critical points of f and
the local-versus-global discussion (sheet §2, assignment 1b–1d, 1f)."""

from __future__ import annotations

import math

from nndl import ascent, prose
from nndl.cli import run_stage
from nndl.io import remove_stale, write_csv, write_json, write_text
from nndl.params import Params
from nndl.paths import (
    ASCENT_CRITICAL,
    ASCENT_DIR,
    ASCENT_DISCUSSION,
    ASCENT_METRICS,
    ASCENT_SEARCH,
    ASCENT_SEARCH_PLOT,
    ASCENT_THEORY,
    ascent_run_path,
    start_name,
)
from nndl.progress import progress


def discussion(chosen: list[ascent.Run], points: list[ascent.CriticalPoint], gap: float) -> str:
    """Sheet §2, 1(f): what the runs say about local and global maxima (templates/discussion.md)."""
    maxima = ascent.maxima(points)
    top = max(p.value for p in maxima) if maxima else math.nan
    ends = [None if not run.converged else ascent.nearest(points, run.path[-1]) for run in chosen]
    return prose.render(
        "discussion.md",
        points=points,
        runs=list(zip(range(1, len(chosen) + 1), chosen, ends, strict=True)),
        maxima=[(p, math.isclose(p.value, top, rel_tol=1e-12)) for p in maxima],
        mirror_maxima=gap < 1e-12 and len(maxima) == 2,
        gap=gap,
        top=top,
        distinct=len({end.w for end in ends if end is not None}),
        start_name=start_name,
    )


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


def main(params: Params) -> None:
    a = params.ascent
    points = ascent.critical_points(a.region)
    theory = ascent.theory_at_maxima(points)
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
    last, first_failing = ascent.bracket(table)
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
    write_json(
        ASCENT_THEORY,
        {
            "flat_share": ascent.flat_share(a.region, a.tolerance, points),
            "far": ascent.FAR,
            "maxima_alike": ascent.maxima_alike(points),
        },
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
    write_text(ASCENT_DISCUSSION, discussion(chosen, points, ascent.symmetry_gap(a.region)))
    write_csv(ASCENT_SEARCH_PLOT, ("step_size", "iterations", "run"), search_plot(table, theory))
    write_json(ASCENT_METRICS, metrics, indent=2)
    runs = [ascent_run_path(i) for i in range(1, len(a.starts) + 1)]
    remove_stale(ASCENT_DIR, [*runs, ASCENT_SEARCH, ASCENT_CRITICAL, ASCENT_DISCUSSION, ASCENT_THEORY])


def search_plot(table: list[dict], theory: ascent.StepTheory | None) -> list[tuple]:
    """The DVC plot's rows: the measured iterations of every converged run, the iterations
    the local rate predicts, and the stability bound as a vertical line (two points)."""
    name = [start_name(r["start_index"], r["start"]) for r in table]
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
