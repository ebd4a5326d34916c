"""`make` after installing: the bytecode `python -OO` reads (*.opt-2.pyc) for matplotlib and
every distribution it requires, as pip compiled the plain bytecode of all of them.

The figure stages run under `python -OO` (dvc.yaml): without docstrings, matplotlib skips
building the help text of every artist's setters at import, about 0.1 s of a stage start
that a figure never uses. Compiled here once, no stage compiles it, which with
PYTHONDONTWRITEBYTECODE set it would do at every run.
"""

from __future__ import annotations

import compileall
import re
from importlib import metadata
from pathlib import Path

ROOT_DISTRIBUTION = "matplotlib"


def requirement_closure(name: str) -> list[metadata.Distribution]:
    """name's distribution and all it requires, transitively, for this interpreter (no extras)."""
    from packaging.requirements import Requirement  # matplotlib requires packaging

    found: dict[str, metadata.Distribution] = {}
    todo = [name]
    while todo:
        dist = metadata.distribution(todo.pop())
        key = re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
        if key in found:
            continue
        found[key] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return list(found.values())


def sources(dist: metadata.Distribution) -> list[Path]:
    return [Path(dist.locate_file(f)) for f in dist.files or [] if f.suffix == ".py"]


def main() -> None:
    for dist in requirement_closure(ROOT_DISTRIBUTION):
        for path in sources(dist):
            if not compileall.compile_file(path, quiet=2, optimize=2):
                raise SystemExit(f"error: could not compile {path}")


if __name__ == "__main__":
    main()
