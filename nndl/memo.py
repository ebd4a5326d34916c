"""What a stage may keep of its own last run: a figure whose inputs and code are as when it
was drawn, and whose file is still the one drawn then, is the figure a redraw would give
(the drawing is byte-for-byte deterministic), so the stage need not pay matplotlib for it.

DVC re-runs a stage when any of its inputs changes; a stage that draws one figure per step
size would otherwise redraw them all when one step size changes. The memo is one of the
stage's outputs (git-tracked, so a fresh clone has it with the figures it describes); if it
is missing or unreadable, every figure is drawn.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from nndl.io import write_text


def digest(parts: Iterable[bytes | str]) -> str:
    """sha256 of the parts, each length-prefixed so that no two lists of parts collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


class Memo:
    """Entries name -> (key of the inputs, digest of each output as written)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries: dict[str, dict] = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.entries = {}
        self.kept: dict[str, dict] = {}

    def fresh(self, name: str, key: str, outputs: list[Path]) -> bool:
        """True if the outputs were written from inputs with this key and are unchanged since."""
        entry = self.entries.get(name)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return False
        written = entry.get("outputs")
        if not isinstance(written, dict) or set(written) != {str(p) for p in outputs}:
            return False
        if any(file_digest(p) != written[str(p)] for p in outputs):
            return False
        self.kept[name] = entry
        return True

    def record(self, name: str, key: str, outputs: list[Path]) -> None:
        """The outputs were just written from inputs with this key."""
        self.kept[name] = {"key": key, "outputs": {str(p): file_digest(p) for p in outputs}}

    def save(self) -> None:
        """Keep the entries of this run only (fresh or recorded): a removed figure is forgotten."""
        write_text(self.path, json.dumps(self.kept, indent=1, sort_keys=True) + "\n")
