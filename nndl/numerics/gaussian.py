"""The sheet's sample (§2, assignment 2): N points of a bivariate Gaussian, drawn with
`scipy.stats.multivariate_normal.rvs` as the sheet says, from a seeded generator."""

import numpy as np
import scipy.stats as sps


def draw_samples(seed: int, n: int, mean: tuple[float, float], cov: tuple[float, float, float]) -> np.ndarray:
    """An (n, 2) array from sps.multivariate_normal.rvs with a seeded generator."""
    s11, s12, s22 = cov
    rng = np.random.default_rng(seed)
    samples = sps.multivariate_normal.rvs(
        mean=list(mean), cov=[[s11, s12], [s12, s22]], size=n, random_state=rng
    )
    return np.asarray(samples, dtype=np.float64).reshape(n, 2)
