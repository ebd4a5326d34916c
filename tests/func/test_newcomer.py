"""The newcomer's path through the README's workflows: back to the committed results, a second
clone that only installs, dvc without the venv active, dvc from a subdirectory, and torch's CPU
build on a machine without this one's local file."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import BIN, ROOT, dvc, git, run_env, set_params, snapshot

pytestmark = pytest.mark.func

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_command(start: str) -> str:
    """The README's one command line that starts with start."""
    (line,) = [line for line in README.splitlines() if line.startswith(start)]
    return line


def test_back_to_the_committed_results_after_an_experiment_in_the_workspace(repo: Path) -> None:
    before = snapshot(repo)
    dvc(repo, "exp", "run", "-S", "sgd.step_sizes=[1e-06]")
    assert (repo / "plots/sgd/1e-06.png").is_file() and (repo / "data/sgd/1e-06/1.json").is_file()
    command = readme_command("git checkout -- . && git clean")
    env = dict(run_env(), MAKEFLAGS="")
    (repo / ".venv").symlink_to(Path(BIN).parent)
    try:
        back = subprocess.run(command, shell=True, cwd=repo, env=env, capture_output=True, text=True)
    finally:
        (repo / ".venv").unlink()
    assert back.returncode == 0, back.stderr
    assert "Running stage" not in back.stdout  # the committed results come from DVC's cache
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""
    assert "up to date" in dvc(repo, "status").stdout


def test_make_setup_installs_and_runs_nothing(repo: Path) -> None:
    planned = subprocess.run(
        ["make", "-n", "setup"], cwd=repo, env=dict(run_env(), MAKEFLAGS=""), capture_output=True, text=True
    )
    assert planned.returncode == 0
    assert "pip install" in planned.stdout and "-r requirements.lock" in planned.stdout
    assert "dvc" not in planned.stdout.replace("dvc, torch", "")  # the message names dvc as a package


def test_torch_cpu_build_from_its_own_index_when_asked(repo: Path) -> None:
    extra = re.search(r'make setup PIP_EXTRA="([^"]+)"', README).group(1)
    planned = subprocess.run(
        ["make", "-n", "setup", f"PIP_EXTRA={extra}"],
        cwd=repo,
        env=dict(run_env(), MAKEFLAGS=""),
        capture_output=True,
        text=True,
    )
    (install,) = [line for line in planned.stdout.splitlines() if "pip install" in line]
    assert f"{extra} -r requirements.lock" in install
    assert extra == "--extra-index-url https://download.pytorch.org/whl/cpu"


def test_the_venvs_dvc_works_without_the_venv_active(repo: Path) -> None:
    set_params(repo, "network_figures:\n  dpi: 100\n", "network_figures:\n  dpi: 80\n")
    (repo / ".venv").symlink_to(Path(BIN).parent)
    try:
        env = dict(run_env(), PATH="/usr/bin:/bin")  # no venv on PATH: `python` is the system's
        ran = subprocess.run(
            [str(repo / ".venv/bin/dvc"), "repro"], cwd=repo, env=env, capture_output=True, text=True
        )
    finally:
        (repo / ".venv").unlink()
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Running stage 'network_figures'" in ran.stdout


def test_repro_from_a_subdirectory_with_P_runs_the_pipeline_as_from_the_root(repo: Path) -> None:
    set_params(repo, "network_figures:\n  dpi: 100\n", "network_figures:\n  dpi: 80\n")
    ran = dvc(repo / "docs", "repro", "-P")
    assert "Running stage '../dvc.yaml:network_figures'" in ran.stdout  # named from where it runs
    assert "up to date" in dvc(repo, "status").stdout
    assert os.path.getsize(repo / "plots/network.png") > 0
