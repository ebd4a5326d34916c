"""Stage `sgd_sweep_figures`: the step-size sweep as a log-log figure, as DVC plot data, and its
headline metrics (the best step, where replicas start to diverge)."""

from nndl.pipeline.io import Outputs, read_json
from nndl.pipeline.params import Params
from nndl.pipeline.paths import SGD_SWEEP, SGD_SWEEP_FIGURE, SGD_SWEEP_METRICS, SGD_SWEEP_PLOT
from nndl.pipeline.startup import run_stage
from nndl.presentation import figures, summaries
from nndl.presentation.plotting import png


def main(params: Params, out: Outputs) -> None:
    w, data = params.sgd_sweep, read_json(SGD_SWEEP)
    out.json(SGD_SWEEP_METRICS, summaries.sweep_metrics(data["rows"]), indent=2)
    rows = summaries.sweep_rows(data["rows"], data["mle_error"])
    out.csv(SGD_SWEEP_PLOT, ("step_size", "median", "q10", "q90", "mle"), rows)
    fig = figures.sweep(data, w.sheet_steps, w.iterations, w.replicas)
    png(out, SGD_SWEEP_FIGURE, fig, params.sgd_sweep_figures.dpi)


if __name__ == "__main__":
    run_stage(main)
