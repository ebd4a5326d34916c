"""Stage `samples`: N points from the bivariate Gaussian, drawn as the sheet says."""

import numpy as np
import scipy.stats as sps

from nndl.io import write_csv
from nndl.params import Params, run_stage
from nndl.paths import SAMPLES


def draw_samples(seed: int, n: int, mean: tuple[float, float], cov: tuple[float, float, float]) -> np.ndarray:
    """An (n, 2) array from sps.multivariate_normal.rvs with a seeded generator."""
    s11, s12, s22 = cov
    rng = np.random.default_rng(seed)
    samples = sps.multivariate_normal.rvs(
        mean=list(mean), cov=[[s11, s12], [s12, s22]], size=n, random_state=rng
    )
    return np.asarray(samples, dtype=np.float64).reshape(n, 2)


def main(params: Params) -> None:
    g = params.gaussian
    samples = draw_samples(g.seed, g.n, g.mean, g.cov)
    write_csv(SAMPLES, ("x1", "x2"), samples.tolist())


if __name__ == "__main__":
    run_stage(main)
