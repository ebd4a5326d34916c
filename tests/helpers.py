"""What the tests share: the repository copy (tests.sandbox), the dvc command line and
`dvc repro` in-process, snapshots of a repository's files, and fault injection into stage
processes."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple
from unittest import mock

from nndl.pipeline.params import load_params
from tests.sandbox import (
    BIN,
    ROOT,
    copy_project,
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
    "bare_env",
    "changed",
    "copy_project",
    "dvc",
    "git",
    "hooked_env",
    "make_repro",
    "project_files",
    "replace_setting",
    "repro",
    "reproduce",
    "run_env",
    "run_main",
    "set_params",
    "snapshot",
    "undo_and_repro_give_back",
]

PARAMS = load_params(ROOT / "params.yaml")  # the committed params, parsed once
OUTPUTS = ("metrics", "plots", "data", "REPORT.md", "REPORT.html")  # what a run from scratch writes


def run_main(main, params) -> None:
    """A stage's main in this process, its outputs committed as `run_stage` commits them."""
    from nndl.pipeline.io import Outputs

    out = Outputs()
    try:
        main(params, out)
        out.commit()
    finally:
        out.discard()


def reproduce(repo: Path, *targets: str, force: bool = False, single_item: bool = False) -> list[str]:
    """`dvc repro [-f] [-s] [targets]` in-process, in repo; the names of the stages that ran, in order."""
    from dvc.repo import Repo

    path = BIN + os.pathsep + os.environ.get("PATH", "")
    with contextlib.chdir(repo), mock.patch.dict(os.environ, PATH=path), Repo(str(repo)) as r:
        return [s.addressing for s in r.reproduce(*targets, force=force, single_item=single_item)]


@contextlib.contextmanager
def _output_to(out: Path, err: Path) -> Iterator[None]:
    """Everything this process and its children print goes to out and err while the block
    runs: file descriptors 1 and 2, sys.stdout and sys.stderr, and the streams DVC's log
    handlers and colorama (which DVC turns off around JSON output) keep from when dvc was
    imported. Appended to, so that the lines of dvc and of the stages it starts interleave as
    on a terminal. Written through colorama, as the command line's output is: to a file, it
    strips the colour codes, whatever stream dvc was imported with."""
    import colorama
    import colorama.initialise

    handlers = {
        h: h.stream
        for name in ("dvc", "dvc_objects", "dvc_data")
        for h in logging.getLogger(name).handlers
        if isinstance(h, logging.StreamHandler)
    }
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    with contextlib.ExitStack() as stack:
        streams = {}
        for fd, path in ((1, out), (2, err)):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            saved = os.dup(fd)
            os.dup2(target, fd)
            os.close(target)
            stack.callback(os.close, saved)
            stack.callback(os.dup2, saved, fd)  # run first: the descriptor back, then closed
            raw = stack.enter_context(open(fd, "w", buffering=1, encoding="utf-8", closefd=False))
            streams[fd] = colorama.AnsiToWin32(raw).stream
        for h, old in handlers.items():
            h.setStream(streams[2] if h.level >= logging.WARNING else streams[1])
            stack.callback(h.setStream, old)
        stack.enter_context(
            mock.patch.multiple(
                colorama.initialise,
                orig_stdout=streams[1],
                wrapped_stdout=streams[1],
                orig_stderr=streams[2],
                wrapped_stderr=streams[2],
            )
        )
        stack.enter_context(contextlib.redirect_stdout(streams[1]))
        stack.enter_context(contextlib.redirect_stderr(streams[2]))
        yield


def dvc(
    repo: Path, *args: str, check: bool = True, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`dvc <args>` in repo, through the command line's own entry point (dvc.cli.main) in
    this process, with env (run_env() by default) as its environment: its exit status and
    what it and its stages print, without the 0.4 s or so a new dvc process takes to
    start. With check, a failure raises with that output. Each call starts as a new process
    would: DVC's output switched off until main() switches it on (so `-q` is quiet), and an
    exit (`--help`, `--version`) returned as its status."""
    from dvc.cli import main
    from dvc.ui import ui

    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        with (
            contextlib.chdir(repo),
            mock.patch.dict(os.environ, env if env is not None else run_env(), clear=True),
            mock.patch.object(ui, "_enabled", False),
            _output_to(out, err),
        ):
            try:
                code = main(list(args))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
        proc = subprocess.CompletedProcess(["dvc", *args], code, out.read_text(), err.read_text())
    if check and code != 0:
        raise AssertionError(f"dvc {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


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
    """Restore params.yaml, run again as `make repro` does (dvc repro, tidied before and after):
    every file and git status as before."""
    from nndl.pipeline.tidy import tidy

    git(repo, "checkout", "--", "params.yaml")
    tidy(repo)
    reproduce(repo)
    tidy(repo)
    assert snapshot(repo) == before
    assert git(repo, "status", "--porcelain") == ""


class Repro(NamedTuple):
    ran: list[str]  # the stages whose command ran, in order
    cached: list[str]  # the stages DVC restored from its run-cache instead
    proc: subprocess.CompletedProcess[str]


def repro(repo: Path, *args: str, check: bool = True) -> Repro:
    """`dvc repro <args>` through the command line, and which stages ran and which were cached."""
    proc = dvc(repo, "repro", *args, check=check)
    ran = re.findall(r"^Running stage '([^']+)':$", proc.stdout, flags=re.M)
    cached = re.findall(r"^Stage '([^']+)' is cached - skipping run", proc.stdout, flags=re.M)
    return Repro(ran, cached, proc)


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def bare_env(**env: str) -> dict[str, str]:
    """Only these variables, and the caller's PYTHONDONTWRITEBYTECODE: a process started bare
    writes no bytecode beside the checkout's modules where the caller asked for none."""
    keep = {k: os.environ[k] for k in ("PYTHONDONTWRITEBYTECODE",) if k in os.environ}
    return keep | env


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
