"""Stage `sgd_summary`: the nine estimation errors, the three figures and their plot data
(sheet §2, assignment 2b and 2c).

It reads the runs that params.yaml names, never whatever lies in data/sgd/, where a
removed matrix value leaves its stale file behind.
"""

from nndl import precision
from nndl.io import read_json, read_points, write_csv, write_json
from nndl.params import Params, run_stage
from nndl.paths import SAMPLES, SGD_METRICS, SGD_PLOTS, run_key, sgd_run_path
from nndl.plotting import plt, save_png


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


def thinned(objective: list[float], every: int) -> list[tuple[int, float]]:
    """(iteration, value) at every `every`-th iteration, the last one always included."""
    last = len(objective) - 1
    keep = list(range(0, last + 1, every))
    if keep[-1] != last:
        keep.append(last)
    return [(i, objective[i]) for i in keep]


def run_name(run: dict) -> str:
    return f"init seed {run['init_seed']}"


def draw_step(step_label: str, runs: list[dict], mle_loglik: float, iterations: int, dpi: int) -> None:
    """plots/sgd/<step>.png: the objective of each run against the iteration."""
    fig, ax = plt.subplots(figsize=(8, 5))
    for run in runs:
        objective = run["objective"]
        label = f"{run_name(run)}: error {run['error']:.4g}"
        if run["diverged_at"] is not None:
            label += f", diverged at iteration {run['diverged_at']}"
        (line,) = ax.plot(range(len(objective)), objective, linewidth=1.0, label=label)
        if run["diverged_at"] is not None:
            ax.plot([len(objective) - 1], [objective[-1]], "x", color=line.get_color(), markersize=10)
    ax.axhline(mle_loglik, color="black", linestyle="--", linewidth=0.8, label="closed-form MLE")
    ax.set_xlim(0, iterations)  # a run that diverged visibly stops short
    ax.set_title(f"SGD on the precision matrix, step size {step_label}")
    ax.set_xlabel("Iteration")
    ax.set_ylabel("Log-likelihood of the whole data set")
    ax.legend(loc="lower right")
    fig.tight_layout()
    save_png(fig, SGD_PLOTS / f"{step_label}.png", dpi)


def main(params: Params) -> None:
    g, sgd, figs = params.gaussian, params.sgd, params.sgd_figures
    points = read_points(SAMPLES)
    s = precision.scatter(points, g.mean)
    best = precision.mle(s, len(points))
    mle_error = precision.squared_error(precision.inverse(g.cov), best)
    mle_loglik = precision.log_likelihood(best, s, len(points))

    runs = [read_json(sgd_run_path(lab, seed)) for _, lab, seed in sgd.runs()]
    for step_label in sgd.step_labels:
        step_runs = [r for r in runs if r["step_label"] == step_label]
        rows = [(i, v, run_name(r)) for r in step_runs for i, v in thinned(r["objective"], figs.plot_every)]
        write_csv(SGD_PLOTS / f"{step_label}.csv", ("iteration", "objective", "run"), rows)
        draw_step(step_label, step_runs, mle_loglik, sgd.iterations, figs.dpi)
    write_json(SGD_METRICS, sgd_metrics(runs, mle_error), indent=2)


if __name__ == "__main__":
    run_stage(main)
