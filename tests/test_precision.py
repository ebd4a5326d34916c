"""The precision-matrix numerics against independent computations:
torch.autograd, scipy's logpdf, numpy's linear algebra and a naive SGD."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import scipy.stats as sps
import torch

from benchmarks.naive import naive_sgd
from nndl.numerics import precision as pr

COV = (1.0, 0.5, 1.0)


def full(p: pr.Sym2) -> np.ndarray:
    a, b, c = p
    return np.array([[a, b], [b, c]])


@pytest.fixture
def sample() -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.multivariate_normal([0.3, -0.2], full(COV), size=200)


def random_spd_matrices(count: int) -> list[pr.Sym2]:
    rng = np.random.default_rng(11)
    out = []
    for _ in range(count):
        a = rng.normal(size=(2, 2))
        m = a @ a.T + 0.2 * np.eye(2)
        out.append((m[0, 0], m[0, 1], m[1, 1]))
    return out


def torch_log_likelihood(p: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """log L written from the density, summing over the points, with P a free 2x2 matrix."""
    n = x.shape[0]
    quad = torch.einsum("ni,ij,nj->n", x, p, x).sum()
    return 0.5 * n * torch.logdet(p) - 0.5 * quad - n * math.log(2 * math.pi)


@pytest.mark.parametrize("p", random_spd_matrices(5))
def test_gradient_matches_autograd(sample: np.ndarray, p: pr.Sym2) -> None:
    mean = (0.3, -0.2)
    x = torch.tensor(sample - np.array(mean))
    pt = torch.tensor(full(p), requires_grad=True)
    torch_log_likelihood(pt, x).backward()
    s = pr.scatter(map(tuple, sample.tolist()), mean)
    np.testing.assert_allclose(full(pr.gradient(p, s, len(sample))), pt.grad.numpy(), rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("p", random_spd_matrices(3))
def test_sample_gradient_matches_autograd_of_one_point(p: pr.Sym2) -> None:
    x = (0.7, -1.3)
    pt = torch.tensor(full(p), requires_grad=True)
    # one point's log-density up to a constant: ½ log det P − ½ xᵀPx
    xt = torch.tensor(x, dtype=torch.float64)
    (0.5 * torch.logdet(pt) - 0.5 * xt @ pt @ xt).backward()
    np.testing.assert_allclose(full(pr.sample_gradient(p, x)), pt.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("p", random_spd_matrices(3))
def test_log_likelihood_equals_sum_of_scipy_logpdf(sample: np.ndarray, p: pr.Sym2) -> None:
    mean = (0.3, -0.2)
    s = pr.scatter(map(tuple, sample.tolist()), mean)
    expected = sps.multivariate_normal.logpdf(sample, mean=mean, cov=np.linalg.inv(full(p))).sum()
    assert pr.log_likelihood(p, s, len(sample)) == pytest.approx(expected, rel=1e-12)


def test_scatter_equals_numpy(sample: np.ndarray) -> None:
    d = sample - np.array([0.3, -0.2])
    s = pr.scatter(map(tuple, sample.tolist()), (0.3, -0.2))
    np.testing.assert_allclose(full(s), d.T @ d, rtol=1e-12)


def test_mle_is_where_the_gradient_vanishes_and_equals_inverse_sample_covariance(sample: np.ndarray) -> None:
    s = pr.scatter(map(tuple, sample.tolist()), (0.0, 0.0))
    m = pr.mle(s, len(sample))
    np.testing.assert_allclose(full(m), np.linalg.inv(sample.T @ sample / len(sample)), rtol=1e-12)
    assert max(abs(g) for g in pr.gradient(m, s, len(sample))) < 1e-9


def test_full_batch_gradient_ascent_converges_to_the_closed_form_mle(sample: np.ndarray) -> None:
    n = len(sample)
    s = pr.scatter(map(tuple, sample.tolist()), (0.0, 0.0))
    p = (1.0, 0.0, 1.0)
    step = 0.2 / n  # sound: the Hessian's largest curvature is about N/2 λmax(P⁻¹)²
    for _ in range(5000):
        g = pr.gradient(p, s, n)
        p = (p[0] + step * g[0], p[1] + step * g[1], p[2] + step * g[2])
    np.testing.assert_allclose(full(p), full(pr.mle(s, n)), rtol=1e-9)


def test_squared_error_is_the_squared_frobenius_norm() -> None:
    p, q = (1.0, 0.3, 2.0), (0.5, -0.4, 1.0)
    assert pr.squared_error(p, q) == pytest.approx(np.linalg.norm(full(p) - full(q), "fro") ** 2)


@pytest.mark.parametrize("seed", range(20))
def test_random_spd_has_eigenvalues_in_the_range(seed: int) -> None:
    p = pr.random_spd(random.Random(seed), (0.5, 2.0))
    eig = np.linalg.eigvalsh(full(p))
    assert 0.5 <= eig[0] <= eig[1] <= 2.0


@pytest.mark.parametrize("step", [1e-3, 1e-2])
def test_sgd_fit_matches_a_naive_numpy_implementation(sample: np.ndarray, step: float) -> None:
    points = [tuple(r) for r in sample.tolist()]
    p0, idx = pr.draw_run(3, len(points), 500, (0.5, 2.0))
    stream = [points[i] for i in idx]
    fit = pr.sgd_fit(p0, stream, pr.scatter(points, (0.0, 0.0)), len(points), step)
    p_naive, values = naive_sgd(p0, stream, points, step, 1.0)
    assert fit.diverged_at is None
    np.testing.assert_allclose(full(fit.p_hat), p_naive, rtol=1e-9)
    np.testing.assert_allclose(fit.objective, values, rtol=1e-10)


def test_sgd_fit_stops_where_p_leaves_the_positive_definite_cone(sample: np.ndarray) -> None:
    points = [tuple(r) for r in sample.tolist()]
    n = len(points)
    p0, idx = pr.draw_run(1, n, 2000, (0.5, 2.0))
    stream = [points[i] for i in idx]
    fit = pr.sgd_fit(p0, stream, pr.scatter(points, (0.0, 0.0)), n, 1e-2, scale=float(n))
    k = fit.diverged_at
    assert k is not None and 1 <= k <= 2000
    assert len(fit.objective) == k  # P0 .. P_{k-1}
    assert all(math.isfinite(v) for v in fit.objective)
    assert pr.is_positive_definite(fit.p_hat)
    # the step k that was refused really leaves the cone
    a, b, c = fit.p_hat
    g = pr.sample_gradient(fit.p_hat, stream[k - 1])
    h = 1e-2 * n
    assert not pr.is_positive_definite((a + h * g[0], b + h * g[1], c + h * g[2]))


def test_is_positive_definite_rejects_nan_and_indefinite() -> None:
    assert pr.is_positive_definite((1.0, 0.5, 1.0))
    assert not pr.is_positive_definite((1.0, 2.0, 1.0))
    assert not pr.is_positive_definite((-1.0, 0.0, -1.0))
    assert not pr.is_positive_definite((math.nan, 0.0, 1.0))
    assert not pr.is_positive_definite((math.inf, 0.0, 1.0))


def test_draw_run_is_seeded_and_uniform_over_the_points() -> None:
    p0, idx = pr.draw_run(5, 10, 20_000, (0.5, 2.0))
    assert (p0, idx) == pr.draw_run(5, 10, 20_000, (0.5, 2.0))
    assert pr.draw_run(6, 10, 20_000, (0.5, 2.0))[0] != p0
    counts = np.bincount(idx, minlength=10)
    assert counts.min() > 1800 and counts.max() < 2200  # 2000 ± 4.5 sd


def test_draw_stream_draws_what_a_whole_draw_run_draws_as_it_goes() -> None:
    p0, lazy = pr.draw_stream(4, 1000, 250_001, (0.5, 2.0))  # more than two chunks
    rng = random.Random(4)
    assert p0 == pr.random_spd(rng, (0.5, 2.0))
    assert list(lazy) == [rng.randrange(1000) for _ in range(250_001)]


@pytest.mark.parametrize(
    ("count", "width", "piece"), [(10_001, 7, 1000), (5, 2, 1), (12, 4, 12), (99, 100, 13)]
)
def test_an_envelope_keeps_each_buckets_least_greatest_and_last_value(
    count: int, width: int, piece: int
) -> None:
    values = np.random.default_rng(count).normal(size=count).cumsum().tolist()
    env = pr.Envelope(width)
    for first in range(0, count, piece):  # however the values arrive
        env.extend(values[first : first + piece])
    buckets = [values[b : b + width] for b in range(0, count, width)]
    assert env.count == count
    assert env.low == [min(b) for b in buckets]
    assert env.high == [max(b) for b in buckets]
    assert env.last == [b[-1] for b in buckets]


def test_a_long_fit_streamed_into_an_envelope_ends_where_the_exact_one_does(sample: np.ndarray) -> None:
    points = [tuple(r) for r in sample.tolist()]
    s, n = pr.scatter(points, (0.0, 0.0)), len(points)
    p0, idx = pr.draw_run(2, n, 30_000, (0.5, 2.0))
    exact = pr.sgd_fit(p0, [points[i] for i in idx], s, n, 1e-3)
    p0_lazy, lazy = pr.draw_stream(2, n, 30_000, (0.5, 2.0))
    sink = pr.objective_sink(30_000, exact_up_to=20_001, buckets=2_000)
    assert isinstance(sink, pr.Envelope) and sink.width == 16  # ceil(30,001 / 2,000)
    streamed = pr.sgd_fit(p0_lazy, (points[i] for i in lazy), s, n, 1e-3, objective=sink)
    assert streamed.p_hat == exact.p_hat and streamed.diverged_at is None
    buckets = [exact.objective[b : b + 16] for b in range(0, 30_001, 16)]
    assert len(buckets) <= 2_000
    assert sink.low == [min(b) for b in buckets] and sink.high == [max(b) for b in buckets]


def test_the_sheets_runs_keep_every_value_of_their_objective() -> None:
    assert pr.objective_sink(10_000, exact_up_to=20_001, buckets=2_000) == []
    assert isinstance(pr.objective_sink(20_001, exact_up_to=20_001, buckets=2_000), pr.Envelope)
