"""`make bench-scale` (python -m benchmarks.scale): what a longer SGD run costs. In a temporary
copy of the repository, `sgd.iterations` is set to 10⁴, 10⁵, 10⁶ and 10⁷ in turn, and each
`dvc repro` after the change is timed, with the peak resident memory of the largest process
it ran (dvc or a stage) and how much data/ and the DVC cache grew (new cache objects less
replaced outputs). Prints a Markdown table and draws benchmarks/scale.png (log-log)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nndl.sandbox import BIN, ROOT, copy_project, run_env, set_params

SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
FIGURE = ROOT / "benchmarks/scale.png"


def tree_bytes(*roots: Path) -> int:
    return sum(p.stat().st_size for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


def timed_repro(repo: Path) -> tuple[float, float]:
    """(seconds, peak MB of the largest process) of one `dvc repro`: wait4 reports the largest
    resident size among the process and the children it waited for, the stages included."""
    with tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [str(Path(BIN) / "dvc"), "repro"], cwd=repo, env=run_env(), stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise RuntimeError(err.read().decode())
    return seconds, usage.ru_maxrss / 1024.0


def measure(sizes: tuple[int, ...] = SIZES) -> list[tuple[int, float, float, float]]:
    """(iterations, seconds, peak MB, new MB) per size, each after the change from the last."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = copy_project(Path(tmp) / "repo")
        current = 10_000
        set_params(repo, f"sgd.iterations: {current}", "iterations: 5000")
        timed_repro(repo)  # the cold run, at a size below the first
        current = 5000
        for n in sizes:
            set_params(repo, f"sgd.iterations: {current}", f"iterations: {n}")
            current = n
            before = tree_bytes(repo / "data", repo / ".dvc/cache")
            seconds, peak = timed_repro(repo)
            added = (tree_bytes(repo / "data", repo / ".dvc/cache") - before) / 1e6
            rows.append((n, seconds, peak, added))
            print(
                f"  {n} iterations: {seconds:.1f} s, {peak:.0f} MB peak, {added:.1f} MB new", file=sys.stderr
            )
    return rows


def draw(rows: list[tuple[int, float, float, float]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = [r[0] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.loglog(n, [r[1] for r in rows], "o-", label="time of `dvc repro` (s)")
    ax.loglog(n, [r[2] for r in rows], "s-", label="peak resident memory (MB)")
    ax.loglog(n, [max(r[3], 1e-2) for r in rows], "^-", label="growth of data/ and the cache (MB)")
    ax.set_xlabel("sgd.iterations")
    ax.set_title("Cost of the pipeline after an iterations change")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(FIGURE, dpi=100, metadata={"Software": None})


def main() -> None:
    rows = measure()
    print(
        "| sgd.iterations | `dvc repro` after the change | peak memory (largest process) | growth of data/ and the cache |"
    )
    print("| --- | --- | --- | --- |")
    for n, seconds, peak, added in rows:
        print(f"| {n:,} | {seconds:.1f} s | {peak:.0f} MB | {added:.1f} MB |")
    draw(rows)
    print(f"\n({FIGURE.relative_to(ROOT)} drawn)")


if __name__ == "__main__":
    main()
