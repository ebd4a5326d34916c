"""`make bench-bounds` (python -m benchmarks.bounds): each stage at the largest params the loader
accepts, its time and peak resident memory, against the budget every accepted params set must
keep: 2 GB and 5 minutes a stage on 2 cores. Prints a Markdown table for docs/robustness.md.

Each case edits params.yaml in a fresh copy of the repository (data/ copied from this checkout,
so a stage finds its inputs), then runs its stages one by one, each as dvc.yaml starts it, from
this small process (benchmarks/peak.py: a child's peak counts the image of its parent)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.peak import measured
from nndl.pipeline import params as bounds
from tests.sandbox import ROOT, copy_project, set_params, user_env

STAGE = "sh stages/pinned.sh python -m stages.{}"

# (what is at its bound, the edits of params.yaml, the stages to run in order)
CASES = [
    (
        f"gaussian.n = {bounds.MAX_SAMPLES:,} points",
        [("  n: 1000\n", f"  n: {bounds.MAX_SAMPLES}\n")],
        ["samples", "sgd_fit --step 0.001 --seed 1", "sgd_summary", "sgd_figures --step 0.001", "report"],
    ),
    (
        f"sgd.iterations = {bounds.MAX_FIT_ITERATIONS:,}",
        [("sgd.iterations: 10000", f"iterations: {bounds.MAX_FIT_ITERATIONS}")],
        ["sgd_fit --step 0.001 --seed 1"],
    ),
    (
        # 20,000 iterations: the longest objective a fit keeps whole, the most a summary reads
        f"{bounds.MAX_RUNS} step sizes × {bounds.MAX_RUNS} init seeds, 20,000 iterations each",
        [
            (
                "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]",
                f"step_sizes: {[k * 1e-4 for k in range(1, bounds.MAX_RUNS + 1)]}",
            ),
            ("init_seeds: [1, 2, 3]", f"init_seeds: {list(range(1, bounds.MAX_RUNS + 1))}"),
            ("sgd.iterations: 10000", "iterations: 20000"),
        ],
        ["sgd_fit --step 0.0001 --seed 1", "sgd_summary", "sgd_figures --step 0.0001", "report"],
    ),
    (
        f"sgd_sweep: 2 step sizes × 100 replicas × {bounds.MAX_ITERATIONS:,} iterations (the most iterations)",
        [
            ("  steps_per_decade: 4\n", "  steps_per_decade: 1\n"),
            ("  - 1.0e-6\n  - 1.0\n", "  - 1.0e-4\n  - 1.0e-3\n"),
            ("sgd_sweep.iterations: 10000", f"iterations: {bounds.MAX_ITERATIONS}"),
        ],
        ["sgd_sweep", "sgd_sweep_figures"],
    ),
    (
        f"sgd_sweep: 241 step sizes × 829 replicas × 1,000 iterations ({bounds.MAX_SWEEP_WORK:,} replica-iterations)",
        [
            ("  steps_per_decade: 4\n", "  steps_per_decade: 20\n"),
            ("  - 1.0e-6\n  - 1.0\n", "  - 1.0e-9\n  - 1000.0\n"),
            (
                "  replicas: 100\n  iterations: 10000\n  sheet_steps",
                "  replicas: 829\n  iterations: 1000\n  sheet_steps",
            ),
        ],
        ["sgd_sweep", "sgd_sweep_figures"],
    ),
    (
        f"sgd_stationary: 25 chains × 2,000,000 iterations, {bounds.MAX_RECORDED:,} iterates kept",
        [
            (
                "  replicas: 100\n  burn_in: 30000\n  iterations: 60000\n  record_every: 100\n",
                f"  replicas: 25\n  burn_in: {bounds.MAX_ITERATIONS}\n  iterations: {bounds.MAX_ITERATIONS}\n  record_every: {-(-25 * bounds.MAX_ITERATIONS // bounds.MAX_RECORDED)}\n",
            )
        ],
        ["sgd_stationary", "sgd_stationary_summary", "report"],
    ),
    (
        f"ascent: {bounds.MAX_RUNS} starts × 2 step sizes × {bounds.MAX_ASCENT_ITERATIONS:,} iterations;"
        f" the figures on a {bounds.MAX_GRID:,} × {bounds.MAX_GRID:,} contour grid, 200 levels, 600 dpi",
        [
            ("  max_iterations: 20000", f"  max_iterations: {bounds.MAX_ASCENT_ITERATIONS}"),
            (
                "ascent.step_sizes: [1.0e-3, 3.0e-3, 1.0e-2, 3.0e-2, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.59, 0.595, 0.599, 0.6, 0.61, 0.65, 0.7, 1.0, 2.0]",
                "step_sizes: [1.0e-6, 2.0]",
            ),
            (
                "starts: [[0.2, 0.5], [0.5, 0.2], [1.0, 1.0]]",
                f"starts: {[[0.1 * k, 0.5] for k in range(bounds.MAX_RUNS)]}",
            ),
            (
                "  grid: 200\n  levels: 20\n  dpi: 150\n",
                f"  grid: {bounds.MAX_GRID}\n  levels: 200\n  dpi: 600\n",
            ),
        ],
        ["ascent", "ascent_figures", "report"],
    ),
    (
        f"network: {bounds.MAX_POINTS:,} points, {bounds.MAX_RUNS} weight sets; the figure at 600 dpi",
        [
            ("  points: 401\n", f"  points: {bounds.MAX_POINTS}\n"),
            ("weight_seeds: [1, 2, 3]", f"weight_seeds: {list(range(1, bounds.MAX_RUNS + 1))}"),
            ("network_figures:\n  dpi: 100\n", "network_figures:\n  dpi: 600\n"),
        ],
        ["network", "network_figures", "report"],
    ),
]


def main(only: list[int]) -> None:
    """Every case, or those numbered in only (from 0, in the order of CASES)."""
    rows = []
    for what, edits, stages in [c for i, c in enumerate(CASES) if not only or i in only]:
        with tempfile.TemporaryDirectory() as tmp:
            repo = copy_project(Path(tmp) / "repo")
            shutil.copytree(ROOT / "data", repo / "data", dirs_exist_ok=True)
            for old, new in edits:
                set_params(repo, old, new)
            for stage in stages:
                if stage.startswith("sgd_fit") and "sgd_summary" in stages:  # every fit the summary reads
                    stage_runs = fits_of(repo)
                else:
                    stage_runs = [stage]
                for command in stage_runs:
                    seconds, peak, code = measured(
                        STAGE.format(command), shell=True, cwd=repo, env=user_env()
                    )
                    if code != 0:
                        raise SystemExit(f"{what}: {command} failed with status {code}")
                    if command == stage_runs[0]:
                        rows.append((what, command.split()[0], seconds, peak, len(stage_runs)))
                    print(f"  {what}: {command} {seconds:.1f} s {peak:.0f} MB", file=sys.stderr)
    print("| at its bound | stage | time | peak memory |")
    print("| --- | --- | --- | --- |")
    for what, stage, seconds, peak, count in rows:
        each = f" (each of {count})" if count > 1 else ""
        print(f"| {what} | `{stage}`{each} | {seconds:.1f} s | {peak:.0f} MB |")


def fits_of(repo: Path) -> list[str]:
    from nndl.pipeline.params import load_params

    return [
        f"sgd_fit --step {label} --seed {seed}"
        for _, label, seed in load_params(repo / "params.yaml").sgd.runs()
    ]


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]])
