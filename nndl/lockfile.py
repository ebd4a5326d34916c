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
from pathlib import Path

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


def stage_order(dvc_yaml: str, runs: list[tuple[str, int]]) -> list[str]:
    """Every stage name dvc.yaml expands to, in its order; the matrix stage `sgd_fit` once per
    (step label, seed) of params, as DVC names them."""
    order = []
    for name in defined_stages(dvc_yaml):
        order += [f"{name}@{label}-{seed}" for label, seed in runs] if name == "sgd_fit" else [name]
    return order


def tidy_file(lock: Path, dvc_yaml: Path, runs: list[tuple[str, int]]) -> None:
    """Rewrite dvc.lock tidied (atomically), if it exists and tidying changes it."""
    from nndl.io import write_text

    if lock.is_file() and dvc_yaml.is_file():
        text = lock.read_text(encoding="utf-8")
        tidied = tidy(text, stage_order(dvc_yaml.read_text(encoding="utf-8"), runs))
        if tidied != text:
            write_text(lock, tidied)


if __name__ == "__main__":  # `make repro`, after dvc repro: the same tidying for any change
    from nndl.params import load_params

    params = load_params()
    tidy_file(Path("dvc.lock"), Path("dvc.yaml"), [(label, seed) for _, label, seed in params.sgd.runs()])
