"""Stage `network_figures`: the nine network responses in one 3x3 figure, with the sheet's
plotting code (sheet §1, computer assignment), from the curves the `network` stage wrote."""

from nndl.pipeline.io import Outputs, read_curve
from nndl.pipeline.params import Params
from nndl.pipeline.paths import NETWORK_FIGURE, network_curve_path
from nndl.pipeline.startup import run_stage
from nndl.presentation import figures
from nndl.presentation.plotting import png


def main(params: Params, out: Outputs) -> None:
    p = params.network
    curves = {(a, s): read_curve(network_curve_path(a, s)) for a in p.activations for s in p.weight_seeds}
    fig = figures.network(curves, p.activations, p.weight_seeds)
    png(out, NETWORK_FIGURE, fig, params.network_figures.dpi)


if __name__ == "__main__":
    run_stage(main)
