"""Stage `samples`: N points from the bivariate Gaussian, drawn as the sheet says (§2, 2)."""

from nndl.numerics.gaussian import draw_samples
from nndl.pipeline.io import Outputs
from nndl.pipeline.params import Params
from nndl.pipeline.paths import SAMPLES
from nndl.pipeline.startup import run_stage


def main(params: Params, out: Outputs) -> None:
    g = params.gaussian
    out.csv(SAMPLES, ("x1", "x2"), draw_samples(g.seed, g.n, g.mean, g.cov).tolist())


if __name__ == "__main__":
    run_stage(main)
