"""`make bench` (python -m benchmarks): time the pipeline as a user runs it, and the SGD kernel
against the naive reference, in one run on this machine, and print a Markdown table.

The pipeline timings run the dvc command line in a temporary copy of the repository, with its
own git history and an empty DVC cache, exactly as a fresh clone would.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.naive import naive_sgd
from nndl.numerics import precision
from nndl.pipeline.params import load_params
from nndl.pipeline.tidy import tidy
from tests.sandbox import BIN, ROOT, copy_project, set_params, user_env

ENV = user_env()


def run(cmd: list[str], cwd: Path) -> float:
    """Seconds for one command, which must succeed."""
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - t


def stage_run(cmd: str, cwd: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of one stage command, both measured by benchmarks/peak.py, a
    small process of its own, so that the peak is the stage's, not this larger process's."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "peak.py"), cmd],
        cwd=cwd,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    stage = json.loads(out.stdout)
    if stage["exit"] != 0:
        raise RuntimeError(f"{cmd} failed")
    return stage["seconds"], stage["peak_mb"]


STEP_SIZES = "step_sizes: [1.0e-5, {}, 1.0e-3]"


def change_step(repo: Path, old: str, new: str) -> None:
    """The second step size from old to new, and what `make repro` drops of old before DVC
    runs (its fits and lock entries, nndl/pipeline/tidy.py), untimed."""
    set_params(repo, STEP_SIZES.format(old), STEP_SIZES.format(new))
    tidy(repo)


def pipeline_rows() -> list[tuple[str, str]]:
    """The pipeline as a user runs it, with the dvc command line in a fresh copy."""
    rows = []
    dvc = str(Path(BIN) / "dvc")
    with tempfile.TemporaryDirectory() as tmp:
        repo = copy_project(Path(tmp))
        (repo / "dvc.lock").unlink()
        for out in ("metrics", "plots", "data"):
            shutil.rmtree(repo / out, ignore_errors=True)
        rows.append(("cold `dvc repro` (empty cache, every stage)", f"{run([dvc, 'repro'], repo):.2f} s"))
        noop = min(run([dvc, "repro"], repo) for _ in range(3))
        rows.append(("no-op `dvc repro` (best of 3)", f"{noop:.2f} s"))
        set_params(repo, "  levels: 20\n", "  levels: 12\n")
        rows.append(("figure-only change (`ascent_figures.levels`)", f"{run([dvc, 'repro'], repo):.2f} s"))
        from dvc.repo import Repo

        with Repo(str(repo)) as r:
            cmds = {s.name: s.cmd for s in r.index.stages}
        peaks = {
            name: stage_run(cmd, repo)[1]
            for name, cmd in cmds.items()
            if "@" not in name or name.endswith("-1")
        }
        name = max(peaks, key=peaks.get)
        rows.append((f"peak memory of the largest stage (`{name}`)", f"{peaks[name]:.0f} MB"))
    return rows


def null_pipeline(repo: Path) -> None:
    """Turn repo's dvc.yaml into the null pipeline: the same stages, dependencies, params and
    outputs, each command replaced by benchmarks/null_stage.py writing its outputs."""
    import yaml

    path = repo / "dvc.yaml"
    spec = yaml.safe_load(path.read_text())
    for entry in spec["stages"].values():
        stage = entry.get("do", entry)  # a foreach stage's definition is under `do`
        outs = [
            o if isinstance(o, str) else next(iter(o))
            for o in stage.get("outs", []) + stage.get("metrics", [])
        ]
        stage["cmd"] = " ".join(
            [
                "python benchmarks/null_stage.py --deps",
                *stage["deps"],
                "--params",
                *stage.get("params", []),
                "--outs",
                *outs,
            ]
        )
    path.write_text(yaml.safe_dump(spec, sort_keys=False))


def yardstick_rows(rounds: int = 7) -> list[tuple[str, str]]:
    """A step-size change and its revert, and the pipeline against its null copy, the same
    changes on both, interleaved: the ratio is what our stages add to DVC's own cost of
    starting, hashing and bookkeeping. Medians, as one run on a shared machine varies."""
    dvc = str(Path(BIN) / "dvc")
    with tempfile.TemporaryDirectory() as tmp:
        repos = {name: copy_project(Path(tmp) / name) for name in ("real", "null")}
        null_pipeline(repos["null"])
        for repo in repos.values():
            run([dvc, "repro"], repo)
        times = {what: {name: [] for name in repos} for what in ("change", "revert", "noop")}
        for k in range(rounds):  # a new step size each round: DVC's run-cache cannot restore it
            new = f"{k + 2}.0e-4"
            for name, repo in repos.items():
                times["noop"][name].append(run([dvc, "repro"], repo))
                change_step(repo, "1.0e-4", new)
                times["change"][name].append(run([dvc, "repro"], repo))
                change_step(repo, new, "1.0e-4")
                times["revert"][name].append(run([dvc, "repro"], repo))
    change, revert = (statistics.median(times[what]["real"]) for what in ("change", "revert"))
    rows = [
        (
            f"a step-size change (3 fits, summary, figure, report) / its revert (the fits from the "
            f"run-cache), median of {rounds}",
            f"{change:.2f} s / {revert:.2f} s",
        )
    ]
    for what, label in (
        ("change", "a step-size change"),
        ("revert", "its revert"),
        ("noop", "no-op `dvc repro`"),
    ):
        real, null = (statistics.median(times[what][name]) for name in ("real", "null"))
        rows.append(
            (
                f"{label}: pipeline / null pipeline (median of {rounds})",
                f"{real / null:.2f} ({real:.2f} s / {null:.2f} s)",
            )
        )
    return rows


def kernel_rows() -> list[tuple[str, str]]:
    params = load_params(ROOT / "params.yaml")
    # data/samples.csv is DVC-cached and may be missing from a checkout: draw the same sample
    from nndl.numerics.gaussian import draw_samples

    g = params.gaussian
    points = [tuple(p) for p in draw_samples(g.seed, g.n, g.mean, g.cov).tolist()]
    n, sgd = len(points), params.sgd
    s = precision.scatter(points, g.mean)
    runs = []
    for step, _, seed in sgd.runs():
        p0, idx = precision.draw_run(seed, n, sgd.iterations, sgd.init_eigenvalues)
        runs.append((p0, [points[i] for i in idx], step))

    def ours() -> list:
        return [precision.sgd_fit(p0, stream, s, n, step) for p0, stream, step in runs]

    def naive() -> list:
        return [naive_sgd(p0, stream, points, step) for p0, stream, step in runs]

    fast = min(_timed(ours) for _ in range(5))
    slow = _timed(naive)
    fits = len(runs)
    return [
        (
            f"SGD kernel, {fits} fits × {sgd.iterations} iterations, objective every iteration",
            f"{fast:.3f} s",
        ),
        ("naive reference (np.linalg.inv, objective as a numpy sum over N)", f"{slow:.2f} s"),
        ("speed-up", f"{slow / fast:.0f}×"),
    ]


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    rows = kernel_rows() + pipeline_rows() + yardstick_rows()
    # in a process of its own: a child's peak memory would count this larger one's (scale.py)
    scale_table = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", "--short"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(f"Benchmark on {machine}\n")
    print("| what | time |")
    print("| --- | --- |")
    for what, value in rows:
        print(f"| {what} | {value} |")
    print("\nA longer SGD run (`make bench-scale` adds 10⁷ iterations and redraws benchmarks/scale.png):\n")
    print(scale_table, end="")


if __name__ == "__main__":
    main()
