"""The sheet's sample against what a sample of N(μ, Σ) must be: its moments, its shape, its seed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nndl.numerics.gaussian import draw_samples
from tests.strategies import spd_matrices, vectors

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=10, deadline=None)
@given(seed=SEEDS, mean=vectors(), cov=spd_matrices(0.1, 4.0))
def test_a_large_sample_has_the_mean_and_covariance_asked_for_within_six_standard_errors(
    seed, mean, cov
) -> None:
    n = 20_000
    x = draw_samples(seed, n, mean, cov)
    sigma = np.array([[cov[0], cov[1]], [cov[1], cov[2]]])
    se_mean = np.sqrt(np.diag(sigma) / n)
    assert np.all(np.abs(x.mean(axis=0) - np.array(mean)) < 6 * se_mean)
    # Var of the sample covariance's (i, j) entry is (Σii Σjj + Σij²)/n for a Gaussian
    se_cov = np.sqrt((np.outer(np.diag(sigma), np.diag(sigma)) + sigma**2) / n)
    assert np.all(np.abs(np.cov(x.T) - sigma) < 6 * se_cov)


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS, n=st.integers(min_value=1, max_value=50), mean=vectors(), cov=spd_matrices())
def test_the_sample_is_seeded_n_by_2_in_double_precision_and_moves_with_the_mean(seed, n, mean, cov) -> None:
    x = draw_samples(seed, n, mean, cov)
    assert x.shape == (n, 2) and x.dtype == np.float64
    np.testing.assert_array_equal(x, draw_samples(seed, n, mean, cov))
    assert not np.array_equal(x, draw_samples(seed + 1, n, mean, cov))
    centred = draw_samples(seed, n, (0.0, 0.0), cov)  # the same draws about another mean
    np.testing.assert_allclose(x - np.array(mean), centred, rtol=1e-12, atol=1e-12 * (1 + np.abs(mean).max()))


def test_a_sample_of_one_point_is_one_row() -> None:
    x = draw_samples(3, 1, (1.0, -1.0), (1.0, 0.0, 2.0))
    assert (
        x.shape == (1, 2)
        and math.isfinite(x[0, 0])
        and x[0].tolist() == pytest.approx(draw_samples(3, 5, (1.0, -1.0), (1.0, 0.0, 2.0))[0].tolist())
    )
