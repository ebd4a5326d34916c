"""Around `dvc repro`: dvc.lock and data/ as a function of params and code, never of history.

DVC keeps the lock entry, and the output files, of a matrix item that params.yaml no longer
names (a removed step size), and appends the entry of a stage it runs for the first time at
the end. So a stale fit would stay in data/sgd, which the summary stages depend on as a
folder, and after a step size is changed and changed back, dvc.lock would hold stale entries
in another order than a run from scratch writes. `tidy` drops the entries of stages that
dvc.yaml no longer defines with their outputs, deletes every file in data/ that no stage
writes (a removed fit, a temporary file of a killed run), and puts the entries in the order
DVC defines the stages (a run from scratch writes them in that order too). It reads dvc.yaml
through DVC itself and rewrites dvc.lock as DVC does (ruamel.yaml, round trip), so every entry
keeps the text DVC wrote; only when something changes, and through the stages' own writer
(nndl/pipeline/io.py: a rename), so that an interrupt leaves the old lock or the new one, never
a part. `make repro` runs it before `dvc repro` (no stage reads a stale fit) and after it
(DVC's order); with plain dvc, run `python -m nndl.pipeline.tidy` the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nndl.pipeline.io import Outputs

DATA = Path("data")  # the compute stages' outputs: every file in it belongs to a stage


def tidy(root: Path = Path(".")) -> list[str]:
    """Tidy root's dvc.lock and data/; one line for each thing removed."""
    from dvc.repo import Repo
    from dvc.utils.serialize import dumps_yaml, parse_yaml_for_update

    root = Path(root)
    with Repo(str(root)) as repo:
        stages = list(repo.index.stages)
    order = [stage.name for stage in stages]
    current = [Path(out.fs_path).resolve() for stage in stages for out in stage.outs]
    said = []
    lock = root / "dvc.lock"
    if lock.is_file():
        text = lock.read_text(encoding="utf-8")
        data = parse_yaml_for_update(text, str(lock))
        entries = data.get("stages") or {}
        for name in [name for name in entries if name not in order]:
            said.append(f"dropped the lock entry of {name}, which dvc.yaml no longer defines")
            for out in entries[name].get("outs", []):  # a removed step size's figure, say
                path = root / out["path"]
                if path.is_file() and path.resolve() not in current:
                    path.unlink()
                    said.append(f"removed {out['path']}, which no stage writes")
        kept = [(name, entries[name]) for name in order if name in entries]
        for name in list(entries):
            del entries[name]
        for name, entry in kept:
            entries[name] = entry
        tidied = dumps_yaml(data)
        if tidied != text:
            out = Outputs()
            out.text(lock, tidied)
            out.commit()
    data_dir = root / DATA
    for path in sorted(data_dir.rglob("*"), reverse=True) if data_dir.is_dir() else ():
        owned = any(path.resolve() == out or out in path.resolve().parents for out in current)
        if path.is_file() and not owned:
            path.unlink()
            said.append(f"removed {path.relative_to(root)}, which no stage writes")
        elif path.is_dir() and not owned and not any(path.iterdir()):
            path.rmdir()  # the folder of a removed step size's fits
    return said


if __name__ == "__main__":
    try:
        for line in tidy():
            print(f"tidied: {line}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted: dvc.lock is whole (the old or the tidied one); run again", file=sys.stderr)
        sys.exit(130)
