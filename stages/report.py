"""Stage `report`: the whole written submission, from nndl/presentation/templates/report.md and
the results (nndl/presentation/report.py gathers what its sentences state): REPORT.md, and the
same text as REPORT.html, one offline page with its math and figures in it
(nndl/presentation/report_html.py), which `make pdf` prints."""

from nndl.pipeline.io import Outputs
from nndl.pipeline.params import Params
from nndl.pipeline.paths import REPORT, REPORT_HTML
from nndl.pipeline.startup import run_stage
from nndl.presentation import report, report_html


def main(params: Params, out: Outputs) -> None:
    text = report.render(params)
    out.text(REPORT, text)
    out.text(REPORT_HTML, report_html.render(text))


if __name__ == "__main__":
    run_stage(main)
