"""Stage `sgd_fit@<step>-<seed>`: one SGD fit of the precision matrix (sheet §2, assignment 2a).

DVC runs one of these per (step size, init seed) from a `matrix`, so changing one step
size re-runs only its fits. The step and seed come on the command line as DVC spells
them and must be among those params.yaml names.
"""

import argparse

from nndl.numerics import precision
from nndl.pipeline.io import Outputs, read_points
from nndl.pipeline.params import Params
from nndl.pipeline.paths import SAMPLES, sgd_run_path
from nndl.pipeline.progress import progress
from nndl.pipeline.startup import fail, run_stage


def as_matrix(p: precision.Sym2) -> list[list[float]]:
    a, b, c = p
    return [[a, b], [b, c]]


# The objective is kept exact up to this many values (the sheet's 10,001 and a margin); a longer
# run keeps an envelope of this many buckets, as many as a figure has pixel columns and more.
EXACT_UP_TO = 20_001
BUCKETS = 2_000


def fit_record(params: Params, step: float, step_label: str, init_seed: int, points: list) -> dict:
    """Run one fit and return the record written to data/sgd/<step>_<seed>.json. Draws are
    made as they are used and a long objective is an envelope, so memory does not grow past
    one chunk of draws (precision.CHUNK) with the iterations."""
    g, sgd = params.gaussian, params.sgd
    n = len(points)
    s = precision.scatter(points, g.mean)
    p0, indices = precision.draw_stream(init_seed, n, sgd.iterations, sgd.init_eigenvalues)
    stream = (points[i] for i in indices)
    scale = float(n) if sgd.gradient == "sum" else 1.0
    sink = precision.objective_sink(sgd.iterations, EXACT_UP_TO, BUCKETS)
    advance, close = progress(sgd.iterations, f"sgd_fit {step_label} seed {init_seed}")
    fit = precision.sgd_fit(p0, stream, s, n, step, scale, g.mean, advance, sink)
    close()
    truth = precision.inverse(g.cov)
    record = {
        "step_size": step,
        "step_label": step_label,
        "init_seed": init_seed,
        "gradient": sgd.gradient,
        "P0": as_matrix(p0),
        "P_hat": as_matrix(fit.p_hat),
        "error": precision.squared_error(truth, fit.p_hat),
        "initial_error": precision.squared_error(truth, p0),
        "diverged_at": fit.diverged_at,
    }
    if isinstance(sink, list):
        return record | {"objective": sink}
    return record | {"objective_envelope": sink.record()}


def main(params: Params, out: Outputs) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", required=True, help="the step size as dvc.yaml spells it")
    parser.add_argument("--seed", required=True, type=int)
    args = parser.parse_args()
    runs = {(lab, s): step for step, lab, s in params.sgd.runs()}
    if (args.step, args.seed) not in runs:
        fail(f"--step {args.step} --seed {args.seed}: not a run of sgd.step_sizes x sgd.init_seeds")
    points = read_points(SAMPLES)
    record = fit_record(params, runs[args.step, args.seed], args.step, args.seed, points)
    out.json(sgd_run_path(args.step, args.seed), record)


if __name__ == "__main__":
    run_stage(main)
