"""What the presentation stages write besides figures and the report: the metrics (a few headline
numbers a user compares between commits, one row of `dvc metrics show` per file) and the data of
DVC's charts (rows of CSV), each computed from the compute stages' data alone."""

from __future__ import annotations

from nndl.numerics import precision
from nndl.pipeline.paths import fit_series, start_name

# --- SGD fits -------------------------------------------------------------------------


def sgd_step_metrics(runs: list[dict]) -> dict[str, float]:
    """One step size's row: the final estimation error of each init seed's fit."""
    return {f"seed{run['init_seed']}": run["error"] for run in runs}


MAX_PLOT_POINTS = 2_000  # per curve in the DVC plot data, whatever the iterations


def thinned(objective: list[float], every: int) -> list[tuple[int, float]]:
    """(iteration, value) at every `every`-th iteration, the last one always included."""
    last = len(objective) - 1
    keep = list(range(0, last + 1, every))
    if keep[-1] != last:
        keep.append(last)
    return [(i, objective[i]) for i in keep]


def plot_points(run: dict, every: int) -> list[tuple[int, float]]:
    """The DVC plot's points of one run's objective: every `every`-th value of an exact one,
    thinned further to at most MAX_PLOT_POINTS; of an envelope, the last value of each bucket."""
    if "objective" in run:
        objective = run["objective"]
        return thinned(objective, max(every, -(-len(objective) // MAX_PLOT_POINTS)))
    env = run["objective_envelope"]
    return list(zip(precision.Envelope.bucket_ends(env), env["last"], strict=True))


def sgd_objective_rows(step_label: str, runs: list[dict], every: int) -> list[tuple]:
    """Rows (step_size, iteration, objective, run) of plots/sgd_objective.csv for one step size."""
    return [(step_label, i, v, fit_series(r["init_seed"])) for r in runs for i, v in plot_points(r, every)]


# --- gradient ascent --------------------------------------------------------------------


def ascent_start_metrics(run: dict) -> dict[str, float | int]:
    """One start's row: its chosen step, the iterations that step took, and whether it converged
    (1) or stopped at the cap or the region's edge (0)."""
    return {"step": run["step_size"], "iterations": run["iterations"], "converged": int(run["converged"])}


MEASURED, PREDICTED, BOUND = "measured", "predicted by the local rate", "stability bound 2/|λ_max|"


def ascent_search_rows(table: list[dict], theory: dict) -> list[tuple]:
    """Rows (step_size, iterations, run, kind) of plots/ascent_search.csv: the iterations of every
    converged run, those the local rate predicts, and the stability bound as a vertical line
    (two points spanning the others)."""
    rows = []
    for i in sorted({r["start_index"] for r in table}):
        mine = [r for r in table if r["start_index"] == i]
        name = start_name(i, mine[0]["start"])
        # a log axis shows no 0: a start already within the tolerance takes no iteration
        rows += [
            (r["step_size"], r["iterations"], name, MEASURED)
            for r in mine
            if r["converged"] and r["iterations"]
        ]
        rows += [
            (r["step_size"], r["predicted_iterations"], name, PREDICTED)
            for r in mine
            if r["predicted_iterations"]
        ]
    if "stability_bound" in theory and rows:
        counts = [count for _, count, _, _ in rows]
        rows += [(theory["stability_bound"], v, BOUND, BOUND) for v in (min(counts), max(counts))]
    return rows


def ascent_values_rows(runs: list[tuple[int, dict]]) -> list[tuple]:
    """Rows (iteration, f, run) of plots/ascent_values.csv: f along each chosen trajectory."""
    return [(k, v, start_name(i, run["start"])) for i, run in runs for k, v in enumerate(run["values"])]


# --- the step-size sweep and the stationary chains ------------------------------------------


def sweep_metrics(rows: list[dict]) -> dict[str, float]:
    """The step with the smallest median error, and the smallest step at which a replica diverged."""
    metrics = {}
    finite = [r for r in rows if r["median"] is not None]
    if finite:
        metrics["best_step"] = min(finite, key=lambda r: r["median"])["step_size"]
    diverging = [r["step_size"] for r in rows if r["fraction_diverged"] > 0]
    if diverging:
        metrics["diverges_from"] = min(diverging)
    return metrics


def sweep_rows(rows: list[dict], mle_error: float) -> list[tuple]:
    """Rows (step_size, median, q10, q90, mle) of plots/sgd_sweep.csv, for the steps whose median
    is finite (a quantile past the diverged share is left empty)."""
    return [
        (r["step_size"], r["median"], _blank(r["q10"]), _blank(r["q90"]), mle_error)
        for r in rows
        if r["median"] is not None
    ]


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


def stationary_metrics(stationary: dict) -> dict[str, float]:
    """The measured spread E‖P − P_MLE‖² of the stationary chains, if any stayed positive definite."""
    return {"spread": stationary["spread_measured"]} if "spread_measured" in stationary else {}
