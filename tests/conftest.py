"""Fixtures: a temporary copy of this repository with its own git history, in which the
functional tests run dvc, as DVC's own tests/func do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# hypothesis keeps no example database in the checkout (.hypothesis/): tests write only in
# their temporary directories
settings.register_profile("guest", database=None)
settings.load_profile("guest")

ROOT = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).parent)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def run_env() -> dict[str, str]:
    """The environment a stage needs: this venv's python first on PATH."""
    env = dict(os.environ, **GIT_ENV)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    return env


def project_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [p for p in out.splitlines() if (ROOT / p).is_file()]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=run_env()
    ).stdout


def dvc(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the dvc command line in repo."""
    proc = subprocess.run(
        [str(Path(BIN) / "dvc"), *args], cwd=repo, capture_output=True, text=True, env=run_env()
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"dvc {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def copy_project(dest: Path) -> Path:
    """The project's files (what git would commit) in dest, with a fresh git history."""
    for rel in project_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    git(dest, "init", "-q", "-b", "main")
    # the copy's own identity: `dvc exp run` commits, and a user may have no global one
    git(dest, "config", "user.name", GIT_ENV["GIT_AUTHOR_NAME"])
    git(dest, "config", "user.email", GIT_ENV["GIT_AUTHOR_EMAIL"])
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "copy of the project")
    return dest


def reproduce(repo: Path, *targets: str, force: bool = False) -> list[str]:
    """`dvc repro` in-process; the names of the stages that ran, in order."""
    from dvc.repo import Repo

    old_cwd, old_path = os.getcwd(), os.environ.get("PATH", "")
    os.chdir(repo)
    os.environ["PATH"] = BIN + os.pathsep + old_path
    try:
        with Repo(str(repo)) as r:
            stages = r.reproduce(*targets, force=force)
        return [s.addressing for s in stages]
    finally:
        os.chdir(old_cwd)
        os.environ["PATH"] = old_path


@pytest.fixture(scope="session", autouse=True)
def _caches_in_temporary_directories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The caches that dvc and matplotlib keep outside a repository (/var/tmp/dvc, ~/.cache,
    ~/.config) go to this session's temporary directory, for every process the tests start."""
    home = tmp_path_factory.mktemp("caches")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DVC_SITE_CACHE_DIR", str(home / "dvc-site"))
        mp.setenv("MPLCONFIGDIR", str(home / "matplotlib"))
        yield


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, reproduced once and committed; tests copy it, never change it."""
    repo = copy_project(tmp_path_factory.mktemp("built") / "repo")
    reproduce(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "reproduced", "--allow-empty")
    return repo


@pytest.fixture
def repo(built_repo: Path, tmp_path: Path) -> Path:
    """A private, reproduced copy of the project (git history and DVC cache included)."""
    dest = tmp_path / "repo"
    shutil.copytree(built_repo, dest, symlinks=True)
    return dest


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


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def hooked_env(hook_dir: Path, code: str, **extra: str) -> dict[str, str]:
    """run_env() with `code` run first in every Python process started with it (a
    sitecustomize on PYTHONPATH): fault injection into a stage that dvc starts."""
    hook_dir.mkdir(parents=True, exist_ok=True)
    (hook_dir / "sitecustomize.py").write_text(code)
    return dict(run_env(), PYTHONPATH=str(hook_dir), **extra)
