"""Fixtures: a temporary copy of this repository with its own git history, in which the
functional tests run dvc, as DVC's own tests/func do. Helpers are in tests/helpers.py."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir

from tests.helpers import OUTPUTS, copy_project, git, reproduce

# hypothesis keeps no example database in the checkout (.hypothesis/): tests write only in
# their temporary directories
settings.register_profile("guest", database=None)
# under mutmut (`make mutate`, which sets MUTANT_UNDER_TEST) a failing example kills the mutant
# as it is: shrinking it would only spend the mutant's time limit; and every run draws the same
# examples, so that the score is the same from run to run
settings.register_profile(
    "mutant", parent=settings.get_profile("guest"), phases=[Phase.explicit, Phase.generate], derandomize=True
)
settings.load_profile("mutant" if "MUTANT_UNDER_TEST" in os.environ else "guest")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The unit tests first: while one worker reproduces the repository the functional tests
    share (built_repo, half a minute), the other runs them instead of waiting for it."""
    items.sort(key=lambda item: "tests/func/" in item.nodeid)


def pytest_sessionstart(session: pytest.Session) -> None:
    """hypothesis's caches (constants, unicode data), which it starts filling while tests are
    collected, go to this session's temporary directory instead of .hypothesis/ here."""
    set_hypothesis_home_dir(session.config._tmp_path_factory.mktemp("hypothesis"))


@pytest.fixture(scope="session", autouse=True)
def _caches_in_temporary_directories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The caches that dvc and matplotlib keep outside a repository (/var/tmp/dvc, ~/.config)
    go to this session's temporary directory, for every process the tests start."""
    home = tmp_path_factory.mktemp("caches")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DVC_SITE_CACHE_DIR", str(home / "dvc-site"))
        mp.setenv("MPLCONFIGDIR", str(home / "matplotlib"))
        yield


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with its outputs and dvc.lock deleted, reproduced from scratch and
    committed: once per test session, shared by the xdist workers. Tests copy it, never change
    it; the stages that run ran, in order, are in ran.json beside it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the session's
    built = shared / "built"
    with FileLock(shared / "built.lock"):
        if not (built / "ran.json").is_file():
            repo = copy_project(built / "repo")
            (repo / "dvc.lock").unlink()
            for out in OUTPUTS:
                path = repo / out
                if path.exists():
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            ran = reproduce(repo)
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", "reproduced from scratch", "--allow-empty")
            (built / "ran.json").write_text(json.dumps(ran))
    return built / "repo"


@pytest.fixture
def repo(built_repo: Path, tmp_path: Path) -> Path:
    """A private, reproduced copy of the project (git history and DVC cache included)."""
    dest = tmp_path / "repo"
    shutil.copytree(built_repo, dest, symlinks=True)
    return dest
