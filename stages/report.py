"""Stage `report`: REPORT.md, the whole written submission, from nndl/presentation/templates/
report.md and the results (nndl/presentation/report.py gathers what its sentences state)."""

from nndl.pipeline.io import Outputs
from nndl.pipeline.params import Params
from nndl.pipeline.paths import REPORT
from nndl.pipeline.startup import run_stage
from nndl.presentation import report


def main(params: Params, out: Outputs) -> None:
    out.text(REPORT, report.render(params))


if __name__ == "__main__":
    run_stage(main)
