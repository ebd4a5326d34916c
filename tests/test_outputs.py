"""A stage's outputs as one set (nndl.pipeline.io.Outputs): nothing changes before the commit,
the commit puts every file in place and clears the stage's folders of the rest."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from nndl.pipeline.io import OutputError, Outputs


def files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def test_nothing_changes_until_the_commit_then_every_file_at_once(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("old")
    out = Outputs()
    out.text(tmp_path / "old.txt", "new")
    out.json(tmp_path / "sub/a.json", {"x": 1.5})
    out.csv(tmp_path / "b.csv", ("h", "k"), [(0.1, "a, b")])
    assert files(tmp_path) == {"old.txt": "old"} | {
        name: text for name, text in files(tmp_path).items() if name.endswith(".tmp")
    }
    out.commit()
    assert files(tmp_path) == {
        "old.txt": "new",
        "sub/a.json": '{"x": 1.5}\n',
        "b.csv": 'h,k\n0.1,"a, b"\n',
    }


def test_a_discarded_run_leaves_no_temporary_file_and_every_old_output(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("kept")
    out = Outputs()
    out.text(tmp_path / "kept.txt", "never")
    out.discard()
    assert files(tmp_path) == {"kept.txt": "kept"}


def test_a_declared_folder_keeps_only_what_the_run_wrote(tmp_path: Path) -> None:
    folder = tmp_path / "plots"
    folder.mkdir()
    for name in ("stale.png", "kept.png", ".gitignore", ".kept.png.abc.tmp"):
        (folder / name).write_text(name)
    out = Outputs()
    out.folder(folder)
    out.text(folder / "kept.png", "drawn again")
    out.commit()
    assert files(folder) == {".gitignore": ".gitignore", "kept.png": "drawn again"}


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_no_output_holds_a_nan_or_an_infinity(tmp_path: Path, bad: float) -> None:
    out = Outputs()
    with pytest.raises(OutputError, match="NaN or an infinity"):
        out.json(tmp_path / "a.json", {"x": bad})
    with pytest.raises(OutputError, match=f"refusing to write {bad} in row 2"):
        out.csv(tmp_path / "a.csv", ("x",), [(1.0,), (bad,)])
    out.discard()
    assert files(tmp_path) == {}


def test_a_write_that_fails_says_which_file_in_one_line(tmp_path: Path) -> None:
    out = Outputs()

    def full(f) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError) as err:
        out.write(tmp_path / "a.png", full)
    assert str(err.value) == f"{tmp_path / 'a.png'}: cannot write (No space left on device)"
    out.discard()
    assert files(tmp_path) == {}
