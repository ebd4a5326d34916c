"""A stage's outputs change together or not at all. Each stage that writes several files is
interrupted (SIGINT) half-way through writing them, and run on a full disk (a small tmpfs):
it stops with one line, every output is as it was, and no temporary file is left. A SIGINT
during the renames is held back until all are done. And params.yaml edited while a stage runs
stops it before it writes anything, so that DVC never records params the outputs do not come
from."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import dvc, git, hooked_env, run_env, set_params, snapshot

pytestmark = pytest.mark.func

# (stage, the change that gives it new outputs, the folders and files it writes)
MULTI_FILE = [
    ("ascent", ("tolerance: 1.0e-4", "tolerance: 1.0e-6"), ["data/ascent"]),
    ("network", ("weight_seeds: [1, 2, 3]", "weight_seeds: [1, 2, 4]"), ["data/network"]),
    ("sgd_summary", ("plot_every: 10", "plot_every: 20"), ["metrics/sgd", "plots/sgd_objective.csv"]),
    (
        "sgd_sweep_figures",
        ("sgd_sweep_figures:\n  dpi: 100\n", "sgd_sweep_figures:\n  dpi: 90\n"),
        ["plots/sgd_sweep.png", "plots/sgd_sweep.csv", "metrics/sgd_sweep.json"],
    ),
    # the report's text names the seed: REPORT.md and REPORT.html change, nothing else runs
    ("report", ("fixed_inputs_seed: 0", "fixed_inputs_seed: 5"), ["REPORT.md", "REPORT.html"]),
    (
        "ascent_figures",
        ("  levels: 20\n", "  levels: 12\n"),
        ["plots/ascent", "plots/ascent_search.csv", "plots/ascent_values.csv", "metrics/ascent"],
    ),
]
IDS = [stage for stage, _, _ in MULTI_FILE]


def outputs(repo: Path, written: list[str]) -> dict[str, bytes]:
    """The stage's outputs, and any temporary file beside them."""
    files = {}
    for rel in written:
        path = repo / rel
        for p in [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []:
            if p.is_file():
                files[p.relative_to(repo).as_posix()] = p.read_bytes()
    for p in repo.rglob(".*.tmp"):
        files[p.relative_to(repo).as_posix()] = b"a temporary file"
    return files


def stage(repo: Path, name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", f"stages.{name}"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# In the stage's process: SIGINT to itself once its second output file is written, not renamed.
INTERRUPT_WRITING = """
import os, signal, sys
if any(a.startswith("stages.") for a in sys.orig_argv):
    _fsync, calls = os.fsync, []
    def fsync(fd):
        _fsync(fd)
        calls.append(fd)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)
    os.fsync = fsync
"""


@pytest.mark.parametrize(("name", "change", "written"), MULTI_FILE, ids=IDS)
def test_a_sigint_while_writing_leaves_every_output_as_it_was(
    repo: Path, tmp_path: Path, name: str, change: tuple[str, str], written: list[str]
) -> None:
    set_params(repo, *change)
    before = outputs(repo, written)
    ran = stage(repo, name, hooked_env(tmp_path / "hook", INTERRUPT_WRITING))
    assert ran.returncode == 130
    assert ran.stderr.splitlines() == ["error: interrupted by SIGINT; no output of this run was written"]
    assert outputs(repo, written) == before


# In the stage's process: SIGINT to itself at its first rename, when every output is written.
INTERRUPT_RENAMING = """
import os, signal, sys
if any(a.startswith("stages.") for a in sys.orig_argv):
    _replace, calls = os.replace, []
    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)
        _replace(src, dst)
    os.replace = replace
"""


def test_a_sigint_during_the_renames_waits_until_every_output_is_in_place(repo: Path, tmp_path: Path) -> None:
    name, change, written = MULTI_FILE[-1]
    set_params(repo, *change)
    reference = tmp_path / "reference"
    shutil.copytree(repo, reference, symlinks=True)
    assert stage(reference, name, run_env()).returncode == 0
    ran = stage(repo, name, hooked_env(tmp_path / "hook", INTERRUPT_RENAMING))
    assert ran.returncode == 130
    assert ran.stderr.splitlines() == ["error: interrupted by SIGINT after this run's outputs were written"]
    assert outputs(repo, written) == outputs(reference, written)


def can_mount_tmpfs() -> bool:
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /tmp"], capture_output=True
    )
    return probe.returncode == 0


FULL_DISK = r"""
set -e
mount -t tmpfs -o size=256m tmpfs "$MNT"
tar -C "$REPO" --exclude=./.git --exclude=./.dvc/cache -cf - . | tar -C "$MNT" -xf -
used=$(df -k --output=used "$MNT" | tail -1)
mount -o remount,size=$((used + 8))k tmpfs "$MNT"
cd "$MNT"
"$PY" "$PROBE" "$OUT/before.json" $WRITTEN
set +e
"$PY" -m "stages.$STAGE" 2> "$OUT/stderr"
echo $? > "$OUT/status"
"$PY" "$PROBE" "$OUT/after.json" $WRITTEN
"""

PROBE = """
import hashlib, json, sys
from pathlib import Path
files = {}
for rel in sys.argv[2:]:
    path = Path(rel)
    for p in [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []:
        if p.is_file():
            files[p.as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
files["temporary files"] = sorted(p.as_posix() for p in Path(".").rglob(".*.tmp"))
Path(sys.argv[1]).write_text(json.dumps(files))
"""


@pytest.mark.skipif(
    not shutil.which("unshare") or not can_mount_tmpfs(), reason="needs a tmpfs mount (unshare -rm)"
)
@pytest.mark.parametrize(("name", "change", "written"), MULTI_FILE, ids=IDS)
def test_a_full_disk_stops_the_stage_with_one_line_and_every_output_as_it_was(
    repo: Path, tmp_path: Path, name: str, change: tuple[str, str], written: list[str]
) -> None:
    set_params(repo, *change)
    (tmp_path / "probe.py").write_text(PROBE)
    (tmp_path / "mnt").mkdir()
    env = run_env() | {
        "MNT": str(tmp_path / "mnt"),
        "REPO": str(repo),
        "OUT": str(tmp_path),
        "PY": sys.executable,
        "PROBE": str(tmp_path / "probe.py"),
        "STAGE": name,
        "WRITTEN": " ".join(written),
        "PYTHONDONTWRITEBYTECODE": "1",  # the tmpfs holds the outputs, not bytecode
    }
    subprocess.run(["unshare", "-rm", "sh", "-c", FULL_DISK], env=env, check=True, timeout=300)
    before, after = (json.loads((tmp_path / f"{when}.json").read_text()) for when in ("before", "after"))
    assert (tmp_path / "status").read_text().strip() == "2"
    errors = (tmp_path / "stderr").read_text().splitlines()
    assert len(errors) == 1 and errors[0].endswith("cannot write (No space left on device)"), errors
    assert after == before and before["temporary files"] == []


# In sgd_fit@0.001-1's process: once its fit is written (not yet renamed into place), the user
# saves a valid edit of params.yaml.
EDIT_DURING_FIT = """
import os, sys
if "stages.sgd_fit" in sys.orig_argv and "0.001" in sys.orig_argv and sys.orig_argv[-1] == "1":
    _fsync = os.fsync
    def fsync(fd):
        _fsync(fd)
        with open("params.yaml") as f:
            text = f.read()
        with open("params.yaml", "w") as f:
            f.write(text.replace("iterations: 12000", "iterations: 8000"))
    os.fsync = fsync
"""


def test_params_edited_during_a_run_stop_the_stage_and_dvc_records_nothing(
    repo: Path, tmp_path: Path
) -> None:
    set_params(repo, "sgd.iterations: 10000", "iterations: 12000")
    before = snapshot(repo)
    proc = dvc(
        repo, "repro", "sgd_fit@0.001-1", check=False, env=hooked_env(tmp_path / "hook", EDIT_DURING_FIT)
    )
    assert proc.returncode != 0
    assert "error: params.yaml changed during the run; run again" in proc.stderr
    assert "iterations: 8000" in (repo / "params.yaml").read_text()
    # the fit wrote nothing, and dvc.lock records for it neither the 12,000 nor the 8,000 iterations
    # (validate, which ran and passed before the edit, is recorded)
    fit = "sgd_fit@0.001-1"
    assert (
        yaml.safe_load((repo / "dvc.lock").read_bytes())["stages"][fit]
        == yaml.safe_load(before["dvc.lock"])["stages"][fit]
    )
    assert not (repo / "data/sgd/0.001/1.json").exists() or (
        hashlib.sha256((repo / "data/sgd/0.001/1.json").read_bytes()).digest()
        == hashlib.sha256(before["data/sgd/0.001/1.json"]).digest()
    )
    assert git(repo, "status", "--porcelain").splitlines() == [" M dvc.lock", " M params.yaml"]
