"""Progress on stderr for the long parts of a stage, shown only to a person at a terminal:
under DVC in a terminal, a long fit shows its bar; in a log, a pipe or the tests, nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

# Work below this many units is over too soon for a bar to help.
MIN_TOTAL = 200_000


def progress(
    total: int, description: str, stream: TextIO | None = None
) -> tuple[Callable[[int], None], Callable[[], None]]:
    """(advance(n), close()): a tqdm bar on a terminal for a large total, else no-ops.
    tqdm is imported only when a bar is shown."""
    stream = sys.stderr if stream is None else stream
    if total < MIN_TOTAL or not stream.isatty():
        return (lambda n: None), (lambda: None)
    from tqdm import tqdm

    bar = tqdm(total=total, desc=description, file=stream, unit_scale=True, leave=False, mininterval=0.5)
    return bar.update, bar.close
