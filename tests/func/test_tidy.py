"""After DVC: dvc.lock keeps only the stages dvc.yaml defines, in DVC's order, each entry as DVC
wrote it, and the outputs of the stale entries are gone (nndl/pipeline/tidy.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from nndl.pipeline.tidy import tidy

pytestmark = pytest.mark.func


def test_a_stale_entry_goes_with_its_output_and_the_rest_comes_back_in_order(repo: Path) -> None:
    lock = (repo / "dvc.lock").read_text()
    yaml = YAML()
    data = yaml.load(lock)
    stages = data["stages"]
    stale = stages["sgd_fit@0.0001-1"]
    stale_out = repo / "data/sgd/0.0002/1.json"
    stale_out.parent.mkdir()
    stale_out.write_text("a fit of a removed step size")
    moved = {"sgd_fit@0.0002-1": {**stale, "outs": [{**stale["outs"][0], "path": "data/sgd/0.0002/1.json"}]}}
    data["stages"] = dict(reversed(list(stages.items()))) | moved  # every entry in another order
    with open(repo / "dvc.lock", "w") as f:
        yaml.dump(data, f)
    assert tidy(repo) == [
        "dropped the lock entry of sgd_fit@0.0002-1, which dvc.yaml no longer defines",
        "removed data/sgd/0.0002/1.json, which no stage writes",
    ]
    assert (repo / "dvc.lock").read_text() == lock
    assert not stale_out.exists()
    assert not list(repo.glob(".dvc.lock*.tmp"))


def test_a_tidy_lock_is_left_as_it_is(repo: Path) -> None:
    lock = (repo / "dvc.lock").read_bytes()
    inode = (repo / "dvc.lock").stat().st_ino
    assert tidy(repo) == []
    assert (repo / "dvc.lock").read_bytes() == lock
    assert (repo / "dvc.lock").stat().st_ino == inode  # not even rewritten
    assert not list(repo.glob(".dvc.lock*.tmp"))


def test_tidy_replaces_the_lock_by_a_rename_never_in_place(repo: Path) -> None:
    """An interrupt then leaves the old lock or the new one (helper-3 cut it in half with a
    SIGINT when it was rewritten in place)."""
    path = repo / "dvc.lock"
    yaml = YAML()
    data = yaml.load(path.read_text())
    data["stages"] = dict(reversed(list(data["stages"].items())))
    with open(path, "w") as f:
        yaml.dump(data, f)
    inode = path.stat().st_ino
    tidy(repo)
    assert path.stat().st_ino != inode
