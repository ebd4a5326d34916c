"""Stage `sgd_figures@<step>`: one step size's figure, the objective of each fit against the
iteration beside the closed-form MLE's (sheet §2, assignment 2b). DVC runs one per step size,
so a changed step size redraws its own figure only."""

import argparse

from nndl.numerics import precision
from nndl.pipeline.io import Outputs, read_json, read_points
from nndl.pipeline.params import Params
from nndl.pipeline.paths import SAMPLES, sgd_figure, sgd_run_path
from nndl.pipeline.startup import fail, run_stage
from nndl.presentation import figures
from nndl.presentation.plotting import png


def main(params: Params, out: Outputs) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", required=True, help="the step size as dvc.yaml spells it")
    step_label = parser.parse_args().step
    g, sgd = params.gaussian, params.sgd
    if step_label not in sgd.step_labels:
        fail(f"--step {step_label}: not one of sgd.step_sizes")
    points = read_points(SAMPLES)
    s = precision.scatter(points, g.mean)
    mle_loglik = precision.log_likelihood(precision.mle(s, len(points)), s, len(points))
    runs = [read_json(sgd_run_path(step_label, seed)) for seed in sgd.init_seeds]
    fig = figures.sgd_step(step_label, runs, mle_loglik, sgd.iterations)
    png(out, sgd_figure(step_label), fig, params.sgd_figures.dpi)


if __name__ == "__main__":
    run_stage(main)
