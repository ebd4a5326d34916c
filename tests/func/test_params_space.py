"""The whole params space the loader accepts: hypothesis draws params sets inside its bounds, at
small sizes, and runs every stage's computation and the report in this process. Each accepted
example must give every output, finite, non-negative where a quantity cannot be negative, and
a report whose claims its data support. The cases a search by hand found are explicit examples."""

from __future__ import annotations

import copy
import json
import math
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings

from nndl.numerics.findings import MAX_BURN_IN_DEFICIT, MIN_CURVE_POINTS
from nndl.pipeline import paths
from nndl.pipeline.params import parse_params, read_document
from tests.helpers import ROOT
from tests.inprocess import COMPUTE, FIGURES, REPORT, SUMMARIES, run_stages, stand_in_figures
from tests.strategies import documents

pytestmark = pytest.mark.func

COMMITTED = read_document(ROOT / "params.yaml")


def edited(**sections: dict) -> dict:
    """The committed params with some keys of some sections replaced: an explicit example."""
    doc = copy.deepcopy(COMMITTED)
    for section, keys in sections.items():
        doc[section] |= keys
    return doc


SMALL = {  # the committed params cut to the sizes of the drawn ones
    "gaussian": {"n": 50},
    "sgd": {"iterations": 200},
    "sgd_sweep": {"replicas": 3, "iterations": 100, "step_range": [1e-4, 1e-1], "steps_per_decade": 2},
    "sgd_stationary": {"replicas": 3, "burn_in": 100, "iterations": 100, "record_every": 10},
    "ascent": {"max_iterations": 200},
    "network": {"points": 60},
}
SMALL_FIGURES = {
    "sgd_figures": {"dpi": 20},
    "sgd_sweep_figures": {"dpi": 20},
    "ascent_figures": {"dpi": 20},
    "network_figures": {"dpi": 20},
}


def small(**sections: dict) -> dict:
    merged = {k: dict(v) for k, v in SMALL.items()}
    for section, keys in sections.items():
        merged[section] = merged.get(section, {}) | keys
    return edited(**merged)


EXAMPLES = [  # what adversarial runs found, each once a traceback, a wrong number or a wrong claim
    small(sgd_stationary={"step_size": 1e-320}),
    small(sgd_stationary={"step_size": 1.0e-16}),
    small(sgd_stationary={"step_size": 1.0e-30}),
    small(ascent={"step_sizes": [0.7, 1.0, 2.0]}),
    small(network={"points": 2}),
    small(sgd={"gradient": "sum"}),
    small(sgd={"step_sizes": [1e3]}),
]


def numbers(value: object) -> list[float]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in numbers(v)]
    if isinstance(value, list):
        return [x for v in value for x in numbers(v)]
    return [float(value)] if isinstance(value, int | float) and not isinstance(value, bool) else []


def check_outputs(root: Path, doc: dict) -> None:
    """Every output there, every number finite, what cannot be negative not negative, and the
    report's claims supported by the data."""
    params = parse_params(doc)
    expected = [
        root / paths.SAMPLES,
        *(root / paths.sgd_run_path(lab, s) for _, lab, s in params.sgd.runs()),
        *(root / paths.sgd_metrics_path(lab) for lab in params.sgd.step_labels),
        root / paths.SGD_MLE_METRICS,
        root / paths.SGD_OBJECTIVE_PLOT,
        root / paths.SGD_SWEEP,
        root / paths.SGD_STATIONARY,
        root / paths.SGD_STATIONARY_METRICS,
        *(root / paths.ascent_run_path(i) for i in range(1, len(params.ascent.starts) + 1)),
        root / paths.ASCENT_SEARCH,
        root / paths.ASCENT_THEORY,
        *(
            root / paths.network_curve_path(a, s)
            for a in params.network.activations
            for s in params.network.weight_seeds
        ),
        root / paths.REPORT,
        root / paths.REPORT_HTML,
    ]
    missing = [p.relative_to(root).as_posix() for p in expected if not p.is_file()]
    assert not missing, missing
    for path in root.rglob("*.json"):
        assert all(math.isfinite(x) for x in numbers(json.loads(path.read_text()))), path
    for _, lab, s in params.sgd.runs():
        fit = json.loads((root / paths.sgd_run_path(lab, s)).read_text())
        assert fit["error"] >= 0 and fit["initial_error"] >= 0
    stat = json.loads((root / paths.SGD_STATIONARY).read_text())
    assert stat["spread_predicted"] is None or stat["spread_predicted"] >= 0
    assert 0.0 <= stat["burn_in_deficit"] <= 1.0
    assert stat.get("spread_measured", 0.0) >= 0.0 and stat.get("spread_standard_error", 0.0) >= 0.0
    sweep = json.loads((root / paths.SGD_SWEEP).read_text())
    for row in sweep["rows"]:
        assert all(row[q] is None or row[q] >= 0 for q in ("q10", "median", "q90"))
    report = (root / paths.REPORT).read_text()
    assert not re.search(r"\b(?:nan|inf)\b", report, flags=re.I)
    medians = [r["median"] for r in sweep["rows"] if r["median"] is not None]
    if "The error is U-shaped" in report:
        low = medians.index(min(medians))
        assert 0 < low < len(medians) - 1 and medians[0] > medians[low] < medians[-1]
    for lab in params.sgd.step_labels:
        row = json.loads((root / paths.sgd_metrics_path(lab)).read_text())
        fits = {s: json.loads((root / paths.sgd_run_path(lab, s)).read_text()) for s in params.sgd.init_seeds}
        assert row == {f"seed{s}": fit["error"] for s, fit in fits.items()}
    if params.network.points < MIN_CURVE_POINTS:
        assert "still change at an end" not in report and "levels off towards both ends" not in report
    if "give its stationary distribution" in report:
        assert stat["burn_in_deficit"] <= MAX_BURN_IN_DEFICIT
    runs = [
        json.loads((root / paths.ascent_run_path(i)).read_text())
        for i in range(1, len(params.ascent.starts) + 1)
    ]
    if "every start ended at the same maximum" in report:
        assert all(r["converged"] and r["end_point"] is not None for r in runs)
    if "each run found a global maximum" in report:
        assert all(r["converged"] for r in runs)
    if any(not r["converged"] for r in runs):
        assert "at the chosen step" not in report or any(r["converged"] for r in runs)


def run_and_check(doc: dict, stages: tuple[str, ...]) -> None:
    params = parse_params(doc)  # inside the loader's bounds: accepted
    with tempfile.TemporaryDirectory() as tmp:
        if not set(FIGURES) & set(stages):  # REPORT.html embeds the figures: stand-ins, not drawn
            stand_in_figures(params, Path(tmp))
        run_stages(params, Path(tmp), stages)
        check_outputs(Path(tmp), doc)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(doc=documents())
@pytest.mark.parametrize("explicit", [None])
def test_every_accepted_params_set_gives_complete_finite_true_outputs(doc: dict, explicit: None) -> None:
    run_and_check(doc, COMPUTE + SUMMARIES + REPORT)


@pytest.mark.parametrize(
    "doc",
    EXAMPLES,
    ids=[
        "stationary 1e-320",
        "stationary 1e-16",
        "stationary 1e-30",
        "no ascent step converges",
        "two network points",
        "sum gradient",
        "step 1e3",
    ],
)
def test_the_cases_found_by_hand_give_complete_finite_true_outputs(doc: dict) -> None:
    run_and_check(doc, COMPUTE + SUMMARIES + REPORT)


@settings(
    max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(doc=documents())
@example(doc=small(ascent={"step_sizes": [0.7, 1.0, 2.0]}, **SMALL_FIGURES))
@example(doc=small(sgd={"step_sizes": [1e3]}, **SMALL_FIGURES))
def test_every_accepted_params_set_draws_every_figure(doc: dict) -> None:
    run_and_check(doc, COMPUTE + SUMMARIES + FIGURES + REPORT)
