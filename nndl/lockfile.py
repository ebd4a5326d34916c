"""dvc.lock as a function of params and code, never of history.

DVC keeps the lock entry of a matrix stage whose value was removed from params.yaml, and
appends the entry of a stage it runs for the first time at the end. After a step size is
changed and changed back, dvc.lock would hold stale entries in another order than a run
from scratch writes. `tidy` keeps the entries of the stages dvc.yaml defines now, in
dvc.yaml's order (a run from scratch writes them in that order too), and leaves every
entry's text as DVC wrote it.
"""

from __future__ import annotations

import re

STAGE = re.compile(r"^  (\S+):\n", re.MULTILINE)
DEFINED = re.compile(r"^  ([A-Za-z_][\w-]*):[ \t]*(?:#.*)?$")


def defined_stages(dvc_yaml: str) -> list[str]:
    """The names of the stages in dvc.yaml's `stages:` mapping, in order (a matrix stage by
    its own name, without the @ suffix)."""
    names, inside = [], False
    for line in dvc_yaml.splitlines():
        if line.startswith("stages:"):
            inside = True
        elif line and not line[0].isspace() and not line.startswith("#"):
            inside = False
        elif inside and (m := DEFINED.match(line)):
            names.append(m.group(1))
    return names


def tidy(lock: str, order: list[str]) -> str:
    """lock with only the entries named in order, in that order; unchanged if it does not
    look like a dvc.lock (DVC will say what is wrong with it)."""
    head, sep, body = lock.partition("stages:\n")
    if not sep:
        return lock
    starts = [m.start() for m in STAGE.finditer(body)]
    if not starts or starts[0] != 0:
        return lock
    blocks = {}
    for start, end in zip(starts, [*starts[1:], len(body)], strict=True):
        name = STAGE.match(body, start).group(1)
        blocks[name] = body[start:end]
    kept = [blocks[name] for name in order if name in blocks]
    return head + sep + "".join(kept)
