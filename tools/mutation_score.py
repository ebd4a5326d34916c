"""The score of `make mutate` per module of nndl/numerics, from mutmut's results in mutants/.

Caught: the tests failed (killed) or ran past mutmut's time limit (timeout). Every other mutant
survived: the tests passed, or none ran it. A survivor that docs/development.md names (section
"Mutation testing") is an equivalent mutant; the exit status is 1 if any other survived.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]
CAUGHT = {"killed", "timeout"}


def main() -> int:
    docs = (ROOT / "docs/development.md").read_text()
    equivalent = set(re.findall(r"`(nndl\.numerics\.\S+__mutmut_\d+)`", docs))
    metas = sorted((ROOT / "mutants/nndl/numerics").glob("*.py.meta"))
    if not metas:
        print("no results in mutants/: run `make mutate`")
        return 1
    print(
        f"{'module':<11} {'mutants':>7} {'caught':>6} {'survived':>8} {'equivalent':>10} {'caught %':>8} {'score':>6}"
    )
    total, survivors = [0, 0, 0, 0], []
    for meta in metas:
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        status = {k: status_by_exit_code[v] for k, v in codes.items()}
        if not status:
            continue
        left = sorted((k for k, s in status.items() if s not in CAUGHT), key=number)
        row = [len(status), len(status) - len(left), len(left), sum(k in equivalent for k in left)]
        total = [t + r for t, r in zip(total, row, strict=True)]
        print(line(meta.name.split(".")[0], row))
        survivors += [(k, status[k], k in equivalent) for k in left]
    print(line("all", total))
    print("score: caught / (mutants − equivalent)")
    if survivors:
        print("Survivors (`mutmut show NAME` shows one):")
        for k, s, known in survivors:
            print(f"  {k} ({s}{', equivalent' if known else ', NOT LISTED as equivalent'})")
    return 0 if all(known for *_, known in survivors) else 1


def number(key: str) -> tuple[str, int]:
    name, _, n = key.rpartition("__mutmut_")
    return name, int(n)


def line(name: str, row: list[int]) -> str:
    mutants, caught, survived, equivalent = row
    score = f"{100.0 * caught / (mutants - equivalent):.1f}%" if mutants > equivalent else "-"
    raw = f"{100.0 * caught / mutants:.1f}%"
    return f"{name:<11} {mutants:>7} {caught:>6} {survived:>8} {equivalent:>10} {raw:>8} {score:>6}"


if __name__ == "__main__":
    sys.exit(main())
