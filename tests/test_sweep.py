"""The vectorised SGD, the step-size theory of the ascent and the stationary spread of SGD,
each against an independent computation: the scalar kernel, numpy's eigenvalues, central
differences, a direct covariance and a long simulation."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nndl.numerics import ascent, precision, sweep
from nndl.pipeline.params import sweep_grid_size
from tests.strategies import coordinates, samples, spd_matrices

MAXIMUM = (0.07072018167994322, 0.9292798183200568)


def sample(n: int = 400, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal([0.0, 0.0], [[1.0, 0.5], [0.5, 1.0]], size=n)


def test_the_vectorised_sgd_is_the_scalar_kernel_bit_for_bit() -> None:
    points = sample()
    rng = np.random.default_rng(0)
    p0 = sweep.random_spd(rng, 4, (0.5, 2.0))
    steps = np.array([1e-4, 1e-2, 0.5])
    stream = rng.integers(0, len(points), (300, 4))
    runs = sweep.run(p0, steps, points, None, 300, draw=lambda k: stream[k - 1])
    s = precision.scatter(points.tolist(), (0.0, 0.0))
    for i, step in enumerate(steps):
        for r in range(4):
            start = (float(p0[0][r]), float(p0[1][r]), float(p0[2][r]))
            fit = precision.sgd_fit(start, [tuple(points[j]) for j in stream[:, r]], s, len(points), step)
            assert fit.p_hat == tuple(float(v[i, r]) for v in runs.p)
            assert (fit.diverged_at or 0) == runs.diverged_at[i, r]
    assert runs.diverged_at[2].all() and not runs.diverged_at[0].any()  # 0.5 leaves the cone


@pytest.mark.parametrize("iterations", [1, sweep.DRAW_CHUNK, 2 * sweep.DRAW_CHUNK + 7])
def test_draws_made_in_chunks_are_the_draws_of_one_call_per_iteration(iterations: int) -> None:
    points, replicas = sample(50), 5
    p0 = sweep.random_spd(np.random.default_rng(1), replicas, (0.5, 2.0))
    steps = np.array([1e-3, 0.3])
    per_call = np.random.default_rng(2)
    one_by_one = sweep.run(
        p0, steps, points, None, iterations, draw=lambda k: per_call.integers(0, len(points), replicas)
    )
    chunked_rng = np.random.default_rng(2)
    chunked = sweep.run(p0, steps, points, chunked_rng, iterations)
    assert all((x == y).all() for x, y in zip(chunked.p, one_by_one.p, strict=True))
    assert (chunked.diverged_at == one_by_one.diverged_at).all()
    assert chunked_rng.integers(0, 2**62) == per_call.integers(0, 2**62)  # and as many draws used


def test_the_jacobian_of_the_mean_gradient_matches_central_differences() -> None:
    p = (1.4, -0.7, 1.5)
    half_inverse = lambda q: 0.5 * np.array(precision.inverse(q))  # noqa: E731
    h = 1e-6
    numeric = np.column_stack(
        [
            (
                half_inverse(tuple(p[j] + h * (j == k) for j in range(3)))
                - half_inverse(tuple(p[j] - h * (j == k) for j in range(3)))
            )
            / (2 * h)
            for k in range(3)
        ]
    )
    assert np.allclose(sweep.mean_gradient_jacobian(p), numeric, rtol=1e-7, atol=1e-9)


def test_the_noise_covariance_is_the_covariance_of_one_points_gradient_at_the_mle() -> None:
    points = sample()
    s = precision.scatter(points.tolist(), (0.0, 0.0))
    mle = precision.mle(s, len(points))
    grads = np.array([precision.sample_gradient(mle, tuple(x)) for x in points])
    assert np.allclose(grads.mean(axis=0), 0.0, atol=1e-12)  # the MLE is where the mean gradient vanishes
    assert np.allclose(sweep.gradient_noise_covariance(points), np.cov(grads.T, bias=True), rtol=1e-10)


def test_the_lyapunov_prediction_matches_a_long_simulation_at_a_small_step() -> None:
    points = sample(200, seed=5)
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), len(points))
    step, chains, burn, keep = 2e-3, 64, 15_000, 30_000
    runs = sweep.run(
        tuple(np.full(chains, v) for v in mle),
        np.array([step]),
        points,
        np.random.default_rng(1),
        burn + keep,
        record_every=50,
        record_from=burn + 50,
    )
    rec = runs.recorded[:, :, 0, :]
    spread = sweep.squared_errors(mle, (rec[:, 0], rec[:, 1], rec[:, 2]))
    per_chain = spread.mean(axis=0)
    se = per_chain.std(ddof=1) / math.sqrt(chains)
    predicted = sweep.predicted_spread(sweep.stationary_covariance(mle, points, step))
    assert abs(spread.mean() - predicted) < 4 * se, (spread.mean(), predicted, se)


def test_the_stationary_covariance_solves_its_equation() -> None:
    points = sample()
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), len(points))
    step = 1e-3
    c = sweep.stationary_covariance(mle, points, step)
    a = np.eye(3) + step * sweep.mean_gradient_jacobian(mle)
    assert np.allclose(
        c, a @ c @ a.T + step**2 * sweep.gradient_noise_covariance(points), rtol=1e-9, atol=1e-15
    )


@pytest.mark.parametrize("step", [1e-3, 3e-2, 0.3])
def test_the_stationary_covariance_is_scipys_discrete_lyapunov_solution(step: float) -> None:
    from scipy.linalg import solve_discrete_lyapunov

    points = sample()
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), len(points))
    a = sweep.step_matrix(mle, step)
    expected = solve_discrete_lyapunov(a, step**2 * sweep.gradient_noise_covariance(points))
    np.testing.assert_allclose(sweep.stationary_covariance(mle, points, step), expected, rtol=1e-7)


@pytest.mark.parametrize("step", [1e-12, 1e-30, 1e-320])
def test_a_tiny_step_gives_eta_times_the_continuous_lyapunov_solution_never_a_negative_spread(
    step: float,
) -> None:
    from scipy.linalg import solve_continuous_lyapunov

    points = sample()
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), len(points))
    j, q = sweep.mean_gradient_jacobian(mle), sweep.gradient_noise_covariance(points)
    c = sweep.stationary_covariance(mle, points, step)
    d = solve_continuous_lyapunov(j, -q)  # J D + D Jᵀ = −Q, the limit of C / η
    np.testing.assert_allclose(c, step * d, rtol=1e-6, atol=0.0)
    assert sweep.predicted_spread(c) >= 0.0


def test_a_step_whose_linearised_iteration_does_not_contract_predicts_nothing() -> None:
    points = sample()
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), len(points))

    def radius(step: float) -> float:  # numpy's, where it has the digits
        return max(abs(np.linalg.eigvals(sweep.step_matrix(mle, step))))

    for step in (1e-3, 0.1, 1.0, 3.0, 10.0, 100.0):
        assert math.exp(sweep.log_contraction(mle, step)) == pytest.approx(radius(step), rel=1e-12)
        assert (sweep.stationary_covariance(mle, points, step) is None) == (radius(step) >= 1.0)
    assert radius(100.0) >= 1.0 > radius(1e-3)


@pytest.mark.parametrize(("low", "high", "per_decade"), [(1e-6, 1.0, 4), (3e-5, 0.2, 3), (1e-3, 1e-3, 1)])
def test_the_log_grid_has_its_decades_exact_and_the_size_the_loader_bounds(low, high, per_decade) -> None:
    grid = sweep.log_grid(low, high, per_decade)
    assert len(grid) == sweep_grid_size((low, high), per_decade)
    assert grid[0] >= low * (1 - 1e-12) and grid[-1] <= high * (1 + 1e-12)
    assert np.allclose(np.diff(np.log10(grid)), 1 / per_decade)
    for g in grid:
        if float(np.log10(g)).is_integer():
            assert repr(float(g)) in {repr(10.0**k) for k in range(-12, 4)}


def test_the_local_rate_is_the_spectral_radius_of_the_linearised_step() -> None:
    h = ascent.hessian(*MAXIMUM)
    theory = ascent.step_theory(tuple(np.linalg.eigvalsh(h)))
    for step in (0.01, 0.2, 0.35, 0.5, 0.59, 0.61, 1.0):
        radius = max(abs(np.linalg.eigvals(np.eye(2) + step * h)))
        assert theory.rate(step) == pytest.approx(radius, rel=1e-12)
    best = min(np.linspace(0.01, 0.7, 7001), key=theory.rate)
    assert best == pytest.approx(theory.best_fixed_step, abs=1e-4)
    assert theory.overshoot_step == pytest.approx(theory.stability_bound / 2)


def test_just_below_the_stability_bound_converges_and_just_above_it_does_not() -> None:
    theory = ascent.step_theory(tuple(np.linalg.eigvalsh(ascent.hessian(*MAXIMUM))))
    start = (MAXIMUM[0] + 0.01, MAXIMUM[1] - 0.01)
    below = ascent.ascend(start, theory.stability_bound * 0.995, 1e-6, 100_000, (-2.0, 3.0))
    above = ascent.ascend(start, theory.stability_bound * 1.005, 1e-6, 100_000, (-2.0, 3.0))
    assert below.converged and not above.converged


@pytest.mark.parametrize("step", [0.05, 0.2, 0.4, 0.55])
def test_near_the_maximum_the_predicted_iterations_bound_the_measured_ones(step: float) -> None:
    theory = ascent.step_theory(tuple(np.linalg.eigvalsh(ascent.hessian(*MAXIMUM))))
    start = (MAXIMUM[0] + 1e-3, MAXIMUM[1] + 2e-3)
    tolerance = 1e-9
    measured = ascent.ascend(start, step, tolerance, 100_000, (-2.0, 3.0)).iterations
    predicted = theory.predicted_iterations(step, math.hypot(*ascent.gradient(*start)), tolerance)
    # ‖(I + ηH)ⁿ g‖ ≤ ρⁿ ‖g‖: the measured count is at most the predicted one, and close to it
    assert predicted - 0.25 * predicted - 2 <= measured <= predicted + 1


# --- every formula on random inputs (hypothesis), with scales other than 1 ----------------

PROPERTY = settings(max_examples=20, deadline=None)
SCALES = st.one_of(st.just(1.0), st.floats(min_value=0.1, max_value=20.0))


def full(p) -> np.ndarray:
    return np.array([[p[0], p[1]], [p[1], p[2]]])


def jacobian_of_half_inverse(p) -> np.ndarray:
    """∂(½P⁻¹ in (11, 12, 22))/∂(a, b, c) by torch.autograd, P = [[a, b], [b, c]]."""

    def half_inverse(v: torch.Tensor) -> torch.Tensor:
        m = torch.stack([torch.stack([v[0], v[1]]), torch.stack([v[1], v[2]])])
        i = 0.5 * torch.linalg.inv(m)
        return torch.stack([i[0, 0], i[0, 1], i[1, 1]])

    return torch.autograd.functional.jacobian(half_inverse, torch.tensor(p, dtype=torch.float64)).numpy()


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    replicas=st.integers(min_value=1, max_value=6),
    low=st.floats(min_value=1e-3, max_value=10.0),
    width=st.floats(min_value=0.0, max_value=100.0),
)
def test_random_spd_arrays_turn_the_draws_into_eigenvalues_along_the_drawn_angle(
    seed, replicas, low, width
) -> None:
    high = low + width
    rng = np.random.default_rng(seed)
    lam1, lam2, theta = (
        rng.uniform(low, high, replicas),
        rng.uniform(low, high, replicas),
        rng.uniform(0, np.pi, replicas),
    )
    a, b, c = sweep.random_spd(np.random.default_rng(seed), replicas, (low, high))
    assert a.shape == b.shape == c.shape == (replicas,)
    for r in range(replicas):
        p = full((a[r], b[r], c[r]))
        u = np.array([np.cos(theta[r]), np.sin(theta[r])])
        v = np.array([-u[1], u[0]])
        np.testing.assert_allclose(p @ u, lam1[r] * u, rtol=0, atol=1e-13 * high)
        np.testing.assert_allclose(p @ v, lam2[r] * v, rtol=0, atol=1e-13 * high)
        eig = np.linalg.eigvalsh(p)
        assert low * (1 - 1e-12) - 1e-13 * high <= eig[0] <= eig[1] <= high * (1 + 1e-12)


@settings(max_examples=25, deadline=None)
@given(
    starts=st.lists(spd_matrices(), min_size=1, max_size=3),
    steps=st.lists(st.floats(min_value=1e-3, max_value=3.0), min_size=1, max_size=3),
    scale=SCALES,
    points=samples(max_size=8, bound=3.0),
    iterations=st.integers(min_value=1, max_value=25),
    record_every=st.integers(min_value=1, max_value=6),
    record_from=st.integers(min_value=0, max_value=28),
    data=st.data(),
)
def test_the_vectorised_sgd_and_its_records_are_the_scalar_kernel_for_any_scale(
    starts, steps, scale, points, iterations, record_every, record_from, data
) -> None:
    p0 = tuple(np.array(v) for v in zip(*starts, strict=True))
    stream = np.array(
        data.draw(
            st.lists(
                st.lists(st.integers(0, len(points) - 1), min_size=len(starts), max_size=len(starts)),
                min_size=iterations,
                max_size=iterations,
            )
        )
    )
    x = np.array(points)
    runs = sweep.run(
        p0,
        np.array(steps),
        x,
        None,
        iterations,
        scale,
        record_every,
        record_from,
        draw=lambda k: stream[k - 1],
    )
    assert runs.diverged_at.dtype.kind == "i" and runs.diverged_at.shape == (len(steps), len(starts))
    kept = list(range(record_from, iterations + 1, record_every))
    assert (runs.recorded is None) == (not kept)
    if kept:
        assert runs.recorded.shape == (len(kept), 3, len(steps), len(starts))
    s = precision.scatter(points, (0.0, 0.0))
    for i, step in enumerate(steps):
        for r, start in enumerate(starts):
            fit = functools.partial(scalar_fit, start, points, stream[:, r], step, scale, s)
            whole = fit(iterations)
            assert whole.p_hat == tuple(float(v[i, r]) for v in runs.p)
            assert (whole.diverged_at or 0) == runs.diverged_at[i, r]
            for j, k in enumerate(kept):
                assert fit(k).p_hat == tuple(float(v) for v in runs.recorded[j, :, i, r])


def scalar_fit(start, points, indices, step, scale, s, k: int) -> precision.Fit:
    """precision.sgd_fit over the first k points a replica draws."""
    return precision.sgd_fit(start, [points[j] for j in indices[:k]], s, len(points), step, scale)


def test_a_run_without_iterations_or_records_keeps_p0_as_floats_and_records_nothing() -> None:
    p0 = (np.array([2, 1]), np.array([0, 0]), np.array([2, 3]))  # integers
    runs = sweep.run(p0, np.array([1e-3, 1e-2]), np.zeros((3, 2)), np.random.default_rng(0), 0)
    assert runs.recorded is None and not runs.diverged_at.any()
    for v, start in zip(runs.p, p0, strict=True):
        assert v.dtype == np.float64 and (v == start).all() and v.shape == (2, 2)
    assert sweep.run(p0, np.array([1e-3]), np.zeros((3, 2)), np.random.default_rng(0), 5).recorded is None


def test_a_start_whose_determinant_overflows_and_a_step_onto_a_singular_p_count_as_diverged() -> None:
    # replica 0: det P0 = 1e400 = inf; replica 1: P0 = I, x = (1, 1), step 2 gives [[1, −1], [−1, 1]];
    # replica 2: the same step from I with a small x stays positive definite
    p0 = (np.array([1e200, 1.0, 1.0]), np.array([0.0, 0.0, 0.0]), np.array([1e200, 1.0, 1.0]))
    points = np.array([[1.0, 1.0], [0.1, 0.2]])
    with np.errstate(over="ignore"):
        runs = sweep.run(p0, np.array([2.0]), points, None, 1, draw=lambda k: np.array([1, 0, 1]))
    assert runs.diverged_at.tolist() == [[1, 1, 0]]
    assert [float(v[0, 1]) for v in runs.p] == [1.0, 0.0, 1.0]  # the last positive-definite iterate
    assert float(runs.p[0][0, 0]) == 1e200


@PROPERTY
@given(
    truth=st.tuples(*[coordinates()] * 3), p=st.lists(st.tuples(*[coordinates()] * 3), min_size=1, max_size=5)
)
def test_squared_errors_weigh_the_off_diagonal_twice_for_any_arrays(truth, p) -> None:
    arrays = tuple(np.array(v) for v in zip(*p, strict=True))
    expected = [np.linalg.norm(full(truth) - full(q), "fro") ** 2 for q in p]
    np.testing.assert_allclose(sweep.squared_errors(truth, arrays), expected, rtol=1e-12, atol=1e-12)


@PROPERTY
@given(p=spd_matrices())
def test_the_jacobian_of_the_mean_gradient_is_autograds_for_any_p(p) -> None:
    j = sweep.mean_gradient_jacobian(p)
    np.testing.assert_allclose(j, jacobian_of_half_inverse(p), rtol=1e-9, atol=1e-12 * (1 + np.abs(j).max()))


@PROPERTY
@given(points=samples(max_size=15))
def test_the_noise_covariance_is_the_covariance_of_half_the_mean_outer_product_minus_one_points(
    points,
) -> None:
    x = np.array(points)
    outer = np.einsum("ni,nj->nij", x, x)
    xi = 0.5 * (outer.mean(axis=0) - outer)  # ξ = ½(S/N − x xᵀ), as 2×2 matrices
    flat = np.stack([xi[:, 0, 0], xi[:, 0, 1], xi[:, 1, 1]], axis=1)
    expected = np.cov(flat.T, bias=True).reshape(3, 3)
    q = sweep.gradient_noise_covariance(x)
    np.testing.assert_allclose(q, expected, rtol=1e-9, atol=1e-12 * (1 + np.abs(expected).max()))


@PROPERTY
@given(p=spd_matrices(), step=st.floats(min_value=1e-4, max_value=5.0), scale=SCALES)
def test_the_step_matrix_and_its_contraction_use_the_step_times_the_scale(p, step, scale) -> None:
    a = np.eye(3) + step * scale * jacobian_of_half_inverse(p)
    np.testing.assert_allclose(sweep.step_matrix(p, step, scale), a, rtol=1e-9, atol=1e-12)
    radius = max(abs(np.linalg.eigvals(a)))
    with np.errstate(divide="ignore"):  # log 0 where a step makes 1 + ημ exactly 0
        assert math.exp(sweep.log_contraction(p, step, scale)) == pytest.approx(radius, rel=1e-9)


@PROPERTY
@given(
    p=spd_matrices(0.5, 3.0),
    points=samples(max_size=12, bound=2.0),
    step=st.floats(min_value=1e-3, max_value=2.0),
    scale=SCALES,
)
def test_the_stationary_covariance_solves_the_discrete_lyapunov_equation_with_the_scale(
    p, points, step, scale
) -> None:
    from scipy.linalg import solve_discrete_lyapunov

    x = np.array(points)
    a = np.eye(3) + step * scale * jacobian_of_half_inverse(p)
    with np.errstate(divide="ignore"):
        c = sweep.stationary_covariance(p, x, step, scale)
    radius = max(abs(np.linalg.eigvals(a)))
    assume(abs(radius - 1.0) > 1e-6)
    if radius > 1.0:
        assert c is None
        return
    q = sweep.gradient_noise_covariance(x)
    expected = solve_discrete_lyapunov(a, (step * scale) ** 2 * q)
    np.testing.assert_allclose(c, expected, rtol=1e-6, atol=1e-9 * (1 + np.abs(expected).max()))


def test_a_step_of_zero_has_no_stationary_law() -> None:
    assert sweep.log_contraction((1.0, 0.2, 2.0), 0.0) == 0.0
    assert sweep.stationary_covariance((1.0, 0.2, 2.0), sample(20), 0.0) is None


@PROPERTY
@given(factor=st.lists(st.floats(min_value=-3.0, max_value=3.0), min_size=9, max_size=9))
def test_the_predicted_spread_is_the_expected_squared_error_of_any_covariance(factor) -> None:
    # e = L z with z standard normal has Cov(e) = L Lᵀ, and E‖e‖² = Σ_k ‖L[:, k]‖² in the norm of eq. (10)
    l = np.array(factor).reshape(3, 3)  # noqa: E741
    expected = sum(precision.squared_error(tuple(l[:, k]), (0.0, 0.0, 0.0)) for k in range(3))
    assert sweep.predicted_spread(l @ l.T) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@PROPERTY
@given(p=st.lists(st.tuples(*[coordinates()] * 3), min_size=1, max_size=5))
def test_eigenvalues_are_numpys_ascending_for_any_symmetric_matrices(p) -> None:
    low, high = sweep.eigenvalues(tuple(np.array(v) for v in zip(*p, strict=True)))
    expected = np.array([np.linalg.eigvalsh(full(q)) for q in p])
    np.testing.assert_allclose(np.stack([low, high], axis=1), expected, rtol=1e-9, atol=1e-12)


def lower_quantile(values: list[float], q: float) -> float:
    """numpy's method="lower": the sorted values' element at ⌊q·(n − 1)⌋."""
    return sorted(values)[math.floor(q * (len(values) - 1))]


@PROPERTY
@given(
    shape=st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=12)),
    data=st.data(),
)
def test_summarise_gives_the_lower_quantiles_with_a_diverged_run_as_an_infinite_error(shape, data) -> None:
    steps = np.array(
        sorted(data.draw(st.lists(st.floats(1e-6, 1.0), min_size=shape[0], max_size=shape[0], unique=True)))
    )
    errors = np.array(
        data.draw(
            st.lists(
                st.lists(st.floats(0.0, 1e3), min_size=shape[1], max_size=shape[1]),
                min_size=shape[0],
                max_size=shape[0],
            )
        )
    )
    diverged = np.array(
        data.draw(
            st.lists(
                st.lists(st.booleans(), min_size=shape[1], max_size=shape[1]),
                min_size=shape[0],
                max_size=shape[0],
            )
        )
    )
    rows = sweep.summarise(steps, errors, diverged)
    assert len(rows) == shape[0]
    for step, row, err, div in zip(steps, rows, errors, diverged, strict=True):
        values = [math.inf if d else float(e) for e, d in zip(err, div, strict=True)]
        expected = {f"q{round(100 * q):02d}": lower_quantile(values, q) for q in (0.1, 0.5, 0.9)}
        assert row == {
            "step_size": float(step),
            "median": expected["q50"] if math.isfinite(expected["q50"]) else None,
            "q10": expected["q10"] if math.isfinite(expected["q10"]) else None,
            "q90": expected["q90"] if math.isfinite(expected["q90"]) else None,
            "fraction_diverged": sum(div) / len(div),
        }


def test_a_run_that_records_from_iteration_0_keeps_p0_as_its_first_record() -> None:
    points = sample(10)
    p0 = tuple(np.full(2, v) for v in (1.0, 0.2, 1.5))
    runs = sweep.run(p0, np.array([1e-3]), points, np.random.default_rng(1), 10, record_every=5)
    assert runs.recorded.shape == (3, 3, 1, 2)  # iterations 0, 5 and 10
    assert (runs.recorded[0, :, 0, :] == np.array(p0)).all()
    later = sweep.run(
        p0, np.array([1e-3]), points, np.random.default_rng(1), 10, record_every=5, record_from=5
    )
    assert (runs.recorded[1:] == later.recorded).all()


@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    replicas=st.integers(min_value=1, max_value=5),
    scale=SCALES,
    iterations=st.integers(min_value=1, max_value=60),
)
def test_study_summarises_the_runs_it_makes_and_every_step_diverging_leaves_nothing_to_average(
    seed, replicas, scale, iterations
) -> None:
    points = sample(120, seed=seed % 1000)
    # xᵀP0x > 1 for every point, as every P0 has eigenvalues above ½: the largest step leaves the cone at once
    points = points[np.hypot(points[:, 0], points[:, 1]) > 1.5]
    truth = (1.2, -0.4, 0.9)
    steps = np.array([1e-3, 3e-2, 1e6])
    p0 = sweep.random_spd(np.random.default_rng(seed), replicas, (0.5, 2.0))
    out = sweep.study(points, truth, steps, p0, np.random.default_rng(seed + 1), iterations, scale)
    runs = sweep.run(p0, steps, points, np.random.default_rng(seed + 1), iterations, scale)  # the same draws
    mle = np.linalg.inv(points.T @ points / len(points))
    mle_error = np.linalg.norm(full(truth) - mle, "fro") ** 2
    jacobian = jacobian_of_half_inverse((mle[0, 0], mle[0, 1], mle[1, 1]))
    rate = min(abs(np.linalg.eigvals(jacobian)))  # J's eigenvalues are real and negative
    assert out["mle_error"] == pytest.approx(mle_error, rel=1e-9)
    np.testing.assert_allclose(out["mle_eigenvalues"], np.linalg.eigvalsh(mle), rtol=1e-9)
    np.testing.assert_allclose(out["truth_eigenvalues"], np.linalg.eigvalsh(full(truth)), rtol=1e-12)
    starts = np.array([np.linalg.eigvalsh(full(q)) for q in zip(*p0, strict=True)])
    assert out["p0_eigenvalue_range"] == pytest.approx([starts[:, 0].min(), starts[:, 1].max()], rel=1e-12)
    assert out["slowest_rate"] == pytest.approx(rate, rel=1e-9)
    assert len(out["rows"]) == len(steps)
    for i, row in enumerate(out["rows"]):
        ends = [
            (float(runs.p[0][i, r]), float(runs.p[1][i, r]), float(runs.p[2][i, r])) for r in range(replicas)
        ]
        alive = [e for e, d in zip(ends, runs.diverged_at[i], strict=True) if d == 0]
        errors = [np.linalg.norm(full(truth) - full(e), "fro") ** 2 for e in alive]
        assert row["step_size"] == steps[i]
        assert row["fraction_diverged"] == (replicas - len(alive)) / replicas
        assert row["slow_remaining"] == pytest.approx(
            math.exp(-steps[i] * scale * rate * iterations), rel=1e-9
        )
        if not alive:
            assert row["fraction_below_mle"] is None and row["mean_eigenvalues"] is None
            assert row["median"] is row["q10"] is row["q90"] is None
            continue
        assert row["fraction_below_mle"] == pytest.approx(np.mean([e < mle_error for e in errors]))
        eig = np.array([np.linalg.eigvalsh(full(e)) for e in alive])
        np.testing.assert_allclose(row["mean_eigenvalues"], eig.mean(axis=0), rtol=1e-9)
        median = lower_quantile(errors + [math.inf] * (replicas - len(alive)), 0.5)
        assert row["median"] == (pytest.approx(median, rel=1e-9) if math.isfinite(median) else None)
    assert out["rows"][-1]["fraction_diverged"] == 1.0


def test_summarise_refuses_steps_and_rows_that_do_not_pair_up() -> None:
    with pytest.raises(ValueError):
        sweep.summarise(np.array([1e-3, 1e-2]), np.ones((1, 4)), np.zeros((1, 4), dtype=bool))


def test_a_run_recording_from_its_last_iteration_keeps_that_one_iterate() -> None:
    points = sample(10)
    p0 = tuple(np.full(2, v) for v in (1.0, 0.2, 1.5))
    runs = sweep.run(p0, np.array([1e-3]), points, np.random.default_rng(1), 7, record_every=3, record_from=7)
    assert runs.recorded.shape == (1, 3, 1, 2)
    assert all((runs.recorded[0, k] == v).all() for k, v in enumerate(runs.p))
    assert (
        sweep.run(
            p0, np.array([1e-3]), points, np.random.default_rng(1), 6, record_every=3, record_from=7
        ).recorded
        is None
    )


def test_a_sweep_whose_every_step_diverges_has_no_error_to_summarise() -> None:
    points = sample(60)
    points = points[np.hypot(points[:, 0], points[:, 1]) > 1.5]  # xᵀP0x > 1: the first step leaves the cone
    p0 = sweep.random_spd(np.random.default_rng(0), 3, (0.5, 2.0))
    out = sweep.study(points, (1.0, 0.3, 1.0), np.array([1e5, 1e6]), p0, np.random.default_rng(1), 5, 1.0)
    for row in out["rows"]:
        assert row["fraction_diverged"] == 1.0
        assert (
            row["median"]
            is row["q10"]
            is row["q90"]
            is row["fraction_below_mle"]
            is row["mean_eigenvalues"]
            is None
        )


def test_a_replica_that_stays_at_the_mle_is_not_below_its_error() -> None:
    points = sample(40)
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), len(points))
    p0 = tuple(np.full(2, v) for v in mle)  # a step of 0 keeps P at the MLE, bit for bit
    out = sweep.study(points, (1.0, 0.3, 1.0), np.array([0.0]), p0, np.random.default_rng(0), 3, 1.0)
    assert out["rows"][0]["median"] == out["mle_error"]
    assert out["rows"][0]["fraction_below_mle"] == 0.0


def test_a_near_singular_sample_gives_no_prediction_rather_than_noise() -> None:
    """Seven points of a very thin Gaussian far from 0 (found by hypothesis in CI): the Lyapunov
    system's condition number is far past what double precision solves, and solving it anyway
    raised LinAlgError or gave a negative spread."""
    from nndl.numerics.gaussian import draw_samples

    mean = (260041.0, 524341.0)
    points = draw_samples(0, 7, mean, (818553.5923276627, 374617.2351770423, 171446.4076733472)) - mean
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), len(points))
    j = sweep.mean_gradient_jacobian(mle)
    system = np.kron(np.eye(3), j) + np.kron(j, np.eye(3)) + 1e-27 * np.kron(j, j)
    assert not np.linalg.cond(system) <= sweep.MAX_CONDITION
    assert sweep.stationary_covariance(mle, points, 1e-27) is None


def test_the_default_sample_is_well_inside_the_condition_bound() -> None:
    points = sample()
    mle = precision.mle(precision.scatter(points.tolist(), (0.0, 0.0)), len(points))
    j = sweep.mean_gradient_jacobian(mle)
    system = np.kron(np.eye(3), j) + np.kron(j, np.eye(3)) + 1e-3 * np.kron(j, j)
    assert np.linalg.cond(system) < 1e-6 * sweep.MAX_CONDITION
