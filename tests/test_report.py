"""REPORT.md against the results it is built from: every sheet "Report" item is there, its
numbers equal the metrics to the digits it prints, and every image it links exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nndl.paths import label, run_key
from tests.helpers import PARAMS, ROOT

REPORT = (ROOT / "REPORT.md").read_text(encoding="utf-8")
SGD = json.loads((ROOT / "metrics/sgd.json").read_text())
ASCENT = json.loads((ROOT / "metrics/ascent.json").read_text())
SWEEP = json.loads((ROOT / "data/sgd_sweep.json").read_text())
SWEEP_METRICS = json.loads((ROOT / "metrics/sgd_sweep.json").read_text())
STATIONARY = json.loads((ROOT / "data/sgd_stationary.json").read_text())


def section(title: str) -> str:
    """The text from a heading to the next heading of the same or a higher level."""
    m = re.search(rf"^(#+) {re.escape(title)}.*$", REPORT, flags=re.M)
    assert m, f"missing section {title!r}"
    level = len(m.group(1))
    rest = REPORT[m.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.M)
    return rest[: end.start()] if end else rest


def images(text: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)


def test_every_linked_image_exists_and_links_are_relative() -> None:
    links = images(REPORT)
    assert links
    for link in links:
        assert not link.startswith(("/", "http")), link
        assert (ROOT / link).is_file(), link


def test_report_items_of_the_sheet_are_all_present() -> None:
    # §1: the nine network plots
    assert images(section("Computer assignment: network responses")) == ["plots/network.png"]
    ca1 = section("Computer assignment 1")
    # §2.1(d): one contour plot with a trajectory per start; (e) one figure of the three curves
    assert ["plots/ascent/ascent_search.png"] + [
        f"plots/ascent/ascent_{i}.png" for i in range(1, len(PARAMS.ascent.starts) + 1)
    ] + ["plots/ascent/ascent_values.png"] == images(ca1)
    # §2.1(f): the discussion
    assert "global maxima" in ca1 and "local" in ca1
    # §2.2(b): one figure per step size; (c): the nine errors
    ca2 = section("Computer assignment 2")
    assert images(ca2) == [f"plots/sgd/{lab}.png" for lab in PARAMS.sgd.step_labels] + ["plots/sgd_sweep.png"]
    assert "| step size |" in ca2


def test_every_mathematical_exercise_has_a_solution() -> None:
    s1 = section("1 Basic definitions")
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
    s2 = section("2 Optimization")
    for k in range(1, 10):
        assert re.search(rf"^\*\*{k}\. ", s2, flags=re.M), f"optimization exercise {k}"


def table_cell(step_label: str, column: int) -> str:
    row = re.search(rf"^\| {re.escape(step_label)} \|(.*)\|$", section("Computer assignment 2"), flags=re.M)
    assert row, step_label
    return row.group(1).split("|")[column].strip()


@pytest.mark.parametrize(("step_label", "seed"), [(lab, s) for _, lab, s in PARAMS.sgd.runs()])
def test_error_table_equals_the_metrics_to_the_printed_digits(step_label: str, seed: int) -> None:
    cell = table_cell(step_label, PARAMS.sgd.init_seeds.index(seed)).split(" ")[0]
    value = SGD[f"error_{run_key(step_label, seed)}"]
    assert float(cell) == float(f"{value:.6g}")
    assert len(cell.replace(".", "").lstrip("0")) <= 6


def test_mle_floor_equals_the_metric() -> None:
    assert f"has error {SGD['mle_error']:.6g}." in section("Computer assignment 2")


def test_ascent_numbers_equal_the_metrics() -> None:
    ca1 = section("Computer assignment 1")
    for i in range(1, len(PARAMS.ascent.starts) + 1):
        if ASCENT[f"converged_start{i}"]:
            line = f"step {ASCENT[f'step_size_start{i}']:g}: {ASCENT[f'iterations_start{i}']} iterations"
            assert line in ca1
            assert f"f = {ASCENT[f'f_start{i}']:.6f}." in ca1


def test_a_name_the_template_uses_but_the_context_lacks_is_an_error() -> None:
    import jinja2

    from nndl import prose

    with pytest.raises(jinja2.UndefinedError):
        prose.render("report.md")


def test_readme_shows_the_current_pipeline_graph(tmp_path: Path) -> None:
    from tests.helpers import copy_project, dvc

    dag = dvc(copy_project(tmp_path / "repo"), "dag", "--md").stdout.strip()  # dvc writes in .dvc/tmp
    assert dag in (ROOT / "README.md").read_text(encoding="utf-8")


def test_no_run_diverged_so_the_report_does_not_explain_divergence() -> None:
    assert not any(k.startswith("diverged_at_") for k in SGD)
    assert "diverged" not in section("Computer assignment 2").split("**(d)")[0]


def test_the_step_size_theory_prints_the_metrics() -> None:
    ca1 = section("Computer assignment 1")
    assert f"$2/|\\lambda_{{max}}| = {ASCENT['stability_bound']:.5f}$" in ca1
    assert f"= {ASCENT['best_fixed_step']:.4f}$" in ca1
    assert f"$1/|\\lambda_{{max}}| = {ASCENT['overshoot_step']:.4f}$" in ca1
    assert f"{ASCENT['local_rate_start1']:.4f}" in ca1
    bracket = (
        f"{ASCENT['last_step_converging_from_every_start']:g} converges from every start, "
        f"{ASCENT['next_step_tried']:g} does not"
    )
    assert bracket in ca1
    assert (
        ASCENT["last_step_converging_from_every_start"]
        < ASCENT["stability_bound"]
        < ASCENT["next_step_tried"]
    )


def test_the_sweep_and_the_stationary_numbers_are_the_datas() -> None:
    ca2 = section("Computer assignment 2")
    rows = {r["step_size"]: r for r in SWEEP["rows"]}
    for step in PARAMS.sgd_sweep.sheet_steps:
        assert f"- step {label(step)}: median error {rows[step]['median']:.3g} " in ca2
    assert (
        f"smallest at step {SWEEP_METRICS['best_step']:g} ({SWEEP_METRICS['best_median_error']:.3g})" in ca2
    )
    assert f"from step {SWEEP_METRICS['smallest_diverging_step']:.3g} some replicas diverge" in ca2
    share = rows[max(PARAMS.sgd_sweep.sheet_steps)]["fraction_below_mle"]
    assert f"{100 * share:.0f} % of the {PARAMS.sgd_sweep.replicas} replicas end with an error below" in ca2
    e = STATIONARY["error"]
    assert f"has mean {e['mean']:.4g}, standard deviation {e['std']:.3g}, median {e['median']:.4g}" in ca2
    assert (
        f"= {STATIONARY['spread_predicted']:.4g}$; the chains measure {STATIONARY['spread_measured']:.4g}"
        in ca2
    )


def test_the_factors_by_which_the_error_fell_are_the_runs() -> None:
    ca2 = section("Computer assignment 2")
    for lab in PARAMS.sgd.step_labels:
        factors = []
        for seed in PARAMS.sgd.init_seeds:
            fit = (
                json.loads((ROOT / f"data/sgd/{lab}_{seed}.json").read_text())
                if (ROOT / f"data/sgd/{lab}_{seed}.json").exists()
                else None
            )
            if fit is None:
                pytest.skip("the fits are in DVC's cache: run `make repro` first")
            factors.append(fit["initial_error"] / SGD[f"error_{run_key(lab, seed)}"])
        assert f"- step {lab}: the error fell by a factor of {min(factors):.3g} to {max(factors):.3g}" in ca2


def test_the_readme_states_the_overshoot_and_stability_steps_of_f() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"1/|λ_max| ≈ {ASCENT['overshoot_step']:.2f}" in readme
    assert f"2/|λ_max| ≈ {ASCENT['stability_bound']:.2f}" in readme


def test_a_step_off_the_sweeps_grid_has_no_row_and_the_sheets_steps_have_theirs() -> None:
    from nndl.findings import grid_row

    assert grid_row(SWEEP["rows"], 2.0e-4) is None
    for step in PARAMS.sgd_sweep.sheet_steps:
        assert grid_row(SWEEP["rows"], step)["step_size"] == pytest.approx(step, rel=1e-9)
