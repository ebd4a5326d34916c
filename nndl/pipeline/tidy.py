"""Around `dvc repro`: dvc.lock and data/ as a function of params and code, never of history.

DVC keeps the lock entry, and the output files, of a matrix item that params.yaml no longer
names (a removed step size), and appends the entry of a stage it runs for the first time at
the end. So a stale fit would stay in data/sgd, which the summary stages depend on as a
folder, and after a step size is changed and changed back, dvc.lock would hold stale entries
in another order than a run from scratch writes. `tidy` drops the entries of stages that
dvc.yaml no longer defines and deletes their outputs, and puts the rest in the order DVC
defines the stages (a run from scratch writes them in that order too). It reads dvc.yaml
through DVC itself and rewrites dvc.lock as DVC does (ruamel.yaml, round trip), so every entry
keeps the text DVC wrote. `make repro` runs it before `dvc repro` (no stage reads a stale fit)
and after it (DVC's order); with plain dvc, run `python -m nndl.pipeline.tidy` the same way.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def tidy(root: Path = Path(".")) -> list[str]:
    """Tidy root's dvc.lock; the names of the stale entries removed."""
    from dvc.repo import Repo
    from dvc.utils.serialize import modify_yaml

    lock = Path(root) / "dvc.lock"
    if not lock.is_file():
        return []
    with Repo(str(root)) as repo:
        stages = list(repo.index.stages)
    order = [stage.name for stage in stages]
    current = {Path(out.fs_path).resolve() for stage in stages for out in stage.outs}
    with modify_yaml(str(lock)) as data:
        entries = data.get("stages") or {}
        stale = [name for name in entries if name not in order]
        for name in stale:
            for out in entries[name].get("outs", []):
                path = (Path(root) / out["path"]).resolve()
                if path not in current:
                    _remove(path)
        kept = [(name, entries[name]) for name in order if name in entries]
        for name in list(entries):
            del entries[name]
        for name, entry in kept:
            entries[name] = entry
    return stale


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    for name in tidy():
        print(f"tidied: dropped the stale entry {name} from dvc.lock and its outputs", file=sys.stderr)
