"""Atomic output writers and the readers of the pipeline's own files.

Every output goes to a temporary file beside its target and is renamed over it, so a
stage killed mid-write never leaves a half-written file that DVC could take for a
finished output. The temporary names match `.*.tmp`, which .gitignore and .dvcignore
both exclude. DVC keeps every output in place while a stage runs (`persist` in dvc.yaml),
so a stage that stops early leaves the previous outputs whole, and a stage that writes a
folder clears from it what it no longer writes (`remove_stale`).

No output holds NaN or an infinity: the writers refuse them with an `OutputError`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any


class OutputError(ValueError):
    """An output a stage refuses to write; str() is the one-line message."""


def write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call write(f) on a temporary file in path's folder, then rename it to path."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:  # a full disk, say: the old output stays whole
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({err.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_atomic(path, lambda f: f.write(text.encode("utf-8")))


def write_json(path: Path, data: Any, *, indent: int | None = None) -> None:
    """JSON with Python's float repr: the shortest text that reads back to the same float."""
    try:
        text = json.dumps(data, indent=indent, allow_nan=False)
    except ValueError:
        raise OutputError(f"{path}: refusing to write a NaN or an infinity") from None
    write_text(path, text + "\n")


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV by the `csv` module (a label with a comma is quoted), floats in full precision (repr)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for i, row in enumerate(rows, start=1):
        writer.writerow([_cell(path, i, v) for v in row])
    write_text(path, buffer.getvalue())


def _cell(path: Path, row: int, value: Any) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise OutputError(f"{path}: refusing to write {value} in row {row}")
        return repr(value)
    return str(value)


def remove_stale(folder: Path, keep: Iterable[Path]) -> None:
    """Delete every file in folder but `keep` and .gitignore: what a stage wrote for params
    it no longer has, and temporary files of an interrupted run."""
    keep_names = {Path(p).name for p in keep} | {".gitignore"}
    if Path(folder).is_dir():
        for path in Path(folder).iterdir():
            if path.is_file() and path.name not in keep_names:
                path.unlink()


def read_points(path: Path) -> list[tuple[float, float]]:
    """The x1,x2 rows of data/samples.csv."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != ["x1", "x2"]:
        raise ValueError(f"{path}: expected the header x1,x2")
    return [(float(x1), float(x2)) for x1, x2 in rows[1:]]


def read_curve(path: Path) -> list[tuple[float, float]]:
    """The (x1, y1) rows of a network curve, data/network/<activation>_<seed>.csv."""
    with open(path, encoding="utf-8", newline="") as f:
        return [(float(r["x1"]), float(r["y1"])) for r in csv.DictReader(f)]
