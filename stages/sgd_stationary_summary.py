"""Stage `sgd_stationary_summary`: the stationary chains' headline metric, the measured spread
of SGD with a fixed step around the MLE."""

from nndl.pipeline.io import Outputs, read_json
from nndl.pipeline.params import Params
from nndl.pipeline.paths import SGD_STATIONARY, SGD_STATIONARY_METRICS
from nndl.pipeline.startup import run_stage
from nndl.presentation.summaries import stationary_metrics


def main(params: Params, out: Outputs) -> None:
    out.json(SGD_STATIONARY_METRICS, stationary_metrics(read_json(SGD_STATIONARY)), indent=2)


if __name__ == "__main__":
    run_stage(main)
