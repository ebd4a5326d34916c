"""Stage `samples`: N points from the bivariate Gaussian, drawn as the sheet says."""

from nndl.cli import run_stage
from nndl.gaussian import draw_samples
from nndl.io import write_csv
from nndl.params import Params
from nndl.paths import SAMPLES


def main(params: Params) -> None:
    g = params.gaussian
    samples = draw_samples(g.seed, g.n, g.mean, g.cov)
    write_csv(SAMPLES, ("x1", "x2"), samples.tolist())


if __name__ == "__main__":
    run_stage(main)
