"""The pipeline as a user drives it, in a temporary copy of the repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nndl.pipeline.tidy import tidy
from tests.bad_params import Bad, apply, representative
from tests.helpers import (
    OUTPUTS,
    ROOT,
    changed,
    dvc,
    git,
    make_repro,
    project_files,
    repro,
    run_env,
    set_params,
    snapshot,
)

pytestmark = pytest.mark.func

SEEDS = (1, 2, 3)
FITS = [f"sgd_fit@{step}-{seed}" for step in ("1e-05", "0.0001", "0.001") for seed in SEEDS]
COMPUTE = ["validate", "samples", *FITS, "sgd_sweep", "sgd_stationary", "ascent", "network"]
PRESENTATION = [
    "sgd_summary",
    *(f"sgd_figures@{step}" for step in ("1e-05", "0.0001", "0.001")),
    "sgd_sweep_figures",
    "sgd_stationary_summary",
    "ascent_figures",
    "network_figures",
    "report",
]


def test_repro_from_scratch_runs_every_stage_and_gives_the_committed_results(built_repo: Path) -> None:
    ran = json.loads((built_repo.parent / "ran.json").read_text())  # the fixture's run from scratch
    assert ran[:2] == ["validate", "samples"]
    assert sorted(ran) == sorted(COMPUTE + PRESENTATION)
    tracked_outputs = [p for p in project_files() if p.startswith(OUTPUTS)]
    for rel in ["dvc.lock", *tracked_outputs]:
        assert (built_repo / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    assert "plots/network.png" in tracked_outputs and "REPORT.md" in tracked_outputs
    assert not any(p.startswith("data/") for p in tracked_outputs)  # DVC's cache holds data/


def test_second_repro_runs_nothing(repo: Path) -> None:
    assert repro(repo).ran == []
    assert "up to date" in dvc(repo, "status").stdout


STEP_CHANGE = ("step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: [1.0e-5, 2.0e-4, 1.0e-3]")
NEW_FITS = [f"sgd_fit@0.0002-{s}" for s in SEEDS]
OLD_FITS = [f"sgd_fit@0.0001-{s}" for s in SEEDS]


def test_changing_one_step_size_reruns_only_its_fits_and_what_shows_them(repo: Path) -> None:
    before = snapshot(repo)
    set_params(repo, *STEP_CHANGE)
    ran = repro(repo).ran
    assert sorted(ran) == sorted(["validate", *NEW_FITS, "sgd_summary", "sgd_figures@0.0002", "report"])
    after = snapshot(repo)
    assert {p for p in changed(before, after) if p.startswith(("metrics/", "plots/"))} == {
        "metrics/sgd/0.0001.json",
        "metrics/sgd/0.0002.json",
        "plots/sgd/0.0002.png",
        "plots/sgd_objective.csv",
    }
    # DVC keeps the removed step size's figure, fits and lock entries; the tidying drops them
    assert (repo / "plots/sgd/0.0001.png").exists() and (repo / "data/sgd/0.0001/1.json").exists()
    tidy(repo)
    assert not (repo / "plots/sgd/0.0001.png").exists() and not (repo / "data/sgd/0.0001").exists()


def test_going_back_to_params_that_ran_restores_the_fits_from_the_run_cache(repo: Path) -> None:
    before = snapshot(repo)
    set_params(repo, *STEP_CHANGE)
    make_repro(repo)
    # `make repro` drops the old step size's lock entries and fits, which DVC keeps
    assert "sgd_fit@0.0001-1" not in (repo / "dvc.lock").read_text()
    assert not (repo / "data/sgd/0.0001/1.json").exists()
    git(repo, "checkout", "--", "params.yaml")
    back = make_repro(repo)
    assert back.returncode == 0, back.stderr
    cached = [line.split("'")[1] for line in back.stdout.splitlines() if "is cached" in line]
    ran = [line.split("'")[1] for line in back.stdout.splitlines() if line.startswith("Running stage")]
    assert sorted(cached) == sorted(["validate", *OLD_FITS])
    assert sorted(ran) == sorted(["sgd_summary", "sgd_figures@0.0001", "report"])
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""


def test_a_users_matplotlibrc_changes_no_figure(repo: Path, tmp_path: Path) -> None:
    rc = tmp_path / "matplotlibrc"
    rc.write_text("axes.prop_cycle: cycler('color', ['ff0000', '00ff00', '0000ff'])\nfont.size: 30\n")
    before = snapshot(repo)
    for stage in (["sgd_figures", "--step", "0.001"], ["network_figures"]):  # without pyplot, and with it
        cmd = [sys.executable, "-m", f"stages.{stage[0]}", *stage[1:]]
        subprocess.run(
            cmd, cwd=repo, env=run_env() | {"MATPLOTLIBRC": str(rc)}, check=True, capture_output=True
        )
    assert changed(before, snapshot(repo)) == set()


def test_a_figure_changed_by_hand_is_drawn_again(repo: Path) -> None:
    committed = (repo / "plots/sgd/0.001.png").read_bytes()
    (repo / "plots/sgd/0.001.png").write_bytes(b"not the figure")
    assert repro(repo).ran == ["sgd_figures@0.001"]  # the report's inputs are as before again
    assert (repo / "plots/sgd/0.001.png").read_bytes() == committed
    assert git(repo, "status", "--porcelain") == ""


def presented(files: dict[str, bytes]) -> dict[str, bytes]:
    """What the presentation stages write, and git tracks."""
    return {p: d for p, d in files.items() if not p.startswith("data/")}


# a handful of the table's rows through the dvc command line, as a user meets them: each way
# of reading the file goes wrong once (the loader's tests take every row)
CLI_BAD = representative()


@pytest.mark.parametrize("bad", CLI_BAD, ids=[f"{b.key}:{b.new.strip()[:30] or 'removed'}" for b in CLI_BAD])
def test_bad_params_stop_repro_with_one_line_and_touch_no_output(repo: Path, bad: Bad) -> None:
    before = snapshot(repo)
    params = repo / "params.yaml"
    params.write_text(apply(params.read_text(), bad))
    # YAML that DVC cannot read itself stops a plain `dvc repro` with DVC's own message;
    # `make repro` checks params.yaml first (docs/robustness.md)
    file_level = bad.key.startswith("line")
    proc = make_repro(repo) if file_level else dvc(repo, "repro", check=False)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: params.yaml")]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith(f"error: params.yaml: {bad.key}") and bad.reason in errors[0]
    assert changed(presented(before), presented(snapshot(repo))) == {"params.yaml"}
    # with the value put right, `dvc checkout` brings back what DVC removed of data/ before the
    # stage that stopped (`make repro` does so itself)
    git(repo, "checkout", "--", "params.yaml")
    dvc(repo, "checkout")
    assert changed(before, snapshot(repo)) == set()
