"""REPORT.md against the results it is built from, in the repository reproduced from scratch:
every sheet "Report" item is there, its numbers equal the data to the digits it prints, and
every image it links exists; REPORT.html is the committed one (its text against REPORT.md:
tests/test_report_html.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nndl.pipeline.paths import label
from tests.helpers import PARAMS, ROOT

pytestmark = pytest.mark.func


@pytest.fixture(scope="module")
def built(built_repo: Path) -> dict:
    """The reproduced repository's report and the data it states."""

    def read(rel: str):
        return json.loads((built_repo / rel).read_text())

    return {
        "root": built_repo,
        "report": (built_repo / "REPORT.md").read_text(encoding="utf-8"),
        "fits": {(lab, s): read(f"data/sgd/{lab}/{s}.json") for _, lab, s in PARAMS.sgd.runs()},
        "mle_error": read("metrics/sgd/mle.json")["mle_error"],
        "runs": [read(f"data/ascent/{i}.json") for i in range(1, len(PARAMS.ascent.starts) + 1)],
        "theory": read("data/ascent/theory.json"),
        "sweep": read("data/sgd_sweep.json"),
        "sweep_metrics": read("metrics/sgd_sweep.json"),
        "stationary": read("data/sgd_stationary.json"),
    }


def test_the_committed_report_is_the_reproduced_one(built: dict) -> None:
    assert (ROOT / "REPORT.md").read_text(encoding="utf-8") == built["report"]


def test_the_committed_page_is_the_reproduced_one_byte_for_byte(built: dict) -> None:
    # REPORT.html is tracked in dvc.lock: a run from scratch gives exactly its bytes
    assert (ROOT / "REPORT.html").read_bytes() == (built["root"] / "REPORT.html").read_bytes()


def section(report: str, title: str) -> str:
    """The text from a heading to the next heading of the same or a higher level."""
    m = re.search(rf"^(#+) {re.escape(title)}.*$", report, flags=re.M)
    assert m, f"missing section {title!r}"
    level = len(m.group(1))
    rest = report[m.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.M)
    return rest[: end.start()] if end else rest


def images(text: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)


def test_every_linked_image_exists_and_links_are_relative(built: dict) -> None:
    links = images(built["report"])
    assert links
    for link in links:
        assert not link.startswith(("/", "http")), link
        assert (built["root"] / link).is_file(), link


def test_report_items_of_the_sheet_are_all_present(built: dict) -> None:
    report = built["report"]
    # §1: the nine network plots
    assert images(section(report, "Computer assignment: network responses")) == ["plots/network.png"]
    ca1 = section(report, "Computer assignment 1")
    # §2.1(a) the contour plot (in each trajectory figure), (c) the search, (d) one contour plot
    # with a trajectory per start, (e) one figure of the three curves
    trajectories = [f"plots/ascent/ascent_{i}.png" for i in range(1, len(PARAMS.ascent.starts) + 1)]
    figures = ["plots/ascent/contours.png", "plots/ascent/ascent_search.png", *trajectories]
    assert images(ca1) == [*figures, "plots/ascent/ascent_values.png"]
    # §2.1(f): the discussion
    assert "global maxima" in ca1 and "local" in ca1
    # §2.2(b): one figure per step size; (c): the nine errors
    ca2 = section(report, "Computer assignment 2")
    assert images(ca2) == [f"plots/sgd/{lab}.png" for lab in PARAMS.sgd.step_labels] + ["plots/sgd_sweep.png"]
    assert "| step size |" in ca2


def test_every_mathematical_exercise_has_a_solution(built: dict) -> None:
    s1 = section(built["report"], "1 Basic definitions")
    for item in (
        "**1. The leaky ReLU**",
        "(a) With",
        "(b) With",
        "(c) Claim",
        "**2. tanh",
        "**3. A linear network**",
    ):
        assert item in s1, item
    assert all(f"({x}) $\\mathbf{{g}}$ is" in s1 or f"({x}) $\\det" in s1 for x in "abc")
    s2 = section(built["report"], "2 Optimization")
    for k in range(1, 10):
        assert re.search(rf"^\*\*{k}\. ", s2, flags=re.M), f"optimization exercise {k}"


def table_cell(report: str, step_label: str, column: int) -> str:
    ca2 = section(report, "Computer assignment 2")
    row = re.search(rf"^\| {re.escape(step_label)} \|(.*)\|$", ca2, flags=re.M)
    assert row, step_label
    return row.group(1).split("|")[column].strip()


def test_error_table_equals_the_fits_to_the_printed_digits(built: dict) -> None:
    for (lab, seed), fit in built["fits"].items():
        cell = table_cell(built["report"], lab, PARAMS.sgd.init_seeds.index(seed)).split(" ")[0]
        assert float(cell) == float(f"{fit['error']:.6g}")
        assert len(cell.replace(".", "").lstrip("0")) <= 6


def test_the_error_metrics_are_the_fits(built: dict) -> None:
    for lab in PARAMS.sgd.step_labels:
        row = json.loads((built["root"] / f"metrics/sgd/{lab}.json").read_text())
        assert row == {f"seed{s}": built["fits"][lab, s]["error"] for s in PARAMS.sgd.init_seeds}


def test_mle_floor_equals_the_metric(built: dict) -> None:
    assert f"has error {built['mle_error']:.6g}." in section(built["report"], "Computer assignment 2")


def test_ascent_numbers_equal_the_runs(built: dict) -> None:
    ca1 = section(built["report"], "Computer assignment 1")
    for run in built["runs"]:
        assert run["converged"]
        assert f"step {run['step_size']:g}: {run['iterations']} iterations" in ca1
        assert f"f = {run['values'][-1]:.6f}." in ca1


def test_a_name_the_template_uses_but_the_context_lacks_is_an_error() -> None:
    import jinja2

    from nndl.presentation import prose

    with pytest.raises(jinja2.UndefinedError):
        prose.render("report.md")


def test_no_run_diverged_so_the_report_does_not_explain_divergence(built: dict) -> None:
    assert all(fit["diverged_at"] is None for fit in built["fits"].values())
    assert "diverged" not in section(built["report"], "Computer assignment 2").split("**Beyond the sheet")[0]


def test_the_step_size_theory_prints_the_data(built: dict) -> None:
    ca1, theory = section(built["report"], "Computer assignment 1"), built["theory"]
    assert f"$2/|\\lambda_{{max}}| = {theory['stability_bound']:.5f}$" in ca1
    assert f"= {theory['best_fixed_step']:.4f}$" in ca1
    assert f"$1/|\\lambda_{{max}}| = {theory['overshoot_step']:.4f}$" in ca1
    assert f"{theory['chosen_rates'][0]:.4f}" in ca1
    last, next_tried = theory["last_step_converging_from_every_start"], theory["next_step_tried"]
    assert f"{last:g} converges from every start, {next_tried:g} does not" in ca1
    assert last < theory["stability_bound"] < next_tried


def test_the_sweep_and_the_stationary_numbers_are_the_datas(built: dict) -> None:
    ca2, sweep, stationary = (
        section(built["report"], "Computer assignment 2"),
        built["sweep"],
        built["stationary"],
    )
    rows = {r["step_size"]: r for r in sweep["rows"]}
    for step in PARAMS.sgd_sweep.sheet_steps:
        assert f"- step {label(step)}: median error {rows[step]['median']:.3g} " in ca2
    best = rows[built["sweep_metrics"]["best_step"]]
    assert f"smallest at step {best['step_size']:g} ({best['median']:.3g})" in ca2
    assert f"from step {built['sweep_metrics']['diverges_from']:.3g} some replicas diverge" in ca2
    share = rows[max(PARAMS.sgd_sweep.sheet_steps)]["fraction_below_mle"]
    assert f"{100 * share:.0f} % of the {PARAMS.sgd_sweep.replicas} replicas end with an error below" in ca2
    e = stationary["error"]
    assert f"has mean {e['mean']:.4g}, standard deviation {e['std']:.3g}, median {e['median']:.4g}" in ca2
    assert (
        f"= {stationary['spread_predicted']:.4g}$; the chains measure {stationary['spread_measured']:.4g}"
        in ca2
    )


def test_the_factors_by_which_the_error_fell_are_the_runs(built: dict) -> None:
    ca2 = section(built["report"], "Computer assignment 2")
    for lab in PARAMS.sgd.step_labels:
        fits = [built["fits"][lab, seed] for seed in PARAMS.sgd.init_seeds]
        factors = [fit["initial_error"] / fit["error"] for fit in fits]
        assert f"- step {lab}: the error fell by a factor of {min(factors):.3g} to {max(factors):.3g}" in ca2


def test_a_step_off_the_sweeps_grid_has_no_row_and_the_sheets_steps_have_theirs(built: dict) -> None:
    from nndl.numerics.findings import grid_row

    assert grid_row(built["sweep"]["rows"], 2.0e-4) is None
    for step in PARAMS.sgd_sweep.sheet_steps:
        assert grid_row(built["sweep"]["rows"], step)["step_size"] == pytest.approx(step, rel=1e-9)
