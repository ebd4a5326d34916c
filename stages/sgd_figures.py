"""Stage `sgd_figures`: one figure per step size, the objective of each fit against the
iteration beside the closed-form MLE's (sheet §2, assignment 2b)."""

from nndl.numerics import precision
from nndl.pipeline.io import Outputs, read_json, read_points
from nndl.pipeline.params import Params
from nndl.pipeline.paths import SAMPLES, SGD_FIGURES, sgd_figure, sgd_run_path
from nndl.pipeline.startup import run_stage
from nndl.presentation import figures
from nndl.presentation.plotting import png


def main(params: Params, out: Outputs) -> None:
    g, sgd = params.gaussian, params.sgd
    points = read_points(SAMPLES)
    s = precision.scatter(points, g.mean)
    mle_loglik = precision.log_likelihood(precision.mle(s, len(points)), s, len(points))
    out.folder(SGD_FIGURES)
    for step_label in sgd.step_labels:  # one step size's curves in memory at a time
        runs = [read_json(sgd_run_path(step_label, seed)) for seed in sgd.init_seeds]
        fig = figures.sgd_step(step_label, runs, mle_loglik, sgd.iterations)
        png(out, sgd_figure(step_label), fig, params.sgd_figures.dpi)


if __name__ == "__main__":
    run_stage(main)
