"""A stage's outputs, written as one set, and the readers of the pipeline's own files.

A stage writes every output through an `Outputs`: each file goes to a temporary file beside
its target (named `.*.tmp`, which .gitignore and .dvcignore exclude), and `commit` renames
them all into place at the end, with SIGINT and SIGTERM held back, then removes from each
folder the stage owns the files it did not write this time. Until the commit no output
changes: a bad value, a full disk, an interrupt or a crash before it leaves every output as it
was, and `discard` removes the temporary files. (A SIGKILL during the commit's few renames is
the one way to leave a mixed set; the next run replaces it, and removes the temporary files a
killed run left.)

No output holds NaN or an infinity: the writers refuse them with an `OutputError`.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import math
import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any


class OutputError(ValueError):
    """An output a stage refuses or fails to write; str() is the one-line message."""


HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class Outputs:
    """The files one stage run writes, staged and then committed together."""

    committed = False  # set once a commit has begun renaming, for the interrupt handler

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}  # target -> temporary file beside it
        self._folders: list[Path] = []

    def folder(self, path: Path) -> Path:
        """Declare that folder holds exactly what this run writes into it: at the commit, any
        other file there (of params that are gone, or of an interrupted run) is removed."""
        self._folders.append(Path(path))
        return Path(path)

    def write(self, path: Path, write: Callable[[IO[bytes]], None]) -> None:
        """Stage path: write(f) fills a temporary file beside it."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as err:
            raise OutputError(f"{path}: cannot write ({err.strerror})") from None
        old = self._staged.pop(path, None)
        if old is not None:
            old.unlink(missing_ok=True)
        self._staged[path] = Path(tmp)
        try:
            with os.fdopen(fd, "wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
        except OSError as err:  # a full disk, say
            raise OutputError(f"{path}: cannot write ({err.strerror})") from None

    def text(self, path: Path, text: str) -> None:
        self.write(path, lambda f: f.write(text.encode("utf-8")))

    def json(self, path: Path, data: Any, *, indent: int | None = None) -> None:
        """JSON with Python's float repr: the shortest text that reads back to the same float."""
        try:
            text = json.dumps(data, indent=indent, allow_nan=False)
        except ValueError:
            raise OutputError(f"{path}: refusing to write a NaN or an infinity") from None
        self.text(path, text + "\n")

    def csv(self, path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """CSV by the `csv` module (a label with a comma is quoted), floats in full precision."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for i, row in enumerate(rows, start=1):
            writer.writerow([_cell(path, i, v) for v in row])
        self.text(path, buffer.getvalue())

    def commit(self) -> None:
        """Rename every staged file into place and clear the declared folders of the rest,
        with SIGINT and SIGTERM held back until all is done. (Held by Python handlers, not by
        a signal mask: a mask holds a signal for this thread only, and the kernel may hand a
        process's signal to another thread, such as one of OpenBLAS's.)"""
        held: list[int] = []
        previous = {
            sig: signal.signal(sig, lambda signum, frame: held.append(signum)) for sig in HELD_SIGNALS
        }
        Outputs.committed = True
        try:
            for path, tmp in self._staged.items():
                try:
                    os.replace(tmp, path)
                except OSError as err:
                    raise OutputError(f"{path}: cannot write ({err.strerror})") from None
            written = set(self._staged)
            self._staged = {}
            for path in written:  # the temporary files a killed run left beside its outputs
                for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
                    tmp.unlink(missing_ok=True)
            for folder in self._folders:
                for path in folder.iterdir() if folder.is_dir() else ():
                    if path.is_file() and path not in written and path.name != ".gitignore":
                        path.unlink()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if held:
                signal.raise_signal(held[0])

    def discard(self) -> None:
        """Remove the temporary files of what was not committed."""
        for tmp in self._staged.values():
            tmp.unlink(missing_ok=True)
        self._staged = {}


def _cell(path: Path, row: int, value: Any) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise OutputError(f"{path}: refusing to write {value} in row {row}")
        return repr(value)
    return str(value)


# --- readers --------------------------------------------------------------------------


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


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
