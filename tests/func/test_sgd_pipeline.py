"""The pipeline as a user drives it, in a temporary copy of the repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nndl.paths import SGD_FIGURE_MEMO
from tests.bad_params import Bad, apply, representative
from tests.helpers import (
    OUTPUTS,
    ROOT,
    changed,
    dvc,
    git,
    make_repro,
    project_files,
    reproduce,
    run_env,
    set_params,
    snapshot,
    undo_and_repro_give_back,
)

pytestmark = pytest.mark.func

SEEDS = (1, 2, 3)
FITS = [f"sgd_fit@{step}-{seed}" for step in ("1e-05", "0.0001", "0.001") for seed in SEEDS]


def test_repro_from_scratch_runs_every_stage_and_gives_the_committed_results(built_repo: Path) -> None:
    ran = json.loads((built_repo.parent / "ran.json").read_text())  # the fixture's run from scratch
    assert ran[:2] == ["validate", "samples"]
    assert sorted(ran) == sorted(
        [
            "validate",
            "samples",
            *FITS,
            "sgd_summary",
            "sgd_sweep",
            "sgd_stationary",
            "sgd_sweep_figures",
            "ascent",
            "ascent_figures",
            "network",
            "network_figures",
            "report",
        ]
    )
    tracked_outputs = [p for p in project_files() if p.startswith(OUTPUTS) and not p.endswith(".gitignore")]
    for rel in ["dvc.lock", *tracked_outputs]:
        assert (built_repo / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    assert "plots/network.png" in tracked_outputs and "REPORT.md" in tracked_outputs


def test_second_repro_runs_nothing(repo: Path) -> None:
    assert reproduce(repo) == []
    assert "up to date" in dvc(repo, "status").stdout


def figure_files(repo: Path) -> dict[str, tuple[int, int]]:
    """Each SGD figure's (inode, mtime): the same pair means the file was not rewritten."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (repo / "plots/sgd").glob("*.png")}


def test_changing_one_step_size_reruns_only_its_three_fits_and_the_summary_and_back_gives_back_all(
    repo: Path,
) -> None:
    before = snapshot(repo)
    figures = figure_files(repo)
    set_params(repo, "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: [1.0e-5, 2.0e-4, 1.0e-3]")
    ran = reproduce(repo)
    assert sorted(ran) == sorted(
        ["validate", *(f"sgd_fit@0.0002-{s}" for s in SEEDS), "sgd_summary", "report"]
    )
    after = snapshot(repo)
    assert {p for p in changed(before, after) if p.startswith(("metrics/", "plots/sgd/"))} == {
        "metrics/sgd.json",
        "plots/sgd/0.0001.csv",
        "plots/sgd/0.0001.png",
        "plots/sgd/0.0002.csv",
        "plots/sgd/0.0002.png",
    }
    # the summary drew the new step size's figure only; the other two are the same files
    kept = {name: stat for name, stat in figure_files(repo).items() if name != "0.0002.png"}
    assert kept == {name: figures[name] for name in ("1e-05.png", "0.001.png")}
    # the old step size's fits, figures and lock entries are gone, and come back with it
    assert "sgd_fit@0.0001-1" not in (repo / "dvc.lock").read_text()
    assert not (repo / "data/sgd/0.0001_1.json").exists() and not (repo / "plots/sgd/0.0001.png").exists()
    undo_and_repro_give_back(repo, before)


def test_a_users_matplotlibrc_changes_no_figure(repo: Path, tmp_path: Path) -> None:
    rc = tmp_path / "matplotlibrc"
    rc.write_text("axes.prop_cycle: cycler('color', ['ff0000', '00ff00', '0000ff'])\nfont.size: 30\n")
    before = snapshot(repo)
    (repo / SGD_FIGURE_MEMO).unlink()  # every SGD figure is drawn again
    for stage in ("sgd_summary", "network_figures"):  # without pyplot, and with it
        cmd = [sys.executable, "-m", f"stages.{stage}"]
        subprocess.run(
            cmd, cwd=repo, env=run_env() | {"MATPLOTLIBRC": str(rc)}, check=True, capture_output=True
        )
    assert changed(before, snapshot(repo)) == set()


def test_a_figure_changed_by_hand_is_drawn_again(repo: Path) -> None:
    committed = (repo / "plots/sgd/0.001.png").read_bytes()
    (repo / "plots/sgd/0.001.png").write_bytes(b"not the figure")
    assert reproduce(repo) == ["sgd_summary"]  # the report's inputs are as before again
    assert (repo / "plots/sgd/0.001.png").read_bytes() == committed
    assert git(repo, "status", "--porcelain") == ""


# a handful of the table's rows through the dvc command line, as a user meets them: each way
# of reading the file goes wrong once (the loader's tests take every row)
CLI_BAD = representative()


@pytest.mark.parametrize("bad", CLI_BAD, ids=[f"{b.key}:{b.new.strip()[:30] or 'removed'}" for b in CLI_BAD])
def test_bad_params_stop_repro_with_one_line_and_touch_no_output(repo: Path, bad: Bad) -> None:
    params = repo / "params.yaml"
    params.write_text(apply(params.read_text(), bad))
    before = snapshot(repo)
    # YAML that DVC cannot read itself stops a plain `dvc repro` with DVC's own message;
    # `make repro` checks params.yaml first (README, "Bad input")
    file_level = bad.key.startswith("line")
    proc = make_repro(repo) if file_level else dvc(repo, "repro", check=False)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: params.yaml")]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith(f"error: params.yaml: {bad.key}") and bad.reason in errors[0]
    assert changed(before, snapshot(repo)) == set()
