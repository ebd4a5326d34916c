"""REPORT.md's context: every number and fact its template (templates/report.md) states, read
from the compute stages' data, with each derived fact from nndl.numerics.findings."""

from __future__ import annotations

import math

from nndl.numerics import findings, precision
from nndl.pipeline.io import read_curve, read_json, read_points
from nndl.pipeline.params import Params
from nndl.pipeline.paths import (
    ASCENT_CONTOURS_FIGURE,
    ASCENT_CRITICAL,
    ASCENT_SEARCH,
    ASCENT_SEARCH_FIGURE,
    ASCENT_THEORY,
    ASCENT_VALUES_FIGURE,
    NETWORK_FIGURE,
    NETWORK_TANH_BOUNDS,
    SAMPLES,
    SGD_STATIONARY,
    SGD_SWEEP,
    SGD_SWEEP_FIGURE,
    ascent_run_path,
    label,
    network_curve_path,
    sgd_figure,
    sgd_run_path,
    start_name,
    trajectory_figure,
)
from nndl.presentation import prose
from nndl.presentation.summaries import sweep_metrics


def network_facts(params: Params) -> dict:
    """The tanh curves: the bound on |y1|, the largest |y1| plotted, and those still changing at
    an end of the plotted range, when there are points enough to tell."""
    n = params.network
    tanh = [s for s in n.weight_seeds if "tanh" in n.activations]
    curves = {s: read_curve(network_curve_path("tanh", s)) for s in tanh}
    enough = n.points >= findings.MIN_CURVE_POINTS
    return {
        "tanh_seeds": tanh,
        "tanh_bounds": read_json(NETWORK_TANH_BOUNDS) if tanh else {},
        "tanh_peaks": {s: max(abs(y) for _, y in curve) for s, curve in curves.items()},
        "tanh_enough_points": enough,
        "tanh_still": [s for s in tanh if enough and findings.changing_at_an_end(curves[s])],
        "network_figure": NETWORK_FIGURE.as_posix(),
    }


def discussion(runs: list[dict], points: list[dict], gap: float) -> str:
    """Sheet §2, 1(f): what the runs say about local and global maxima (templates/discussion.md),
    from the critical points' and the chosen runs' records."""
    maxima = [p for p in points if p["kind"] == "maximum"]
    top = max(p["f"] for p in maxima) if maxima else math.nan
    ends = [None if run["end_point"] is None else points[run["end_point"]] for run in runs]
    return prose.render(
        "discussion.md",
        points=points,
        runs=list(zip(range(1, len(runs) + 1), runs, ends, strict=True)),
        maxima=[(p, math.isclose(p["f"], top, rel_tol=1e-12)) for p in maxima],
        mirror_maxima=gap < 1e-12 and len(maxima) == 2,
        gap=gap,
        top=top,
        distinct=len(
            {r["end_point"] for r, end in zip(runs, ends, strict=True) if end and end["kind"] == "maximum"}
        ),
        reached=sum(end is not None and end["kind"] == "maximum" for end in ends),
        converged=sum(run["converged"] for run in runs),
        start_name=start_name,
    )


def ascent_facts(params: Params) -> dict:
    a, theory = params.ascent, read_json(ASCENT_THEORY)
    starts = range(1, len(a.starts) + 1)
    runs = [read_json(ascent_run_path(i)) for i in starts]
    facts = {
        "theory": theory,
        "search": {(r["start_index"], r["step_size"]): r for r in read_json(ASCENT_SEARCH)},
        "search_figure": ASCENT_SEARCH_FIGURE.as_posix(),
        "contours_figure": ASCENT_CONTOURS_FIGURE.as_posix(),
        "values_figure": ASCENT_VALUES_FIGURE.as_posix(),
        "trajectory_figures": [
            (i, s, trajectory_figure(i).as_posix()) for i, s in zip(starts, a.starts, strict=True)
        ],
        "ascent_discussion": discussion(runs, read_json(ASCENT_CRITICAL), theory["symmetry_gap"]).strip(),
        # the starts from which no candidate step converged: their run is the smallest step's
        "unconverged": [i for i, run in zip(starts, runs, strict=True) if not run["converged"]],
    }
    if "stability_bound" in theory:
        facts |= {
            # the local rate of the chosen steps that converged: a step that did not has no rate to show
            "chosen_steps": sorted({run["step_size"] for run in runs if run["converged"]}),
            "rates": [
                rate for rate, run in zip(theory["chosen_rates"], runs, strict=True) if run["converged"]
            ],
            "best_fixed_rate": findings.best_fixed_rate(theory["curvature_stiff"], theory["curvature_soft"]),
        }
    return facts


def sgd_facts(params: Params) -> dict:
    g, s = params.gaussian, params.sgd
    runs = {(lab, seed): read_json(sgd_run_path(lab, seed)) for _, lab, seed in s.runs()}
    points = read_points(SAMPLES)
    mle = precision.mle(precision.scatter(points, g.mean), len(points))
    return {
        "runs": runs,
        "mle_error": precision.squared_error(precision.inverse(g.cov), mle),
        "any_diverged": any(run["diverged_at"] is not None for run in runs.values()),
        "factors": findings.error_factors(runs, s.step_labels, s.init_seeds),
        "sgd_figure_paths": [(lab, sgd_figure(lab).as_posix()) for lab in s.step_labels],
    }


def sweep_facts(params: Params) -> dict:
    s, sweep = params.sgd, read_json(SGD_SWEEP)
    rows, steps = sweep["rows"], params.sgd_sweep.sheet_steps
    sheet = [(label(step), findings.grid_row(rows, step)) for step in steps]
    shown = [(lab, r) for lab, r in sheet if r is not None and r["median"] is not None]
    headline = sweep_metrics(rows)
    step = max(steps)
    lab, row = label(step), findings.grid_row(rows, step)
    below = None
    if row is not None and row["fraction_below_mle"] is not None and row["mean_eigenvalues"] is not None:
        below = {
            "label": lab,
            "row": row,
            "eta": step * (params.gaussian.n if s.gradient == "sum" else 1),
            "explained": findings.below_mle_is_explained(row, sweep),
        }
    return {
        "sweep": sweep,
        "best": findings.grid_row(rows, headline["best_step"]) if "best_step" in headline else None,
        "diverges_from": headline.get("diverges_from"),
        "sweep_figure": SGD_SWEEP_FIGURE.as_posix(),
        "sheet_rows": sheet,
        "best_sheet": min(shown, key=lambda lr: lr[1]["median"])[0] if shown else None,
        "shape": findings.sweep_shape(rows),
        "below": below,
    }


def stationary_facts(params: Params) -> dict:
    stat = read_json(SGD_STATIONARY)
    facts = {
        "stat": stat,
        "c": params.sgd_stationary,
        "stationary": stat["burn_in_deficit"] <= findings.MAX_BURN_IN_DEFICIT,
        "max_deficit": findings.MAX_BURN_IN_DEFICIT,
        "apart": None,
    }
    if "error" in stat and stat["spread_predicted"] is not None:
        facts["apart"] = findings.standard_errors_apart(
            stat["spread_measured"], stat["spread_predicted"], stat["spread_standard_error"]
        )
    return facts


def context(params: Params) -> dict:
    """Everything templates/report.md states."""
    p = params
    return {
        "n": p.network,
        "a": p.ascent,
        "af": p.ascent_figures,
        "gs": p.gaussian,
        "s": p.sgd,
        "w": p.sgd_sweep,
        **network_facts(p),
        **ascent_facts(p),
        **sgd_facts(p),
        **sweep_facts(p),
        **stationary_facts(p),
    }


def render(params: Params) -> str:
    return prose.render("report.md", **context(params))
