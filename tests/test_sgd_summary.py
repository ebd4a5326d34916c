"""The SGD summary's plot data: the sheet's curves as before, any run's at most 2,000 points;
and what decides that a step size's figure is drawn again."""

from __future__ import annotations

from pathlib import Path

import pytest

from nndl import precision
from nndl.paths import sgd_run_path
from stages import sgd_summary
from stages.sgd_summary import MAX_PLOT_POINTS, drawing_code_digest, figure_key, plot_points
from tests.helpers import PARAMS, ROOT


def test_the_sheets_curve_is_thinned_by_plot_every_alone() -> None:
    run = {"objective": [float(i) for i in range(10_001)]}
    points = plot_points(run, 10)
    assert [i for i, _ in points] == list(range(0, 10_001, 10))
    assert all(v == float(i) for i, v in points)


def test_a_long_exact_curve_is_thinned_to_the_bound_with_its_last_point() -> None:
    run = {"objective": [float(i) for i in range(20_001)]}
    points = plot_points(run, 1)
    assert len(points) <= MAX_PLOT_POINTS + 1 and points[-1] == (20_000, 20_000.0)


def test_an_envelope_gives_each_buckets_last_value_at_its_last_iteration() -> None:
    env = precision.Envelope(5_000)
    env.extend([float(i) for i in range(10_000_001)])
    points = plot_points({"objective_envelope": env.record()}, 10)
    assert len(points) == 2_001 <= MAX_PLOT_POINTS + 1
    assert points[0] == (4_999, 4_999.0) and points[-1] == (10_000_000, 10_000_000.0)


def test_a_figures_key_changes_with_its_fits_params_mle_and_drawing_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code = tmp_path / "drawing.py"
    code.write_text("v1")
    monkeypatch.setattr(sgd_summary, "STAGE_CODE", [code])
    step = PARAMS.sgd.step_labels[0]
    for seed in PARAMS.sgd.init_seeds:
        sgd_run_path(step, seed).parent.mkdir(parents=True, exist_ok=True)
        sgd_run_path(step, seed).write_text(f"fit {seed}")
    key = figure_key(step, PARAMS, -1.0, drawing_code_digest())
    assert figure_key(step, PARAMS, -1.0, drawing_code_digest()) == key
    sgd_run_path(step, PARAMS.sgd.init_seeds[-1]).write_text("another fit")
    assert figure_key(step, PARAMS, -1.0, drawing_code_digest()) != key
    key = figure_key(step, PARAMS, -1.0, drawing_code_digest())
    other_dpi = PARAMS._replace(sgd_figures=PARAMS.sgd_figures._replace(dpi=99))
    assert figure_key(step, other_dpi, -1.0, drawing_code_digest()) != key
    assert figure_key(step, PARAMS, -1.5, drawing_code_digest()) != key
    code.write_text("v2")
    assert figure_key(step, PARAMS, -1.0, drawing_code_digest()) != key


def test_the_figures_key_covers_every_module_dvc_lists_for_the_stage() -> None:
    import yaml

    deps = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]["sgd_summary"]["deps"]
    code = {d for d in deps if d.endswith((".py", ".sh"))}
    assert {p.relative_to(ROOT).as_posix() for p in sgd_summary.STAGE_CODE} == code
