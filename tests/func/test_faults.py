"""Evidence that the pipeline holds: divergence is reported, and a killed stage leaves nothing
DVC would take for finished. (Byte-identical re-runs: test_sgd_pipeline's run from scratch and
test_dispatch; bad params through dvc: test_sgd_pipeline.)"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import BIN, dvc, reproduce, run_env, set_params, snapshot

pytestmark = pytest.mark.func


def test_sum_gradient_diverges_and_figures_plot_data_and_report_say_where(repo: Path) -> None:
    set_params(repo, "gradient: sample", "gradient: sum")
    # the fits, what shows them and the report: the sweep and the stationary chains, which the
    # gradient changes too, are not what this test checks
    reproduce(repo, "sgd_summary")
    reproduce(repo, "sgd_figures")
    assert reproduce(repo, "report", single_item=True) == ["report"]
    report = (repo / "REPORT.md").read_text()
    with open(repo / "plots/sgd_objective.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for step in ("1e-05", "0.0001", "0.001"):
        errors = json.loads((repo / f"metrics/sgd/{step}.json").read_text())
        for seed in (1, 2, 3):
            fit = json.loads((repo / f"data/sgd/{step}/{seed}.json").read_text())
            assert errors[f"seed{seed}"] == fit["error"]
            if step == "1e-05":
                assert fit["diverged_at"] is None
                continue
            k = fit["diverged_at"]
            assert isinstance(k, int) and 1 <= k <= 10000
            assert len(fit["objective"]) == k  # P0 … P_(k−1), all finite
            assert f"diverged at iteration {k}" in report
            assert "its error is that of its last positive-definite" in report
            mine = [r for r in rows if r["step_size"] == step and r["run"] == f"init seed {seed}"]
            assert max(int(r["iteration"]) for r in mine) == k - 1


TEMP = re.compile(r"/\.[^/]+\.tmp$")


# Loaded by every Python process of the run through PYTHONPATH: in the sgd_summary stage
# only, the rename of its finished plot data into place announces itself and then waits, so
# that the test kills the run at exactly that point, with no race to lose.
HOLD_BEFORE_RENAME = """
import os, sys, time
if "stages.sgd_summary" in sys.orig_argv:
    _replace = os.replace
    def replace(src, dst, *args, **kwargs):
        if "plots/sgd_objective.csv" in os.fspath(dst):
            marker = os.environ["HOLD_MARKER"]
            with open(marker + ".part", "w") as f:  # whole before the test sees it
                f.write(os.fspath(src))
            _replace(marker + ".part", marker)
            time.sleep(600)
        return _replace(src, dst, *args, **kwargs)
    os.replace = replace
"""


def kill_run_while_writing(repo: Path, hook_dir: Path) -> tuple[int, str]:
    """`dvc repro -f -s sgd_summary` in its own process group, SIGKILLed as a whole (dvc and
    the stage, nothing else) once the stage holds a finished temporary file; (dvc's exit
    status, the temporary file's path)."""
    (hook_dir / "sitecustomize.py").write_text(HOLD_BEFORE_RENAME)
    marker = hook_dir / "holding"
    env = dict(run_env(), PYTHONPATH=str(hook_dir), HOLD_MARKER=str(marker))
    proc = subprocess.Popen(
        [str(Path(BIN) / "dvc"), "repro", "-f", "-s", "sgd_summary"],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists(), "the stage never reached its first rename"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.wait(timeout=60), marker.read_text()


def test_stage_killed_mid_write_leaves_no_finished_output_and_repro_recovers(
    repo: Path, tmp_path: Path
) -> None:
    set_params(repo, "plot_every: 10", "plot_every: 20")  # new plot data; the figures stay
    reference = tmp_path / "reference"
    shutil.copytree(repo, reference, symlinks=True)
    reproduce(reference)
    expected = snapshot(reference)
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    old = snapshot(repo)

    returncode, temp = kill_run_while_writing(repo, hook_dir)
    assert returncode == -signal.SIGKILL
    left = snapshot(repo)
    assert Path(temp).name in {Path(p).name for p in left if TEMP.search(p)}
    # what is left is the temporary file and whole outputs: the old ones, kept in place while
    # the stage ran (persist), or new ones complete as of a clean run
    for path, data in left.items():
        if path.startswith(("plots/", "metrics/")) and not TEMP.search(path):
            assert data in (old[path], expected[path]), path
    assert "sgd_summary" in dvc(repo, "status").stdout

    ran = reproduce(repo)
    assert "sgd_summary" in ran
    assert snapshot(repo) == expected
