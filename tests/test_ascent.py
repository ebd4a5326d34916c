"""f, its hand-derived gradient and Hessian, and the gradient ascent, against torch.autograd,
central differences and the properties a maximum must have."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch

from nndl.numerics import ascent
from nndl.presentation.report import discussion
from stages.ascent import run_record
from tests.helpers import PARAMS

RNG = np.random.default_rng(5)
POINTS = [tuple(p) for p in RNG.uniform(-2.0, 3.0, size=(40, 2)).tolist()]
ASCENT = PARAMS.ascent


def torch_f(w: torch.Tensor) -> torch.Tensor:
    """Eq. (7) written directly from the sheet."""
    return torch.exp(-(w[0] ** 2) - 2 * (w[1] - 1) ** 2) + torch.exp(-((w[0] - 1) ** 2) - 2 * w[1] ** 2)


@pytest.mark.parametrize("w", POINTS)
def test_gradient_matches_autograd(w: tuple[float, float]) -> None:
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    torch_f(wt).backward()
    np.testing.assert_allclose(ascent.gradient(*w), wt.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("w", POINTS)
def test_gradient_matches_central_differences(w: tuple[float, float]) -> None:
    h = 1e-6
    fd = [
        (ascent.value(w[0] + h, w[1]) - ascent.value(w[0] - h, w[1])) / (2 * h),
        (ascent.value(w[0], w[1] + h) - ascent.value(w[0], w[1] - h)) / (2 * h),
    ]
    np.testing.assert_allclose(ascent.gradient(*w), fd, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("w", POINTS[:15])
def test_hessian_matches_autograd(w: tuple[float, float]) -> None:
    h = torch.autograd.functional.hessian(torch_f, torch.tensor(w, dtype=torch.float64))
    np.testing.assert_allclose(ascent.hessian(*w), h.numpy(), rtol=1e-11, atol=1e-14)


def test_numpy_f_and_gradient_agree_with_the_scalar_versions_on_an_array() -> None:
    arr = np.array(POINTS).reshape(5, 8, 2)
    np.testing.assert_allclose(ascent.f(arr).ravel(), [ascent.value(*w) for w in POINTS], rtol=1e-14)
    np.testing.assert_allclose(
        ascent.grad_f(arr).reshape(-1, 2), [ascent.gradient(*w) for w in POINTS], rtol=1e-13, atol=1e-16
    )


@pytest.mark.parametrize("start", ASCENT.starts)
def test_chosen_runs_end_at_a_stationary_point_with_negative_definite_hessian(
    start: tuple[float, float],
) -> None:
    runs = [
        ascent.ascend(start, s, ASCENT.tolerance, ASCENT.max_iterations, ASCENT.region)
        for s in ASCENT.step_sizes
    ]
    best = ascent.best_run(runs)
    assert best.converged
    end = best.path[-1]
    assert math.hypot(*ascent.gradient(*end)) < ASCENT.tolerance
    assert np.all(np.linalg.eigvalsh(ascent.hessian(*end)) < 0)
    assert best.values == [ascent.value(*w) for w in best.path]
    assert all(b >= a for a, b in itertools.pairwise(best.values))  # ascent ascends


def test_a_step_that_leaves_the_region_is_not_converged_and_stays_finite() -> None:
    run = ascent.ascend((0.2, 0.5), 50.0, 1e-4, 1000, (-2.0, 3.0))
    assert not run.converged and run.reason == ascent.LEFT
    assert run.iterations == 1
    assert all(math.isfinite(x) for w in run.path for x in w)


def test_a_run_that_oscillates_stops_at_the_cap_not_converged() -> None:
    run = ascent.ascend((0.2, 0.5), 1.0, 1e-4, 500, (-2.0, 3.0))
    assert not run.converged and run.reason == ascent.CAPPED
    assert run.iterations == 500


def test_best_run_takes_fewest_iterations_among_converged_then_smaller_step() -> None:
    def run(step: float, n: int, ok: bool) -> ascent.Run:
        return ascent.Run((0.0, 0.0), step, [(0.0, 0.0)] * (n + 1), [0.0] * (n + 1), ok, "")

    runs = [run(0.1, 30, True), run(0.3, 12, True), run(0.2, 12, True), run(0.5, 3, False)]
    assert ascent.best_run(runs).step_size == 0.2
    assert ascent.best_run([run(0.5, 3, False), run(0.7, 9, False)]).step_size == 0.5


def test_critical_points_are_two_equal_maxima_and_a_saddle_between() -> None:
    points = ascent.critical_points((-2.0, 3.0))
    kinds = sorted(p.kind for p in points)
    assert kinds == ["maximum", "maximum", "saddle point"]
    for p in points:
        assert math.hypot(*ascent.gradient(*p.w)) < 1e-12
    m1, m2 = (p for p in points if p.kind == "maximum")
    assert m1.value == pytest.approx(m2.value, rel=1e-12)
    assert m1.w[0] == pytest.approx(1 - m2.w[0], abs=1e-9) and m1.w[1] == pytest.approx(1 - m2.w[1], abs=1e-9)
    saddle = next(p for p in points if p.kind == "saddle point")
    assert saddle.w == pytest.approx((0.5, 0.5), abs=1e-12)


def test_discussion_calls_equal_maxima_global_and_a_lower_one_local() -> None:
    points = ascent.critical_points((-2.0, 3.0))
    runs = [run_record(ascent.ascend(s, 0.4, 1e-4, 1000, (-2.0, 3.0)), points) for s in ASCENT.starts]
    records = [{"w": p.w, "f": p.value, "hessian_eigenvalues": p.eigenvalues, "kind": p.kind} for p in points]
    text = discussion(runs, records, 0.0)
    assert "both are global maxima" in text
    assert "2 different maxima" in text
    lower = [r | {"f": r["f"] - (0.1 if r["w"][0] > 0.5 else 0)} for r in records]
    text = discussion(runs, lower, 1.0)
    assert "local only" in text and "both are global" not in text


def test_f_on_the_stacked_grid_equals_the_sheets_vectorize_code() -> None:
    vec_f = np.vectorize(lambda w: ascent.value(w[0], w[1]), signature="(n)->()")
    w = np.linspace(-2.0, 3.0, 40)
    w1, w2 = np.meshgrid(w, w)
    grid = np.stack((w1, w2), axis=2)
    np.testing.assert_allclose(ascent.f(grid), vec_f(grid), rtol=1e-14)


@pytest.mark.parametrize("w", POINTS[:10])
def test_value_and_gradient_equal_value_and_gradient_apart(w: tuple[float, float]) -> None:
    assert ascent.value_and_gradient(*w) == (ascent.value(*w), ascent.gradient(*w))
