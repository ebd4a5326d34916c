"""`make bench-scale` (python -m benchmarks.scale): what a longer SGD run costs. In a temporary
copy of the repository, `sgd.iterations` is set to 10⁴, 10⁵, 10⁶ and 10⁷ in turn, and each
`dvc repro` after the change is timed, with the peak resident memory of the largest process
it ran (dvc or a stage), that of one fit stage run on its own, and how much data/ and the DVC
cache grew (new cache objects less replaced outputs). Then the size goes back to the one before
and forward again, and the second `dvc repro` is timed too: its fits come from DVC's run-cache. Prints a Markdown table and redraws
benchmarks/scale.png (log-log) in this checkout, to commit with the table. `make bench` prints
the rows up to 10⁶ only (`--short`): the 10⁷ row alone takes over a minute.

A child's peak resident size (wait4) counts the image of the process that started it, up to
its exec: so this runs as a small process of its own, never inside a larger one."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.peak import measured
from tests.sandbox import BIN, ROOT, copy_project, set_params, user_env

SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
FIGURE = ROOT / "benchmarks/scale.png"
Row = tuple[int, float, float, float, float, float]  # iterations, s, s back, peak MB, fit MB, growth MB


def tree_bytes(*roots: Path) -> int:
    return sum(p.stat().st_size for root in roots if root.exists() for p in root.rglob("*") if p.is_file())


def timed(repo: Path, cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MB of the largest process) of one command: wait4 reports the largest
    resident size among the process and the children it waited for (dvc's stages included)."""
    with tempfile.TemporaryFile() as err:
        seconds, peak, code = measured(cmd, cwd=repo, env=user_env(), stderr=err)
        if code != 0:
            err.seek(0)
            raise RuntimeError(err.read().decode())
    return seconds, peak


def timed_repro(repo: Path) -> tuple[float, float]:
    return timed(repo, [str(Path(BIN) / "dvc"), "repro"])


def fit_peak(repo: Path) -> float:
    """Peak MB of one fit stage, run again on its own (it writes the same file)."""
    return timed(repo, [str(Path(BIN) / "python"), "-m", "stages.sgd_fit", "--step", "0.001", "--seed", "1"])[
        1
    ]


def measure(sizes: tuple[int, ...] = SIZES) -> list[Row]:
    """One row per size, each measured after the change from the size before."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = copy_project(Path(tmp) / "repo")
        set_params(repo, "sgd.iterations: 10000", "iterations: 5000")
        timed_repro(repo)  # the cold run, at a size below the first
        current = 5000
        for n in sizes:
            set_params(repo, f"sgd.iterations: {current}", f"iterations: {n}")
            before = tree_bytes(repo / "data", repo / ".dvc/cache")
            seconds, peak = timed_repro(repo)
            added = (tree_bytes(repo / "data", repo / ".dvc/cache") - before) / 1e6
            fit = fit_peak(repo)
            set_params(repo, f"sgd.iterations: {n}", f"iterations: {current}")
            timed_repro(repo)
            set_params(repo, f"sgd.iterations: {current}", f"iterations: {n}")
            back, _ = timed_repro(repo)
            current = n
            rows.append((n, seconds, back, peak, fit, added))
            print(f"  {n} iterations: {rows[-1]}", file=sys.stderr)
    return rows


def draw(rows: list[Row]) -> None:
    """Three panels, one quantity each with its own labelled axis, against sgd.iterations."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    n = [r[0] for r in rows]
    fig, (time, memory, disk) = plt.subplots(1, 3, figsize=(12, 3.8), layout="constrained")
    time.loglog(n, [r[1] for r in rows], "o-", label="after the change")
    time.loglog(n, [r[2] for r in rows], "v-", label="back to a size that ran")
    time.yaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
    time.yaxis.set_minor_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
    time.set_ylabel("seconds")
    time.set_title("Time of `dvc repro`")
    time.legend(loc="upper left", fontsize=8)
    memory.semilogx(n, [r[3] for r in rows], "s-", label="largest process (dvc)")
    memory.semilogx(n, [r[4] for r in rows], "d-", label="one fit stage")
    memory.set_ylim(bottom=0)
    memory.set_ylabel("peak resident memory (MB)")
    memory.set_title("Peak memory")
    memory.legend(loc="lower right", fontsize=8)
    disk.semilogx(n, [r[5] for r in rows], "^-")
    disk.set_ylim(bottom=0)
    disk.set_ylabel("MB")
    disk.set_title("Growth of data/ and the DVC cache")
    for ax in (time, memory, disk):
        ax.set_xlabel("sgd.iterations")
        ax.grid(True, which="both", alpha=0.3)
    fig.suptitle("Cost of the pipeline after a change of sgd.iterations")
    fig.savefig(FIGURE, dpi=100, metadata={"Software": None})


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| sgd.iterations | `dvc repro` after the change | back to it after another size "
        "| peak memory, largest process | peak memory, one fit | growth of data/ and the cache |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n, seconds, back, peak, fit, added in rows:
        lines.append(
            f"| {n:,} | {seconds:.1f} s | {back:.1f} s | {peak:.0f} MB | {fit:.0f} MB | {added:.1f} MB |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """All sizes, then the figure; with --short the sizes up to 10⁶ and no figure."""
    if "--short" in argv:
        print(table(measure(SIZES[:-1])))
        return
    rows = measure()
    print(table(rows))
    draw(rows)
    print(f"\n({FIGURE.relative_to(ROOT)} redrawn)")


if __name__ == "__main__":
    main(sys.argv[1:])
