"""Stage `ascent`: the step-size search, the chosen trajectories, and what the theory says of f:
its critical points and the step sizes its maxima allow (sheet §2, assignment 1b–1d). Figures,
plot data and metrics are drawn from these by `ascent_figures`, the discussion by `report`."""

from __future__ import annotations

from nndl.numerics import ascent
from nndl.pipeline.io import Outputs
from nndl.pipeline.params import Params
from nndl.pipeline.paths import ASCENT_CRITICAL, ASCENT_DIR, ASCENT_SEARCH, ASCENT_THEORY, ascent_run_path
from nndl.pipeline.progress import progress
from nndl.pipeline.startup import run_stage


def run_record(run: ascent.Run, points: list[ascent.CriticalPoint]) -> dict:
    """A chosen run, and the index of the critical point it ended at (within 1e-2), if any."""
    end = ascent.nearest(points, run.path[-1]) if run.converged else None
    return {
        "start": list(run.start),
        "step_size": run.step_size,
        "path": [list(w) for w in run.path],
        "values": run.values,
        "iterations": run.iterations,
        "converged": run.converged,
        "reason": run.reason,
        "end_point": None if end is None else points.index(end),
    }


def theory_record(
    a: ascent.Box, tolerance: float, points: list, theory: ascent.StepTheory | None, search: ascent.Search
) -> dict:
    """What follows from f alone, and the bracket of the stability bound the search found."""
    record = {
        "flat_share": ascent.flat_share(a, tolerance, points),
        "far": ascent.FAR,
        "maxima_alike": ascent.maxima_alike(points),
        "symmetry_gap": ascent.symmetry_gap(a),
    }
    if theory is not None:
        record |= {
            "curvature_stiff": theory.stiff,
            "curvature_soft": theory.soft,
            "overshoot_step": theory.overshoot_step,
            "stability_bound": theory.stability_bound,
            "best_fixed_step": theory.best_fixed_step,
            "chosen_rates": [theory.rate(run.step_size) for run in search.chosen],
        }
    last, next_tried = ascent.bracket(search.table)
    return record | {"last_step_converging_from_every_start": last, "next_step_tried": next_tried}


def main(params: Params, out: Outputs) -> None:
    a = params.ascent
    points = ascent.critical_points(a.region)
    theory = ascent.theory_at_maxima(points)
    advance, close = progress(len(a.starts) * len(a.step_sizes) * a.max_iterations, "ascent (at most)")
    found = ascent.search(a.starts, a.step_sizes, a.tolerance, a.max_iterations, a.region, theory, advance)
    close()
    out.folder(ASCENT_DIR)
    for i, run in enumerate(found.chosen, start=1):
        out.json(ascent_run_path(i), run_record(run, points))
    out.json(ASCENT_SEARCH, found.table, indent=1)
    out.json(
        ASCENT_CRITICAL,
        [
            {"w": list(p.w), "f": p.value, "hessian_eigenvalues": list(p.eigenvalues), "kind": p.kind}
            for p in points
        ],
        indent=1,
    )
    out.json(ASCENT_THEORY, theory_record(a.region, a.tolerance, points, theory, found), indent=1)


if __name__ == "__main__":
    run_stage(main)
