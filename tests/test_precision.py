"""The precision-matrix numerics against independent computations:
torch.autograd, scipy's logpdf, numpy's linear algebra and a naive SGD."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats as sps
import torch
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from benchmarks.naive import naive_sgd
from nndl.numerics import precision as pr
from tests.strategies import coordinates, samples, spd_matrices, vectors

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


# --- every formula on random inputs (hypothesis), with a mean that is not 0 ---------------

PROPERTY = settings(max_examples=25, deadline=None)


def log_likelihood_of(p: np.ndarray, x: np.ndarray) -> float:
    """Σᵢ log N(xᵢ; 0, P⁻¹) over the rows of x (already centred), from the density."""
    quad = np.einsum("ni,ij,nj->", x, p, x)
    return float(0.5 * len(x) * np.log(np.linalg.det(p)) - 0.5 * quad - len(x) * math.log(2 * math.pi))


@PROPERTY
@given(points=samples(), mean=vectors())
def test_scatter_is_the_sum_of_outer_products_about_any_mean(points, mean) -> None:
    d = np.array(points) - np.array(mean)
    expected = d.T @ d
    np.testing.assert_allclose(
        full(pr.scatter(points, mean)), expected, rtol=1e-12, atol=1e-12 * (1 + expected.max())
    )


@PROPERTY
@given(p=st.tuples(coordinates(), coordinates(), coordinates()))
def test_det_and_inverse_are_numpys_for_any_invertible_matrix(p) -> None:
    m = full(p)
    assume(abs(np.linalg.det(m)) > 1e-6 * (1 + np.abs(m).max() ** 2))
    assert pr.det(p) == pytest.approx(np.linalg.det(m), rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(full(pr.inverse(p)), np.linalg.inv(m), rtol=1e-9, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(p=st.tuples(*[st.integers(min_value=-3000, max_value=3000).map(lambda k: k / 1000)] * 3))
@example(p=(1.0, 1.0, 1.0))  # singular: det exactly 0
@example(p=(2.0, -2.0, 2.0))
@example(p=(0.0, 0.0, 1.0))
@example(p=(1.0, 0.0, 0.0))
@example(p=(-1.0, 0.0, -1.0))
@example(p=(0.5, 0.0, 0.5))
def test_is_positive_definite_is_both_eigenvalues_positive_for_any_matrix(p) -> None:
    a, b, c = (Fraction(v) for v in p)
    exact_det = a * c - b * b  # the eigenvalues are both positive iff their sum and product are
    assume(exact_det == 0 or abs(exact_det) > Fraction(1, 10**9) * (a * a + b * b + c * c))
    assert pr.is_positive_definite(p) == (a + c > 0 and exact_det > 0)


def test_is_positive_definite_is_false_where_the_determinant_overflows() -> None:
    assert pr.is_positive_definite((1e150, 0.0, 1e150))
    assert not pr.is_positive_definite((1e200, 0.0, 1e200))  # det = inf: log L would not be finite
    assert not pr.is_positive_definite((1.0, math.inf, 1.0))
    assert not pr.is_positive_definite((1.0, 0.0, math.nan))


@PROPERTY
@given(p=spd_matrices(), points=samples(), mean=vectors())
def test_log_likelihood_is_the_sum_of_scipys_log_densities_for_any_p_points_and_mean(p, points, mean) -> None:
    expected = sps.multivariate_normal.logpdf(np.array(points), mean=mean, cov=np.linalg.inv(full(p)))
    s = pr.scatter(points, mean)
    assert pr.log_likelihood(p, s, len(points)) == pytest.approx(np.sum(expected), rel=1e-10, abs=1e-9)


@PROPERTY
@given(p=spd_matrices(), points=samples(), mean=vectors())
def test_gradient_is_autograds_for_any_p_points_and_mean(p, points, mean) -> None:
    x = torch.tensor(np.array(points) - np.array(mean))
    pt = torch.tensor(full(p), requires_grad=True)
    torch_log_likelihood(pt, x).backward()
    g = full(pr.gradient(p, pr.scatter(points, mean), len(points)))
    np.testing.assert_allclose(g, pt.grad.numpy(), rtol=1e-9, atol=1e-9 * (1 + np.abs(g).max()))


@PROPERTY
@given(p=spd_matrices(), x=vectors(), mean=vectors())
def test_sample_gradient_is_autograds_for_any_p_point_and_mean(p, x, mean) -> None:
    pt = torch.tensor(full(p), requires_grad=True)
    d = torch.tensor(x, dtype=torch.float64) - torch.tensor(mean, dtype=torch.float64)
    (0.5 * torch.logdet(pt) - 0.5 * d @ pt @ d).backward()
    g = full(pr.sample_gradient(p, x, mean))
    np.testing.assert_allclose(g, pt.grad.numpy(), rtol=1e-10, atol=1e-10 * (1 + np.abs(g).max()))


@PROPERTY
@given(p=spd_matrices(), points=samples(), mean=vectors())
def test_the_gradient_is_the_sum_of_the_sample_gradients_about_any_mean(p, points, mean) -> None:
    total = np.sum([pr.sample_gradient(p, x, mean) for x in points], axis=0)
    g = pr.gradient(p, pr.scatter(points, mean), len(points))
    np.testing.assert_allclose(g, total, rtol=1e-9, atol=1e-9 * (1 + np.abs(total).max()))


@PROPERTY
@given(p=spd_matrices(), points=samples(), mean=vectors(), shift=vectors())
def test_shifting_the_data_and_the_mean_together_changes_no_scatter_and_no_gradient(
    p, points, mean, shift
) -> None:
    moved = [(x1 + shift[0], x2 + shift[1]) for x1, x2 in points]
    moved_mean = (mean[0] + shift[0], mean[1] + shift[1])
    s = pr.scatter(points, mean)
    np.testing.assert_allclose(
        pr.scatter(moved, moved_mean), s, rtol=1e-9, atol=1e-9 * (1 + max(map(abs, s)))
    )
    for x, y in zip(points, moved, strict=True):
        g = pr.sample_gradient(p, x, mean)
        np.testing.assert_allclose(
            pr.sample_gradient(p, y, moved_mean), g, rtol=1e-9, atol=1e-9 * (1 + max(map(abs, g)))
        )


@PROPERTY
@given(points=samples(bound=3.0), mean=vectors(1.0))
def test_the_mle_is_the_inverse_sample_covariance_about_the_mean_and_zeroes_the_gradient(
    points, mean
) -> None:
    d = np.array(points) - np.array(mean)
    cov = d.T @ d / len(points)
    assume(len(points) >= 3 and np.linalg.cond(cov) < 1e6)
    s = pr.scatter(points, mean)
    m = pr.mle(s, len(points))
    np.testing.assert_allclose(full(m), np.linalg.inv(cov), rtol=1e-8)
    g = pr.gradient(m, s, len(points))
    assert max(map(abs, g)) < 1e-8 * len(points) * (1 + np.abs(np.linalg.inv(cov)).max())


@PROPERTY
@given(
    p=st.tuples(coordinates(), coordinates(), coordinates()),
    q=st.tuples(coordinates(), coordinates(), coordinates()),
)
def test_squared_error_weights_the_off_diagonal_twice_for_any_matrices(p, q) -> None:
    expected = np.linalg.norm(full(p) - full(q), "fro") ** 2
    assert pr.squared_error(p, q) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    low=st.floats(min_value=1e-3, max_value=10.0),
    width=st.floats(min_value=0.0, max_value=100.0),
)
def test_random_spd_turns_its_first_two_draws_into_eigenvalues_along_the_angle_of_its_third(
    seed: int, low: float, width: float
) -> None:
    high = low + width
    rng = random.Random(seed)
    lam1, lam2, theta = rng.uniform(low, high), rng.uniform(low, high), rng.uniform(0.0, math.pi)
    p = full(pr.random_spd(random.Random(seed), (low, high)))
    u, v = np.array([math.cos(theta), math.sin(theta)]), np.array([-math.sin(theta), math.cos(theta)])
    np.testing.assert_allclose(p @ u, lam1 * u, rtol=0, atol=1e-13 * high)  # P u = λ1 u
    np.testing.assert_allclose(p @ v, lam2 * v, rtol=0, atol=1e-13 * high)  # P v = λ2 v, v ⟂ u
    eig = np.linalg.eigvalsh(p)
    assert low * (1 - 1e-12) - 1e-13 * high <= eig[0] <= eig[1] <= high * (1 + 1e-12)


def plain_fit(p0, stream, points, step, scale, mean):
    """The fit as the docstring says, with numpy matrices: P ← P + step·scale·½(P⁻¹ − d dᵀ),
    d = x − μ, log L of all the points at every iterate; stop before the first iterate that is
    not positive definite or whose log L is not finite."""
    x = np.array(points) - np.array(mean)
    p = full(p0)
    values = [log_likelihood_of(p, x)]
    for k, point in enumerate(stream, start=1):
        d = np.array(point) - np.array(mean)
        q = p + step * scale * 0.5 * (np.linalg.inv(p) - np.outer(d, d))
        with np.errstate(all="ignore"):
            det = q[0, 0] * q[1, 1] - q[0, 1] * q[1, 0]
            if not (np.all(np.isfinite(q)) and q[0, 0] > 0 and 0 < det < math.inf):
                return p, values, k
            value = log_likelihood_of(q, x)
        if not math.isfinite(value):
            return p, values, k
        p = q
        values.append(value)
    return p, values, None


@settings(max_examples=25, deadline=None)
@given(
    p0=spd_matrices(),
    data_seed=st.integers(min_value=0, max_value=2**32 - 1),
    n=st.integers(min_value=1, max_value=25),
    iterations=st.integers(min_value=0, max_value=40),
    mean=vectors(),
    step=st.floats(min_value=1e-4, max_value=0.5),
    scale=st.one_of(st.just(1.0), st.floats(min_value=0.1, max_value=30.0)),
)
def test_sgd_fit_is_the_plain_update_loop_for_any_mean_step_and_scale(
    p0, data_seed, n, iterations, mean, step, scale
) -> None:
    rng = np.random.default_rng(data_seed)
    points = [tuple(x) for x in (np.array(mean) + rng.normal(size=(n, 2))).tolist()]
    stream = [points[i] for i in rng.integers(0, n, iterations)]
    fit = pr.sgd_fit(p0, stream, pr.scatter(points, mean), n, step, scale=scale, mean=mean)
    p, values, diverged_at = plain_fit(p0, stream, points, step, scale, mean)
    assert fit.diverged_at == diverged_at
    assert len(fit.objective) == len(values) == (iterations + 1 if diverged_at is None else diverged_at)
    np.testing.assert_allclose(full(fit.p_hat), p, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(fit.objective, values, rtol=1e-7, atol=1e-7)


@PROPERTY
@given(
    p0=spd_matrices(),
    data_seed=st.integers(min_value=0, max_value=2**32 - 1),
    mean=vectors(),
    step=st.floats(min_value=1e-4, max_value=0.1),
    scale=st.floats(min_value=0.1, max_value=10.0),
)
def test_a_fit_about_any_mean_is_the_fit_of_the_centred_data_and_the_step_times_its_scale(
    p0, data_seed, mean, step, scale
) -> None:
    rng = np.random.default_rng(data_seed)
    centred = [tuple(x) for x in rng.normal(size=(10, 2)).tolist()]
    points = [(x1 + mean[0], x2 + mean[1]) for x1, x2 in centred]
    order = rng.integers(0, 10, 30)
    fit = pr.sgd_fit(p0, [points[i] for i in order], pr.scatter(points, mean), 10, step, scale, mean)
    same = pr.sgd_fit(p0, [centred[i] for i in order], pr.scatter(centred, (0.0, 0.0)), 10, step * scale)
    assert fit.diverged_at == same.diverged_at
    np.testing.assert_allclose(fit.p_hat, same.p_hat, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(fit.objective, same.objective, rtol=1e-8, atol=1e-8)


def test_sgd_fit_stops_before_an_iterate_whose_log_likelihood_overflows_though_p_stays_positive_definite() -> (
    None
):
    # with x = 0 every step P ← P + ½P⁻¹ grows a = c: 1, 2, 2.5, 2.9, 3.24...; log L has −½ a·S11,
    # which overflows to −inf once a·6e307 passes the largest float, at P4, a positive-definite P
    s = (6e307, 0.0, 0.0)
    fit = pr.sgd_fit((1.0, 0.0, 1.0), [(0.0, 0.0)] * 6, s, 1, 2.0)
    assert fit.diverged_at == 4
    assert fit.p_hat == pytest.approx((2.9, 0.0, 2.9), rel=1e-15)
    assert pr.is_positive_definite((3.2448275862068964, 0.0, 3.2448275862068964))
    assert len(fit.objective) == 4 and all(math.isfinite(v) for v in fit.objective)
    assert fit.objective == [pr.log_likelihood(q, s, 1) for q in [(a, 0.0, a) for a in (1.0, 2.0, 2.5, 2.9)]]


def test_sgd_fit_stops_at_an_iterate_whose_determinant_is_exactly_zero() -> None:
    # P0 = I, x = (1, 1), step 2: P1 = [[1, −1], [−1, 1]], singular, so log L would be log 0
    fit = pr.sgd_fit((1.0, 0.0, 1.0), [(1.0, 1.0), (0.0, 0.0)], (2.0, 0.0, 2.0), 2, 2.0)
    assert fit.diverged_at == 1 and fit.p_hat == (1.0, 0.0, 1.0) and len(fit.objective) == 1


def test_sgd_fit_extends_the_sink_it_is_given_chunk_by_chunk() -> None:
    sink = [123.0]
    fit = pr.sgd_fit((1.0, 0.0, 1.0), [(0.1, 0.2)] * 5, (1.0, 0.0, 1.0), 1, 1e-3, objective=sink)
    assert fit.objective is sink and len(sink) == 7 and sink[0] == 123.0


@settings(max_examples=30, deadline=None)
@given(width=st.integers(min_value=1, max_value=9), count=st.integers(min_value=1, max_value=60))
def test_envelope_buckets_start_where_the_last_one_ended_and_cover_every_iteration(
    width: int, count: int
) -> None:
    env = pr.Envelope(width)
    env.extend([float(v) for v in range(count)])
    record = env.record()
    assert record == {"every": width, "count": count, "low": env.low, "high": env.high, "last": env.last}
    starts, ends = pr.Envelope.bucket_starts(record), pr.Envelope.bucket_ends(record)
    assert starts[0] == 0 and ends[-1] == count - 1
    assert all(s == e + 1 for s, e in zip(starts[1:], ends, strict=False))
    assert [(s, e) for s, e in zip(starts, ends, strict=True)] == [
        (v[0], v[-1]) for v in (list(range(count))[b : b + width] for b in range(0, count, width))
    ]
    assert env.low == [float(s) for s in starts] and env.high == env.last == [float(e) for e in ends]


@settings(max_examples=30, deadline=None)
@given(
    iterations=st.integers(min_value=0, max_value=10**7),
    exact_up_to=st.integers(min_value=1, max_value=10**5),
    buckets=st.integers(min_value=1, max_value=5000),
)
def test_objective_sink_keeps_every_value_up_to_the_bound_and_then_the_fewest_wide_enough_buckets(
    iterations: int, exact_up_to: int, buckets: int
) -> None:
    sink = pr.objective_sink(iterations, exact_up_to, buckets)
    values = iterations + 1
    if values <= exact_up_to:
        assert sink == []
    else:
        assert isinstance(sink, pr.Envelope)
        assert math.ceil(values / sink.width) <= buckets  # at most `buckets` buckets
        assert sink.width == 1 or math.ceil(values / (sink.width - 1)) > buckets  # and no wider than that
    assert isinstance(pr.objective_sink(exact_up_to - 1, exact_up_to, buckets), list)
    assert isinstance(pr.objective_sink(exact_up_to, exact_up_to, buckets), pr.Envelope)


class Recorder(list):
    """A list that remembers how many values each extend brought."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def extend(self, values) -> None:
        self.sizes.append(len(values))
        super().extend(values)


def test_sgd_fit_reports_and_stores_its_progress_one_chunk_at_a_time(monkeypatch) -> None:
    monkeypatch.setattr(pr, "CHUNK", 4)  # the memory bound, small enough to see
    done, sink = [], Recorder()
    stream = [(0.1 * k, -0.05 * k) for k in range(10)]
    fit = pr.sgd_fit(
        (1.0, 0.0, 1.0), iter(stream), (1.0, 0.0, 1.0), 1, 1e-3, advance=done.append, objective=sink
    )
    assert done == [4, 4, 2]
    assert sink.sizes == [5, 4, 2, 0] and len(fit.objective) == 11  # P0's value comes with the first chunk
