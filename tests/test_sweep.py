"""The vectorised SGD, the step-size theory of the ascent and the stationary spread of SGD,
each against an independent computation: the scalar kernel, numpy's eigenvalues, central
differences, a direct covariance and a long simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nndl.numerics import ascent, precision, sweep
from nndl.pipeline.params import sweep_grid_size

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
