"""What the tests share: the repository copy and dvc helpers (nndl.sandbox), in-process
`dvc repro`, snapshots of a repository's files, and fault injection into stage processes."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path
from unittest import mock

from nndl.params import load_params
from nndl.sandbox import (
    BIN,
    ROOT,
    copy_project,
    dvc,
    git,
    project_files,
    replace_setting,
    run_env,
    set_params,
)

__all__ = [
    "BIN",
    "OUTPUTS",
    "PARAMS",
    "ROOT",
    "changed",
    "copy_project",
    "dvc",
    "git",
    "hooked_env",
    "make_repro",
    "project_files",
    "replace_setting",
    "reproduce",
    "run_env",
    "set_params",
    "snapshot",
    "undo_and_repro_give_back",
]

PARAMS = load_params(ROOT / "params.yaml")  # the committed params, parsed once
OUTPUTS = ("metrics", "plots", "data", "REPORT.md")  # what a run from scratch writes


def reproduce(repo: Path, *targets: str, force: bool = False, single_item: bool = False) -> list[str]:
    """`dvc repro [-f] [-s] [targets]` in-process, in repo; the names of the stages that ran, in order."""
    from dvc.repo import Repo

    path = BIN + os.pathsep + os.environ.get("PATH", "")
    with contextlib.chdir(repo), mock.patch.dict(os.environ, PATH=path), Repo(str(repo)) as r:
        return [s.addressing for s in r.reproduce(*targets, force=force, single_item=single_item)]


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file outside .git, .dvc/tmp and .dvc/cache, by path, for exact comparisons;
    Python's bytecode caches, which any stage run may write, are not files of the project."""
    files = {}
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo).as_posix()
        if (
            path.is_file()
            and not rel.startswith((".git/", ".dvc/tmp/", ".dvc/cache/"))
            and "__pycache__" not in path.parts
        ):
            files[rel] = path.read_bytes()
    return files


def undo_and_repro_give_back(repo: Path, before: dict[str, bytes]) -> None:
    """Restore params.yaml, run again: every file and git status as before."""
    git(repo, "checkout", "--", "params.yaml")
    reproduce(repo)
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def hooked_env(hook_dir: Path, code: str, **extra: str) -> dict[str, str]:
    """run_env() with `code` run first in every Python process started with it (a
    sitecustomize on PYTHONPATH): fault injection into a stage that dvc starts."""
    hook_dir.mkdir(parents=True, exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(code)
    return dict(run_env(), PYTHONPATH=str(hook_dir), **extra)


def make_repro(repo: Path) -> subprocess.CompletedProcess[str]:
    """`make repro` in repo, with this test run's venv in place of repo/.venv."""
    venv = repo / ".venv"
    venv.symlink_to(Path(BIN).parent)
    try:
        env = dict(run_env(), MAKEFLAGS="")
        return subprocess.run(["make", "repro"], cwd=repo, env=env, capture_output=True, text=True)
    finally:
        venv.unlink()
