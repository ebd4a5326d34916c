"""Stage `report`: REPORT.md, the whole written submission, from the template and the results.

Every sentence is in nndl/templates/report.md (Jinja2); this stage gathers what the
sentences state, each number from the metrics and data files and each derived fact from
nndl/findings.py.
"""

from __future__ import annotations

from nndl import findings, prose
from nndl.cli import run_stage
from nndl.io import read_curve, read_json, write_text
from nndl.params import Params
from nndl.paths import (
    ASCENT_DISCUSSION,
    ASCENT_METRICS,
    ASCENT_SEARCH,
    ASCENT_SEARCH_FIGURE,
    ASCENT_THEORY,
    REPORT,
    SGD_METRICS,
    SGD_STATIONARY,
    SGD_SWEEP,
    SGD_SWEEP_FIGURE,
    SGD_SWEEP_METRICS,
    label,
    network_curve_path,
    run_key,
    sgd_figure,
    sgd_run_path,
    trajectory_figure,
)


def network_facts(params: Params) -> dict:
    """The tanh curves, and those still changing at an end of the plotted range."""
    n = params.network
    tanh = [s for s in n.weight_seeds if "tanh" in n.activations]
    still = [s for s in tanh if findings.changing_at_an_end(read_curve(network_curve_path("tanh", s)))]
    return {"tanh_seeds": tanh, "tanh_still": still}


def ascent_facts(params: Params) -> dict:
    a, am = params.ascent, read_json(ASCENT_METRICS)
    starts = range(1, len(a.starts) + 1)
    facts = {
        "am": am,
        "theory": read_json(ASCENT_THEORY),
        "search": {(r["start_index"], r["step_size"]): r for r in read_json(ASCENT_SEARCH)},
        "search_figure": ASCENT_SEARCH_FIGURE.as_posix(),
        "trajectory_figures": [
            (i, s, trajectory_figure(i).as_posix()) for i, s in zip(starts, a.starts, strict=True)
        ],
        "ascent_discussion": ASCENT_DISCUSSION.read_text(encoding="utf-8").strip(),
    }
    if "stability_bound" in am:
        facts |= {
            "chosen_steps": sorted({am[f"step_size_start{i}"] for i in starts}),
            "rates": [am[f"local_rate_start{i}"] for i in starts],
            "best_fixed_rate": findings.best_fixed_rate(am["curvature_stiff"], am["curvature_soft"]),
        }
    return facts


def sgd_facts(params: Params) -> dict:
    s, sgd = params.sgd, read_json(SGD_METRICS)
    runs = {(lab, seed): read_json(sgd_run_path(lab, seed)) for _, lab, seed in s.runs()}
    return {
        "sgd": sgd,
        "runs": runs,
        "run_key": run_key,
        "any_diverged": any(k.startswith("diverged_at_") for k in sgd),
        "factors": findings.error_factors(sgd, runs, s.step_labels, s.init_seeds, run_key),
        "sgd_figure_paths": [(lab, sgd_figure(lab).as_posix()) for lab in s.step_labels],
    }


def sweep_facts(params: Params) -> dict:
    s, sweep, sweep_metrics = params.sgd, read_json(SGD_SWEEP), read_json(SGD_SWEEP_METRICS)
    rows, steps = sweep["rows"], params.sgd_sweep.sheet_steps
    sheet = [(label(step), findings.grid_row(rows, step)) for step in steps]
    shown = [(lab, r) for lab, r in sheet if r is not None and r["median"] is not None]
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
        "sweep_metrics": sweep_metrics,
        "sweep_figure": SGD_SWEEP_FIGURE.as_posix(),
        "sheet_rows": sheet,
        "best_sheet": min(shown, key=lambda lr: lr[1]["median"])[0] if shown else None,
        "shape": findings.sweep_shape(rows),
        "below": below,
    }


def stationary_facts(params: Params) -> dict:
    stat = read_json(SGD_STATIONARY)
    facts = {"stat": stat, "c": params.sgd_stationary}
    if "error" in stat:
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


def main(params: Params) -> None:
    write_text(REPORT, prose.render("report.md", **context(params)))


if __name__ == "__main__":
    run_stage(main)
