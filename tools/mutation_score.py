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
    equivalent = set(
        re.findall(r"`(nndl\.numerics\.\S+__mutmut_\d+)`", (ROOT / "docs/development.md").read_text())
    )
    metas = sorted((ROOT / "mutants/nndl/numerics").glob("*.py.meta"))
    if not metas:
        print("no results in mutants/: run `make mutate`")
        return 1
    print(f"{'module':<12} {'mutants':>7} {'caught':>6} {'survived':>8} {'equivalent':>10} {'score':>7}")
    total = [0, 0, 0, 0]
    unexplained = []
    for meta in metas:
        status = {
            k: status_by_exit_code[v] for k, v in json.loads(meta.read_text())["exit_code_by_key"].items()
        }
        if not status:
            continue
        survivors = sorted((k for k, s in status.items() if s not in CAUGHT), key=number)
        known = [k for k in survivors if k in equivalent]
        row = [len(status), len(status) - len(survivors), len(survivors), len(known)]
        total = [t + r for t, r in zip(total, row, strict=True)]
        print(
            f"{meta.name.split('.')[0]:<12} {row[0]:>7} {row[1]:>6} {row[2]:>8} {row[3]:>10} {score(row):>7}"
        )
        unexplained += [f"  {k} ({status[k]})" for k in survivors if k not in equivalent]
    print(f"{'all':<12} {total[0]:>7} {total[1]:>6} {total[2]:>8} {total[3]:>10} {score(total):>7}")
    print("score: caught / (mutants − equivalent)")
    if unexplained:
        print("Survivors not listed as equivalent in docs/development.md (`mutmut show NAME` shows one):")
        print("\n".join(unexplained))
        return 1
    return 0


def number(key: str) -> tuple[str, int]:
    name, _, n = key.rpartition("__mutmut_")
    return name, int(n)


def score(row: list[int]) -> str:
    mutants, caught, _, equivalent = row
    return f"{100.0 * caught / (mutants - equivalent):.1f}%" if mutants > equivalent else "-"


if __name__ == "__main__":
    sys.exit(main())
