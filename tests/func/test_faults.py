"""Evidence that the pipeline holds: bad params touch nothing, divergence is reported, a killed
stage leaves nothing DVC would take for finished, and forced re-runs are byte-identical."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.bad_params import BAD_PARAMS, Bad, apply, ids
from tests.conftest import BIN, changed, reproduce, run_env, snapshot
from tests.func.test_sgd_pipeline import set_params

pytestmark = pytest.mark.func


@pytest.mark.parametrize("bad", BAD_PARAMS, ids=ids())
def test_bad_params_leave_every_output_and_the_lock_byte_identical(repo: Path, bad: Bad) -> None:
    params = repo / "params.yaml"
    params.write_text(apply(params.read_text(), bad))
    before = snapshot(repo)
    with pytest.raises(Exception):  # noqa: B017 - DVC raises its own error types
        reproduce(repo)
    assert changed(before, snapshot(repo)) == set()


def test_sum_gradient_diverges_and_metrics_figures_and_report_say_where(repo: Path) -> None:
    set_params(repo, "gradient: sample", "gradient: sum")
    reproduce(repo)
    metrics = json.loads((repo / "metrics/sgd.json").read_text())
    report = (repo / "REPORT.md").read_text()
    for step in ("1e-05", "0.0001", "0.001"):
        for seed in (1, 2, 3):
            key = f"step{step}_seed{seed}"
            fit = json.loads((repo / f"data/sgd/{step}_{seed}.json").read_text())
            if step == "1e-05":
                assert fit["diverged_at"] is None and f"diverged_at_{key}" not in metrics
                continue
            k = fit["diverged_at"]
            assert isinstance(k, int) and 1 <= k <= 10000
            assert metrics[f"diverged_at_{key}"] == k
            assert len(fit["objective"]) == k  # P0 … P_(k−1), all finite
            assert f"diverged at iteration {k}" in report
            rows = [line.split(",") for line in (repo / f"plots/sgd/{step}.csv").read_text().splitlines()[1:]]
            assert max(int(r[0]) for r in rows if r[2] == f"init seed {seed}") == k - 1


def stage_pid(command: str) -> int | None:
    """The pid of a running `python -m <command>`, found in /proc."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if command.encode() in cmdline:
                return int(entry.name)
    return None


TEMP = re.compile(r"/\.[^/]+\.tmp$")


def kill_stage_while_writing(repo: Path, command: str, folder: Path) -> tuple[int, bool]:
    """Run the stage with `dvc repro -f -s`, SIGKILL its process `python -m <command>` while a
    temporary file exists in folder; (dvc's exit code, whether the kill was sent)."""
    proc = subprocess.Popen(
        [str(Path(BIN) / "dvc"), "repro", "-f", "-s", command.removeprefix("stages.")],
        cwd=repo,
        env=run_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    killed = False
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        temps = list(folder.glob(".*.tmp")) if folder.is_dir() else []
        pid = stage_pid(command)
        if temps and pid:
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    return proc.wait(timeout=60), killed


def test_stage_killed_mid_write_leaves_no_finished_output_and_repro_recovers(
    repo: Path, tmp_path: Path
) -> None:
    set_params(repo, "  plot_every: 10\n  dpi: 100\n", "  plot_every: 10\n  dpi: 90\n")
    reference = tmp_path / "reference"
    shutil.copytree(repo, reference, symlinks=True)
    reproduce(reference)
    expected = snapshot(reference)

    # Kill the stage while a temporary file exists. The rename can still win the race
    # against the kill; then that attempt proves less, and the next one tries again.
    for _attempt in range(5):
        returncode, killed = kill_stage_while_writing(repo, "stages.sgd_summary", repo / "plots/sgd")
        assert returncode != 0 or not killed
        left = snapshot(repo)
        temps = [p for p in left if TEMP.search(p)]
        # what is left is either complete (byte-identical to a clean run) or a temporary file
        for path, data in left.items():
            if path.startswith("plots/sgd/") and not TEMP.search(path):
                assert data == expected[path], path
        if killed and temps:
            break
    assert temps, "never caught the stage mid-write"
    status = subprocess.run(
        [str(Path(BIN) / "dvc"), "status"], cwd=repo, env=run_env(), capture_output=True, text=True
    )
    assert "sgd_summary" in status.stdout

    ran = reproduce(repo)
    assert "sgd_summary" in ran
    assert snapshot(repo) == expected


def test_two_forced_full_runs_give_byte_identical_outputs(repo: Path) -> None:
    before = snapshot(repo)
    ran = reproduce(repo, force=True)
    assert len(ran) == 16
    assert changed(before, snapshot(repo)) == set()
