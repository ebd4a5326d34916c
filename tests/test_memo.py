"""The memo that lets a stage keep a figure: kept only for the same inputs and the same file."""

from __future__ import annotations

from pathlib import Path

import pytest

from nndl.memo import Memo, digest


@pytest.fixture
def figure(tmp_path: Path) -> Path:
    path = tmp_path / "figure.png"
    path.write_bytes(b"pixels")
    return path


def recorded(tmp_path: Path, figure: Path, key: str = "k1") -> Memo:
    memo = Memo(tmp_path / "memo.json")
    memo.record("0.001", key, [figure])
    memo.save()
    return Memo(tmp_path / "memo.json")


def test_a_figure_from_the_same_inputs_and_unchanged_is_fresh(tmp_path: Path, figure: Path) -> None:
    assert recorded(tmp_path, figure).fresh("0.001", "k1", [figure])


def test_other_inputs_make_it_stale(tmp_path: Path, figure: Path) -> None:
    assert not recorded(tmp_path, figure).fresh("0.001", "k2", [figure])


def test_a_changed_or_missing_file_makes_it_stale(tmp_path: Path, figure: Path) -> None:
    memo = recorded(tmp_path, figure)
    figure.write_bytes(b"other pixels")
    assert not memo.fresh("0.001", "k1", [figure])
    figure.unlink()
    assert not memo.fresh("0.001", "k1", [figure])


def test_an_unknown_name_is_stale(tmp_path: Path, figure: Path) -> None:
    assert not recorded(tmp_path, figure).fresh("0.01", "k1", [figure])


@pytest.mark.parametrize(
    "content", [b"", b"not json", b"[1, 2]", b'{"0.001": 3}', b'{"0.001": {"key": "k1"}}']
)
def test_a_missing_or_unreadable_memo_keeps_nothing(tmp_path: Path, figure: Path, content: bytes) -> None:
    assert not Memo(tmp_path / "absent.json").fresh("0.001", "k1", [figure])
    (tmp_path / "memo.json").write_bytes(content)
    assert not Memo(tmp_path / "memo.json").fresh("0.001", "k1", [figure])


def test_save_keeps_only_the_entries_of_this_run(tmp_path: Path, figure: Path) -> None:
    memo = recorded(tmp_path, figure)
    other = tmp_path / "other.png"
    other.write_bytes(b"x")
    memo.record("0.01", "k3", [other])  # 0.001 was neither fresh nor recorded this run
    memo.save()
    reread = Memo(tmp_path / "memo.json")
    assert not reread.fresh("0.001", "k1", [figure])
    assert reread.fresh("0.01", "k3", [other])


def test_the_digest_tells_apart_parts_that_concatenate_alike() -> None:
    assert digest(["ab", "c"]) != digest(["a", "bc"])
    assert digest([b"ab"]) == digest(["ab"])
