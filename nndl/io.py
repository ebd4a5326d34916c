"""Atomic output writers and the readers of the pipeline's own files.

Every output goes to a temporary file beside its target and is renamed over it, so a
stage killed mid-write never leaves a half-written file that DVC could take for a
finished output. The temporary names match `.*.tmp`, which .gitignore and .dvcignore
both exclude.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any


def write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call write(f) on a temporary file in path's folder, then rename it to path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_atomic(path, lambda f: f.write(text.encode("utf-8")))


def write_json(path: Path, data: Any, *, indent: int | None = None) -> None:
    """JSON with Python's float repr: the shortest text that reads back to the same float."""
    write_text(path, json.dumps(data, indent=indent, allow_nan=False) + "\n")


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV by the `csv` module (a label with a comma is quoted), floats in full precision (repr)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    write_text(path, buffer.getvalue())


def _cell(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def read_points(path: Path) -> list[tuple[float, float]]:
    """The x1,x2 rows of data/samples.csv."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != ["x1", "x2"]:
        raise ValueError(f"{path}: expected the header x1,x2")
    return [(float(x1), float(x2)) for x1, x2 in rows[1:]]
