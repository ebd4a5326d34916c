"""Stage `sgd_summary`: the estimation errors of the fits and the MLE's as metrics, and the
objectives as DVC plot data (sheet §2, assignment 2b and 2c). Reads the fits params.yaml
names; the figures are drawn by `sgd_figures`."""

from nndl.numerics import precision
from nndl.pipeline.io import Outputs, read_json, read_points
from nndl.pipeline.params import Params
from nndl.pipeline.paths import (
    SAMPLES,
    SGD_METRICS,
    SGD_MLE_METRICS,
    SGD_OBJECTIVE_PLOT,
    sgd_metrics_path,
    sgd_run_path,
)
from nndl.pipeline.startup import run_stage
from nndl.presentation.summaries import sgd_objective_rows, sgd_step_metrics


def main(params: Params, out: Outputs) -> None:
    g, sgd = params.gaussian, params.sgd
    points = read_points(SAMPLES)
    mle = precision.mle(precision.scatter(points, g.mean), len(points))
    out.folder(SGD_METRICS)
    out.json(SGD_MLE_METRICS, {"mle_error": precision.squared_error(precision.inverse(g.cov), mle)}, indent=2)
    rows = []
    for step_label in sgd.step_labels:
        runs = [read_json(sgd_run_path(step_label, seed)) for seed in sgd.init_seeds]
        out.json(sgd_metrics_path(step_label), sgd_step_metrics(runs), indent=2)
        rows += sgd_objective_rows(step_label, runs, params.sgd_figures.plot_every)
    out.csv(SGD_OBJECTIVE_PLOT, ("step_size", "iteration", "objective", "run"), rows)


if __name__ == "__main__":
    run_stage(main)
