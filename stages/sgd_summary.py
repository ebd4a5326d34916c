"""Stage `sgd_summary`: the nine estimation errors, the three figures and their plot data
(sheet §2, assignment 2b and 2c).

It reads the runs that params.yaml names, never whatever lies in data/sgd/, where a
removed matrix value leaves its stale file behind.
"""

import zlib
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import nndl
from nndl import lockfile, precision
from nndl.cli import run_stage
from nndl.io import read_json, read_points, remove_stale, write_csv, write_json
from nndl.memo import Memo, digest
from nndl.params import Params
from nndl.paths import (
    SAMPLES,
    SGD_DIR,
    SGD_FIGURE_MEMO,
    SGD_METRICS,
    SGD_PLOTS,
    fit_series,
    run_key,
    sgd_figure,
    sgd_plot_data,
    sgd_run_path,
)

DVC_YAML, DVC_LOCK = Path("dvc.yaml"), Path("dvc.lock")
# What a figure depends on besides its data: the stage's code, every file of code dvc.yaml lists
# for it (a test keeps the two lists equal, so DVC and the memo agree on what the code is);
# the versions of matplotlib, numpy and Pillow, read from their version files without
# importing them (importlib.metadata costs 25 ms); and the zlib that compresses the PNG.
# nndl.plotting makes the figures independent of a user's matplotlibrc.
STAGE_CODE = [
    Path(__file__),
    Path(__file__).parent / "__init__.py",
    Path(__file__).parent / "pinned.sh",
    *(
        Path(nndl.__file__).parent / m
        for m in ("lockfile.py", "memo.py", "dispatch.py", "paths.py", "precision.py", "plotting.py", "io.py")
    ),
]
LIBRARY_VERSIONS = [("matplotlib", "_version.py"), ("numpy", "version.py"), ("PIL", "_version.py")]


def library_version_files() -> list[Path]:
    return [Path(find_spec(name).origin).parent / file for name, file in LIBRARY_VERSIONS]


def sgd_metrics(runs: list[dict], mle_error: float) -> dict[str, float | int]:
    """Flat metrics: one error per run, the divergence iteration of runs that diverged,
    and the error of the closed-form MLE, the floor the fits approach."""
    metrics: dict[str, float | int] = {}
    for run in runs:
        key = run_key(run["step_label"], run["init_seed"])
        metrics[f"error_{key}"] = run["error"]
        if run["diverged_at"] is not None:
            metrics[f"diverged_at_{key}"] = run["diverged_at"]
    metrics["mle_error"] = mle_error
    return metrics


MAX_PLOT_POINTS = 2_000  # per curve in the DVC plot data, whatever the iterations


def thinned(objective: list[float], every: int) -> list[tuple[int, float]]:
    """(iteration, value) at every `every`-th iteration, the last one always included."""
    last = len(objective) - 1
    keep = list(range(0, last + 1, every))
    if keep[-1] != last:
        keep.append(last)
    return [(i, objective[i]) for i in keep]


def plot_points(run: dict, every: int) -> list[tuple[int, float]]:
    """The DVC plot's points of one run's objective: every `every`-th value of an exact one,
    thinned further to at most MAX_PLOT_POINTS; of an envelope, the last value of each bucket."""
    if "objective" in run:
        objective = run["objective"]
        return thinned(objective, max(every, -(-len(objective) // MAX_PLOT_POINTS)))
    env = run["objective_envelope"]
    return list(zip(precision.Envelope.bucket_ends(env), env["last"], strict=True))


def plot_run(ax: Any, run: dict, label: str, color: str) -> tuple[int, float]:
    """One run's objective against the iteration, in the axes; its last point. A long run's
    envelope (per bucket its least and greatest value) fills what its every value would draw
    at the figure's resolution."""
    if "objective" in run:
        objective = run["objective"]
        ax.plot(range(len(objective)), objective, linewidth=1.0, label=label, color=color)
        return len(objective) - 1, objective[-1]
    env = run["objective_envelope"]
    starts = precision.Envelope.bucket_starts(env)
    ax.fill_between(starts, env["low"], env["high"], step="post", color=color, linewidth=1.0, label=label)
    return env["count"] - 1, env["last"][-1]


def draw_step(step_label: str, runs: list[dict], mle_loglik: float, iterations: int, dpi: int) -> None:
    """plots/sgd/<step>.png: the objective of each run against the iteration."""
    from nndl.plotting import colors, save_png, subplots  # matplotlib only when a figure is drawn

    fig, ax = subplots(figsize=(8, 5))
    palette = colors()
    for k, run in enumerate(runs):
        color = palette[k % len(palette)]
        label = f"{fit_series(run['init_seed'])}: error {run['error']:.4g}"
        if run["diverged_at"] is not None:
            label += f", diverged at iteration {run['diverged_at']}"
        end = plot_run(ax, run, label, color)
        if run["diverged_at"] is not None:
            ax.plot([end[0]], [end[1]], "x", color=color, markersize=10)
    ax.axhline(mle_loglik, color="black", linestyle="--", linewidth=0.8, label="closed-form MLE")
    ax.set_xlim(0, iterations)  # a run that diverged visibly stops short
    ax.set_title(f"SGD on the precision matrix, step size {step_label}")
    ax.set_xlabel("Iteration")
    ax.set_ylabel("Log-likelihood of the whole data set")
    ax.legend(loc="lower right")
    fig.tight_layout()
    save_png(fig, sgd_figure(step_label), dpi)


def drawing_code_digest() -> str:
    """The code and libraries that read, draw and write every figure: one digest per run."""
    files = [*STAGE_CODE, *library_version_files()]
    return digest([*(p.read_bytes() for p in files), zlib.ZLIB_RUNTIME_VERSION])


def figure_key(step_label: str, params: Params, mle_loglik: float, code: str) -> str:
    """Everything plots/sgd/<step>.png is drawn from: its fits' files, the params and MLE
    it shows, and the code (drawing_code_digest)."""
    sgd, figs = params.sgd, params.sgd_figures
    return digest(
        [
            code,
            *(sgd_run_path(step_label, seed).read_bytes() for seed in sgd.init_seeds),
            repr((step_label, sgd.init_seeds, sgd.iterations, figs.dpi, mle_loglik)),
        ]
    )


def main(params: Params) -> None:
    g, sgd, figs = params.gaussian, params.sgd, params.sgd_figures
    points = read_points(SAMPLES)
    s = precision.scatter(points, g.mean)
    best = precision.mle(s, len(points))
    mle_error = precision.squared_error(precision.inverse(g.cov), best)
    mle_loglik = precision.log_likelihood(best, s, len(points))

    summaries = []  # the runs without their objective: one step size's curves in memory at a time
    memo = Memo(SGD_FIGURE_MEMO)  # a step size whose fits did not change keeps its figure
    code = drawing_code_digest()
    for step_label in sgd.step_labels:
        step_runs = [read_json(sgd_run_path(step_label, seed)) for seed in sgd.init_seeds]
        rows = [
            (i, v, fit_series(r["init_seed"])) for r in step_runs for i, v in plot_points(r, figs.plot_every)
        ]
        write_csv(sgd_plot_data(step_label), ("iteration", "objective", "run"), rows)
        key, figure = figure_key(step_label, params, mle_loglik, code), sgd_figure(step_label)
        if not memo.fresh(step_label, key, [figure]):
            draw_step(step_label, step_runs, mle_loglik, sgd.iterations, figs.dpi)
            memo.record(step_label, key, [figure])
        summaries += [{k: v for k, v in r.items() if not k.startswith("objective")} for r in step_runs]
    write_json(SGD_METRICS, sgd_metrics(summaries, mle_error), indent=2)
    memo.save()
    remove_stale(SGD_PLOTS, [f(lab) for lab in sgd.step_labels for f in (sgd_figure, sgd_plot_data)])
    forget_removed_fits(params)


def forget_removed_fits(params: Params) -> None:
    """Delete the fits of step sizes and seeds params.yaml no longer names, and their entries
    in dvc.lock, so that dvc.lock and data/sgd depend on params, not on what ran before.
    This stage reads every fit, so it runs whenever the set of fits changes."""
    runs = params.sgd.runs()
    remove_stale(SGD_DIR, [sgd_run_path(lab, seed) for _, lab, seed in runs])
    lockfile.tidy_file(DVC_LOCK, DVC_YAML, [(lab, seed) for _, lab, seed in runs])


if __name__ == "__main__":
    run_stage(main)
