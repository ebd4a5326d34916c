"""Nothing lost, however DVC is driven: a bad value refused by the stage itself, a run that
fails half-way, a change that is undone, and what a killed dvc leaves behind. Each case
checks every output, dvc.lock and git status before and after."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.bad_params import BAD_FILES, BadFile, write_bad_file
from tests.helpers import (
    BIN,
    ROOT,
    changed,
    dvc,
    git,
    hooked_env,
    make_repro,
    run_env,
    set_params,
    snapshot,
    undo_and_repro_give_back,
)

pytestmark = pytest.mark.func

ITERATIONS_0 = ("sgd.iterations: 10000", "iterations: 0")
TOLERANCE_0 = ("tolerance: 1.0e-4", "tolerance: 0.0")
PLOT_EVERY_0 = ("plot_every: 10", "plot_every: 0")

# (what the user runs, the bad edit made to params.yaml first, if any): each command skips
# the validate stage or goes on past it, so the stage's own check is what stops it.
COMMANDS = [
    (["repro", "-s", "report"], ITERATIONS_0),
    (["repro", "-s", "sgd_summary"], PLOT_EVERY_0),
    (["repro", "-s", "sgd_fit@0.001-1"], ITERATIONS_0),
    (["repro", "--downstream", "ascent"], TOLERANCE_0),
    (["repro", "--glob", "ascent*", "-s"], TOLERANCE_0),
    (["repro", "--ignore-errors"], ITERATIONS_0),
    (["exp", "run", "-s", "report", "-S", "sgd.iterations=0"], None),
]


def repro_with(repo: Path, hook_dir: Path, code: str) -> subprocess.CompletedProcess[str]:
    """`dvc repro` with `code` injected into every Python process it starts."""
    return dvc(repo, "repro", check=False, env=hooked_env(hook_dir, code))


def outputs(files: dict[str, bytes]) -> dict[str, bytes]:
    """Everything but params.yaml, which the user (or `exp run -S`) edited."""
    return {p: d for p, d in files.items() if p != "params.yaml"}


def presented(files: dict[str, bytes]) -> dict[str, bytes]:
    """What the presentation stages write: REPORT.md, REPORT.html, metrics/ and plots/, git-tracked."""
    return {p: d for p, d in outputs(files).items() if not p.startswith("data/")}


@pytest.mark.parametrize(("args", "edit"), COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_a_bad_value_loses_no_output_whatever_dvc_command_runs_the_stage(
    repo: Path, args: list[str], edit: tuple[str, str] | None
) -> None:
    before = snapshot(repo)
    if edit:
        set_params(repo, *edit)
    proc = dvc(repo, *args, check=False)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: params.yaml: ")]
    assert len(set(errors)) == 1, proc.stdout + proc.stderr
    assert " = 0:" in errors[0] or " = 0.0:" in errors[0]
    if "--ignore-errors" not in args:
        assert proc.returncode != 0
    assert changed(presented(before), presented(snapshot(repo))) == set()
    assert git(repo, "status", "--porcelain").splitlines() == [" M params.yaml"]
    dvc(repo, "checkout")  # what DVC removed of data/ before a compute stage that stopped
    assert changed(outputs(before), outputs(snapshot(repo))) == set()


# Written into the sgd_figures stage's process when it starts: the user saves a bad value
# while dvc repro is under way, after validate has passed.
EDIT_WHILE_RUNNING = """
import sys
if "stages.sgd_figures" in sys.orig_argv:
    with open("params.yaml") as f:
        text = f.read()
    with open("params.yaml", "w") as f:
        f.write(text.replace("plot_every: 10", "plot_every: 0"))
"""


def test_a_bad_value_saved_while_a_run_is_under_way_loses_no_output(repo: Path, tmp_path: Path) -> None:
    before = snapshot(repo)
    set_params(repo, "  plot_every: 10\n  dpi: 100\n", "  plot_every: 10\n  dpi: 90\n")
    proc = repro_with(repo, tmp_path / "hook", EDIT_WHILE_RUNNING)
    assert proc.returncode != 0
    assert "error: params.yaml: sgd_figures.plot_every = 0: must be between 1 and" in proc.stderr
    # validate passed and is in dvc.lock; every output of the figures and after them is as before
    assert changed(before, snapshot(repo)) == {"params.yaml", "dvc.lock"}
    undo_and_repro_give_back(repo, before)


# The summary stage fails at its start, as on a full disk or a crash: the new fits are done.
FAIL_SUMMARY = """
import sys
if "stages.sgd_summary" in sys.orig_argv:
    sys.exit("error: injected failure")
"""


def test_a_failed_run_then_a_good_one_gives_the_same_lock_and_a_clean_status(
    repo: Path, tmp_path: Path
) -> None:
    before = snapshot(repo)
    set_params(repo, "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: [1.0e-5, 2.0e-4, 1.0e-3]")
    failed = repro_with(repo, tmp_path / "hook", FAIL_SUMMARY)
    assert failed.returncode != 0 and "injected failure" in failed.stderr
    assert (repo / "data/sgd/0.0002/1.json").is_file()
    assert git(repo, "status", "--porcelain").splitlines() == [" M dvc.lock", " M params.yaml"]
    undo_and_repro_give_back(repo, before)


# Every write of the network stage fails as on a full disk.
DISK_FULL = """
import errno, os, sys
if "stages.network" in sys.orig_argv:
    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    os.fsync = fsync
"""


def test_a_full_disk_stops_a_stage_with_one_line_and_freed_again_changes_nothing(
    repo: Path, tmp_path: Path
) -> None:
    before = snapshot(repo)
    set_params(repo, "weight_seeds: [1, 2, 3]", "weight_seeds: [1, 2, 4]")
    full = repro_with(repo, tmp_path / "hook", DISK_FULL)
    assert full.returncode != 0
    assert [line for line in full.stderr.splitlines() if line.startswith("error:")] == [
        "error: data/network/tanh_1.csv: cannot write (No space left on device)"
    ]
    assert {p for p in changed(before, snapshot(repo)) if not p.startswith("data/network/")} <= {
        "params.yaml",
        "dvc.lock",
    }
    assert not list(repo.rglob(".*.tmp"))
    undo_and_repro_give_back(repo, before)


@pytest.mark.parametrize(
    ("path", "content", "said"),
    [
        ("dvc.lock", "", "repaired: dvc.lock was empty (an interrupted dvc run); restored it from git"),
        (
            "dvc.lock",
            "schema: '2.0'\nstages:\n  validate:\n    cmd: [",
            "repaired: dvc.lock was cut off or unreadable (an interrupted dvc run); restored it from git",
        ),
        (
            "dvc.lock",
            "CUT AFTER size:",  # YAML that parses, with a key whose value is missing (helper-3)
            "repaired: dvc.lock was cut off or unreadable (an interrupted dvc run); restored it from git",
        ),
        (".dvc/tmp/rwlock", "", "repaired: .dvc/tmp/rwlock was empty (an interrupted dvc run); removed it"),
    ],
    ids=["empty dvc.lock", "truncated dvc.lock", "dvc.lock cut off mid-entry", "empty rwlock"],
)
def test_make_repro_repairs_what_a_killed_dvc_leaves_and_says_so_in_one_line(
    repo: Path, path: str, content: str, said: str
) -> None:
    before = snapshot(repo)
    if content.startswith("CUT AFTER "):
        text, cut = (repo / path).read_text(), content.removeprefix("CUT AFTER ")
        content = text[: text.index(cut, len(text) // 2) + len(cut)]
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(content)
    broken = dvc(repo, "status", check=False)
    assert broken.returncode != 0  # DVC itself cannot start like this
    proc = make_repro(repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("repaired:")] == [said]
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""
    assert "up to date" in dvc(repo, "status").stdout


def test_repair_leaves_the_lock_alone_while_a_dvc_process_holds_the_repository(repo: Path) -> None:
    import fcntl

    (repo / "dvc.lock").write_text("")
    (repo / ".dvc/tmp").mkdir(parents=True, exist_ok=True)
    with open(repo / ".dvc/tmp/lock", "a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        # the probe needs another open file description, as another process has
        probe = subprocess.run(
            [
                os.fspath(Path(BIN) / "python"),
                "-c",
                "from nndl.pipeline import repair; print(repair.repair())",
            ],
            cwd=repo,
            env=dict(
                run_env(),
                PYTHONPATH=os.fspath(ROOT),
            ),
            capture_output=True,
            text=True,
        )
    assert probe.stdout.strip() == "[]", probe.stderr
    assert (repo / "dvc.lock").read_text() == ""


@pytest.mark.parametrize("bad", BAD_FILES, ids=[b.name for b in BAD_FILES])
def test_make_repro_refuses_an_unreadable_params_file_in_one_line_and_touches_nothing(
    repo: Path, bad: BadFile
) -> None:
    before = snapshot(repo)
    write_bad_file(repo / "params.yaml", bad)
    proc = make_repro(repo)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and bad.reason in errors[0], proc.stderr
    (repo / "params.yaml").unlink()
    git(repo, "checkout", "--", "params.yaml")
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("edit", "stage", "missing"),
    [
        (
            ("step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: [1.0e-5, 2.0e-4, 1.0e-3]"),
            "sgd_summary",
            "data/sgd/0.0002/1.json",
        ),
        (
            ("step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: [1.0e-5, 2.0e-4, 1.0e-3]"),
            "report",
            "data/sgd/0.0002/1.json",
        ),
        (
            (
                "starts: [[0.2, 0.5], [0.5, 0.2], [1.0, 1.0]]",
                "starts: [[0.2, 0.5], [0.5, 0.2], [1.0, 1.0], [0.0, 0.0]]",
            ),
            "ascent_figures",
            "data/ascent/4.json",
        ),
    ],
    ids=["summary after a new step size", "report after a new step size", "figures after a new start"],
)
def test_a_single_stage_whose_input_is_not_made_yet_names_it_and_the_command_in_one_line(
    repo: Path, edit: tuple[str, str], stage: str, missing: str
) -> None:
    before = snapshot(repo)
    set_params(repo, *edit)
    proc = dvc(repo, "repro", "-s", stage, check=False)
    assert proc.returncode != 0
    assert [line for line in proc.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {missing} does not exist yet: `dvc repro {stage}` makes it first"
        f" (`dvc repro -s {stage}` runs this stage alone)"
    ]
    assert changed(presented(before), presented(snapshot(repo))) == set()
