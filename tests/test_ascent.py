"""f, its hand-derived gradient and Hessian, and the gradient ascent, against torch.autograd,
central differences and the properties a maximum must have."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nndl.numerics import ascent
from nndl.presentation.report import discussion
from stages.ascent import run_record
from tests.helpers import PARAMS
from tests.strategies import coordinates

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


# --- every formula and branch on random inputs (hypothesis) -------------------------------

PROPERTY = settings(max_examples=20, deadline=None)
PLANE = st.tuples(coordinates(4.0), coordinates(4.0))


@settings(max_examples=40, deadline=None)
@given(w=PLANE)
def test_f_its_gradient_and_hessian_are_symmetric_under_w_to_one_one_minus_w(w) -> None:
    m = (1.0 - w[0], 1.0 - w[1])
    e1, e2 = ascent.bumps(*w)
    assert ascent.bumps(*m) == pytest.approx((e2, e1), rel=1e-12, abs=1e-300)  # the terms swap
    assert ascent.value(*m) == pytest.approx(ascent.value(*w), rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(ascent.gradient(*m), -np.array(ascent.gradient(*w)), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(ascent.hessian(*m), ascent.hessian(*w), rtol=1e-10, atol=1e-15)


@PROPERTY
@given(w=st.lists(PLANE, min_size=1, max_size=6))
def test_f_and_grad_f_compute_in_double_precision_whatever_the_arrays_dtype(w) -> None:
    single = np.array(w, dtype=np.float32)
    double = single.astype(np.float64)
    np.testing.assert_array_equal(ascent.f(single), ascent.f(double))
    np.testing.assert_array_equal(ascent.grad_f(single), ascent.grad_f(double))
    assert ascent.f(single).dtype == ascent.grad_f(single).dtype == np.float64


def plain_ascent(start, step: float, tolerance: float, cap: int, region):
    """Gradient ascent as the sheet states it: stop when ‖∇f‖ < tolerance (converged), after
    `cap` steps, or at the first point outside the closed region."""
    w, path = start, [start]
    while True:
        g = ascent.gradient(*w)
        if math.hypot(*g) < tolerance:
            return path, ascent.CONVERGED
        if len(path) - 1 == cap:
            return path, ascent.CAPPED
        w = (w[0] + step * g[0], w[1] + step * g[1])
        path.append(w)
        if not (region[0] <= w[0] <= region[1] and region[0] <= w[1] <= region[1]):
            return path, ascent.LEFT


@settings(max_examples=30, deadline=None)
@given(
    start=PLANE,
    step=st.floats(min_value=1e-3, max_value=5.0),
    tolerance=st.floats(min_value=1e-8, max_value=0.5),
    cap=st.integers(min_value=0, max_value=60),
    low=st.floats(min_value=-4.0, max_value=0.0),
    width=st.floats(min_value=0.5, max_value=8.0),
)
def test_ascend_is_the_plain_loop_for_any_start_step_tolerance_cap_and_region(
    start, step, tolerance, cap, low, width
) -> None:
    region = (low, low + width)
    run = ascent.ascend(start, step, tolerance, cap, region)
    path, reason = plain_ascent(start, step, tolerance, cap, region)
    assert run.path == path and run.reason == reason and run.converged == (reason == ascent.CONVERGED)
    assert run.values == [ascent.value(*w) for w in path]
    assert run.start == start and run.step_size == step and run.iterations == len(path) - 1


def test_ascend_converges_at_its_last_allowed_step_and_caps_one_step_sooner() -> None:
    free = ascent.ascend((0.3, 0.2), 0.3, 1e-6, 10_000, (-2.0, 3.0))
    n = free.iterations
    assert free.converged and n > 1
    at_cap = ascent.ascend((0.3, 0.2), 0.3, 1e-6, n, (-2.0, 3.0))
    assert at_cap.converged and at_cap.path == free.path
    short = ascent.ascend((0.3, 0.2), 0.3, 1e-6, n - 1, (-2.0, 3.0))
    assert short.reason == ascent.CAPPED and not short.converged and short.path == free.path[:n]


def test_the_region_includes_its_bounds() -> None:
    # from (0.2, 0.5) the first step ends with w1 < w2, from (0.5, 0.2) with w1 > w2: between them
    # each coordinate lands on each bound of a region
    step = 0.3
    for start in ((0.2, 0.5), (0.5, 0.2)):
        g = ascent.gradient(*start)
        first = (start[0] + step * g[0], start[1] + step * g[1])
        for region in ((min(first) - 1.0, max(first)), (min(first), max(first) + 1.0)):
            run = ascent.ascend(start, step, 1e-9, 1, region)
            assert run.path[1] == first and run.reason == ascent.CAPPED


def test_the_stopping_test_is_strict_even_at_a_gradient_of_exactly_zero() -> None:
    assert ascent.gradient(0.5, 0.5) == (0.0, 0.0)  # the saddle, by the symmetry
    run = ascent.ascend((0.5, 0.5), 0.1, 0.0, 3, (-2.0, 3.0))
    assert run.reason == ascent.CAPPED and run.path == [(0.5, 0.5)] * 4
    assert ascent.ascend((0.5, 0.5), 0.1, 1e-100, 3, (-2.0, 3.0)).iterations == 0
    assert ascent.critical_points((0.5, 1.0), grid=1, tolerance=0.0) == []
    assert [p.kind for p in ascent.critical_points((0.5, 1.0), grid=1, tolerance=1e-300)] == ["saddle point"]
    # the saddle, exactly (½, ½), on the region's lower and upper bounds: both belong to it
    assert [p.w for p in ascent.critical_points((0.5, 1.0), grid=1, tolerance=1e-300)] == [(0.5, 0.5)]
    assert [p.w for p in ascent.critical_points((0.0, 0.5), grid=2, tolerance=1e-300)] == [(0.5, 0.5)]


def test_a_start_already_within_the_tolerance_takes_no_step() -> None:
    run = ascent.ascend(MAXIMUM_W, 0.4, 1e-6, 100, (-2.0, 3.0))
    assert run.converged and run.iterations == 0 and run.path == [MAXIMUM_W]


def runs(draw_list) -> list[ascent.Run]:
    return [
        ascent.Run((0.0, 0.0), step, [(0.0, 0.0)] * (n + 1), [0.0] * (n + 1), ok, "")
        for step, n, ok in draw_list
    ]


@PROPERTY
@given(
    table=st.lists(
        st.tuples(st.sampled_from([0.01, 0.1, 0.3, 1.0]), st.integers(0, 5), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_best_run_is_the_converged_run_of_fewest_iterations_then_smallest_step_else_the_smallest_step(
    table,
) -> None:
    candidates = runs(table)
    converged = [r for r in candidates if r.converged]
    if converged:
        fewest = min(r.iterations for r in converged)
        expected = min((r for r in converged if r.iterations == fewest), key=lambda r: r.step_size)
    else:
        expected = min(candidates, key=lambda r: r.step_size)
    assert ascent.best_run(candidates) is expected


MAXIMUM_W = (0.07072018167994322, 0.9292798183200568)


def plain_critical_points(region, grid: int, tolerance: float = 1e-12) -> list[tuple[float, float]]:
    """Newton's method on ∇f = 0 from each point of the grid, as plainly as it goes; its limits
    inside the region, where ∇f vanishes and f is not negligible (> 1e-6), each once, by w."""
    found: list[np.ndarray] = []
    ticks = np.linspace(region[0], region[1], grid)
    with np.errstate(all="ignore"):
        for w in (np.array([a, b]) for a in ticks for b in ticks):
            for _ in range(100):
                try:
                    w = w - np.linalg.solve(ascent.hessian(*w), ascent.gradient(*w))
                except np.linalg.LinAlgError:
                    break
                if not np.all(np.isfinite(w)) or math.hypot(*ascent.gradient(*w)) < tolerance:
                    break
            inside = np.all(np.isfinite(w)) and all(region[0] <= x <= region[1] for x in w)
            new = not any(np.abs(w - q).max() < 1e-6 for q in found)
            if inside and math.hypot(*ascent.gradient(*w)) < tolerance and ascent.value(*w) > 1e-6 and new:
                found.append(w)
    return sorted((float(a), float(b)) for a, b in found)


@settings(max_examples=20, deadline=None)
@given(
    low=st.floats(min_value=-3.0, max_value=1.5),
    width=st.floats(min_value=0.05, max_value=4.0),
    grid=st.integers(min_value=1, max_value=4),
)
def test_critical_points_are_the_limits_of_newtons_method_from_the_grid_for_any_region(
    low, width, grid
) -> None:
    region = (low, low + width)
    points = ascent.critical_points(region, grid)
    expected = plain_critical_points(region, grid)
    assert len(points) == len(expected)
    for p, w in zip(points, expected, strict=True):
        assert p.w == pytest.approx(w, abs=1e-12)
    for p in points:
        lo, hi = np.linalg.eigvalsh(ascent.hessian(*p.w))
        assert p.eigenvalues == pytest.approx((lo, hi), rel=1e-12) and p.value == ascent.value(*p.w)
        assert p.kind == ("maximum" if hi < 0 else "minimum" if lo > 0 else "saddle point")


def test_critical_points_are_listed_by_their_first_coordinate() -> None:
    points = ascent.critical_points((-2.0, 3.0))
    assert [p.kind for p in points] == ["maximum", "saddle point", "maximum"]
    assert [p.w for p in points] == sorted(p.w for p in points)


def test_newton_from_where_the_hessian_is_singular_or_zero_finds_nothing_and_goes_on() -> None:
    # det ∇²f(t, t) = 0 at t = −0.1371…: the first Newton step goes to 1e15 and is given up
    t = -0.13718549913877692
    w = np.array([t, t])
    assert np.abs(w - np.linalg.solve(ascent.hessian(t, t), ascent.gradient(t, t))).max() > 1e3
    assert ascent.critical_points((t, t + 1.0), grid=1) == []
    assert ascent.critical_points((15.0, 20.0), grid=3) == []  # f and its Hessian underflow to 0


def test_critical_points_read_the_kind_off_the_hessians_eigenvalues(monkeypatch) -> None:
    # 2 − f/4 has f's critical points, its maxima as minima, with eigenvalues −¼ of f's
    f_points = ascent.critical_points((-1.0, 2.0), grid=6)
    value, gradient, hessian = ascent.value, ascent.gradient, ascent.hessian
    monkeypatch.setattr(ascent, "value", lambda w1, w2, exp=math.exp: 2.0 - value(w1, w2, exp) / 4)
    monkeypatch.setattr(
        ascent, "gradient", lambda w1, w2, exp=math.exp: tuple(-g / 4 for g in gradient(w1, w2, exp))
    )
    monkeypatch.setattr(ascent, "hessian", lambda w1, w2: -hessian(w1, w2) / 4)
    points = ascent.critical_points((-1.0, 2.0), grid=6)
    assert [p.kind for p in points] == ["minimum", "saddle point", "minimum"]
    for p, q in zip(points, f_points, strict=True):
        assert p.w == pytest.approx(q.w, abs=1e-9)
        assert p.eigenvalues == pytest.approx((-q.eigenvalues[1] / 4, -q.eigenvalues[0] / 4), rel=1e-9)
    assert 0 < points[1].eigenvalues[1] < 1 and 0 < points[0].eigenvalues[0] < 1


@PROPERTY
@given(
    eigenvalues=st.tuples(st.floats(-20.0, -1e-3), st.floats(-20.0, -1e-3)),
    step=st.floats(min_value=0.0, max_value=5.0),
)
def test_the_step_theory_is_the_spectral_radius_of_i_plus_step_h_for_any_curvatures(
    eigenvalues, step
) -> None:
    theory = ascent.step_theory(eigenvalues)
    assert (theory.stiff, theory.soft) == (max(map(abs, eigenvalues)), min(map(abs, eigenvalues)))
    radius = max(abs(np.linalg.eigvals(np.eye(2) + step * np.diag(eigenvalues))))
    assert theory.rate(step) == pytest.approx(radius, rel=1e-12, abs=1e-15)
    assert theory.stability_bound == pytest.approx(
        2 / theory.stiff
    ) and theory.overshoot_step == pytest.approx(1 / theory.stiff)
    assert theory.rate(theory.stability_bound) == pytest.approx(1.0)
    best = theory.best_fixed_step
    assert theory.rate(best) == pytest.approx(
        (theory.stiff - theory.soft) / (theory.stiff + theory.soft), abs=1e-12
    )
    assert theory.rate(best) <= min(theory.rate(best * 0.99), theory.rate(best * 1.01)) + 1e-12


def plain_count(rho: float, gradient_norm: float, tolerance: float) -> int:
    n = 0
    while gradient_norm >= tolerance:
        gradient_norm *= rho
        n += 1
    return n


@settings(max_examples=50, deadline=None)
@given(
    stiff=st.floats(min_value=0.1, max_value=10.0),
    ratio=st.floats(min_value=0.01, max_value=1.0),
    fraction=st.floats(min_value=0.0, max_value=1.6),
    gradient_norm=st.floats(min_value=1e-6, max_value=10.0),
    tolerance=st.floats(min_value=1e-9, max_value=1.0),
)
def test_predicted_iterations_count_the_steps_that_shrinking_by_rho_takes_below_the_tolerance(
    stiff, ratio, fraction, gradient_norm, tolerance
) -> None:
    theory = ascent.StepTheory(stiff, stiff * ratio)
    step = fraction * theory.stability_bound
    rho = theory.rate(step)
    predicted = theory.predicted_iterations(step, gradient_norm, tolerance)
    if rho >= 1.0:
        assert predicted is None
        return
    exact = (
        math.log(tolerance / gradient_norm) / math.log(rho) if rho > 0 and gradient_norm >= tolerance else 0.5
    )
    assume(exact < 10_000 and abs(exact - round(exact)) > 1e-9)  # a loop of sane length; no tie for rounding
    assert predicted == plain_count(rho, gradient_norm, tolerance)


def test_predicted_iterations_at_the_edges_of_the_local_rate() -> None:
    theory = ascent.StepTheory(4.0, 4.0)  # powers of 2: every rate below is exact
    assert theory.rate(0.25) == 0.0 and theory.predicted_iterations(0.25, 1.0, 1e-6) == 1  # one step to 0
    assert theory.predicted_iterations(0.25, 1e-6, 1e-6) == 1  # a norm at the tolerance is not below it
    assert theory.predicted_iterations(0.25, 1e-7, 1e-6) == 0
    assert theory.predicted_iterations(0.125, 1e-7, 1e-6) == 0
    assert theory.rate(0.5) == 1.0 and theory.predicted_iterations(0.5, 1.0, 1e-6) is None  # the bound
    assert theory.rate(0.0) == 1.0 and theory.predicted_iterations(0.0, 1.0, 1e-6) is None
    for step in (0.55, 0.625, 0.74):  # between 2/|λmax| and 3/|λmax|: ρ in (1, 2), no convergence
        assert 1.0 < theory.rate(step) < 2.0 and theory.predicted_iterations(step, 1.0, 1e-6) is None


def point(w, kind: str = "maximum", value: float = 1.0, eigenvalues=(-2.0, -1.0)) -> ascent.CriticalPoint:
    return ascent.CriticalPoint(w, value, eigenvalues, kind)


def test_nearest_is_the_closest_critical_point_strictly_within_a_hundredth() -> None:
    points = [point((0.0, 0.0)), point((0.012, 0.0)), point((5.0, 5.0))]
    assert ascent.nearest(points, (0.007, 0.0)) is points[1]  # 0.005 from it, 0.007 from the other
    assert ascent.nearest(points, (0.003, 0.0)) is points[0]
    assert ascent.nearest(points, (0.0, 0.01)) is None  # exactly 1e-2 away is not within it
    assert ascent.nearest(points, (0.0, 0.5)) is None  # far from every one
    assert ascent.nearest([], (0.0, 0.0)) is None


def test_symmetry_gap_is_zero_for_f_and_the_largest_asymmetry_on_the_grid_otherwise(monkeypatch) -> None:
    assert ascent.symmetry_gap((-2.0, 3.0)) < 1e-15
    value = ascent.value
    # an asymmetry largest between grid points, so that the grid decides the gap
    lopsided = lambda w1, w2, exp=math.exp: value(w1, w2, exp) + 0.1 * np.sin(7.3 * w1) * np.cos(w2)  # noqa: E731
    monkeypatch.setattr(ascent, "value", lopsided)
    for region, grid in (((-2.0, 3.0), 7), ((0.0, 1.0), 2), ((-1.0, 0.5), 5)):
        t = np.linspace(*region, grid)
        expected = max(abs(lopsided(a, b, np.exp) - lopsided(1 - a, 1 - b, np.exp)) for a in t for b in t)
        assert ascent.symmetry_gap(region, grid) == pytest.approx(expected, rel=1e-12)
    assert ascent.symmetry_gap((-2.0, 3.0)) == pytest.approx(
        max(
            abs(lopsided(a, b, np.exp) - lopsided(1 - a, 1 - b, np.exp))
            for a in np.linspace(-2, 3, 101)
            for b in np.linspace(-2, 3, 101)
        ),
        rel=1e-12,
    )


@settings(max_examples=20, deadline=None)
@given(
    low=st.floats(min_value=-4.0, max_value=1.0),
    width=st.floats(min_value=0.5, max_value=6.0),
    tolerance=st.floats(min_value=1e-8, max_value=0.5),
    grid=st.integers(min_value=2, max_value=12),
    centres=st.lists(PLANE, max_size=3),
)
def test_flat_share_is_the_share_of_the_grid_with_a_small_gradient_far_from_every_critical_point(
    low, width, tolerance, grid, centres
) -> None:
    region = (low, low + width)
    points = [point(c) for c in centres]
    t = np.linspace(region[0], region[1], grid)
    flat = [
        (a, b)
        for a in t
        for b in t
        if np.hypot(*ascent.grad_f(np.array([a, b]))) < tolerance
        and all(math.dist(p.w, (a, b)) > 0.5 for p in points)
    ]
    assert ascent.flat_share(region, tolerance, points, grid) == pytest.approx(len(flat) / grid**2, abs=1e-12)


def test_flat_share_counts_a_point_exactly_far_away_as_near() -> None:
    # tolerance 10: every gradient is small; grid (0, 0), (0, 1), (1, 0), (1, 1); a point at
    # (½, 0) is exactly FAR = ½ from two of them and more from the others
    assert ascent.flat_share((0.0, 1.0), 10.0, [point((0.5, 0.0))], grid=2) == 0.5
    assert ascent.flat_share((0.0, 1.0), 10.0, [], grid=2) == 1.0
    # a gradient exactly at the tolerance is not below it
    norms = sorted(math.hypot(*ascent.gradient(a, b)) for a in (0.0, 1.0) for b in (0.0, 1.0))
    for k, norm in enumerate(norms):
        assert ascent.flat_share((0.0, 1.0), norm, [], grid=2) == sum(n < norm for n in norms) / 4
        assert ascent.flat_share((0.0, 1.0), math.nextafter(norm, math.inf), [], grid=2) >= (k + 1) / 4
    assert ascent.flat_share((-2.0, 3.0), 1e-2, []) == ascent.flat_share((-2.0, 3.0), 1e-2, [], grid=101)


KINDS = st.sampled_from(["maximum", "minimum", "saddle point"])


@PROPERTY
@given(
    table=st.lists(
        st.tuples(
            KINDS, st.floats(0.0, 2.0), st.sampled_from([(-2.0, -1.0), (-2.0, -1.0 + 1e-12), (-3.0, -1.0)])
        ),
        max_size=5,
    )
)
def test_the_maxima_alike_and_the_theory_at_the_highest(table) -> None:
    points = [point((float(i), 0.0), kind, value, eig) for i, (kind, value, eig) in enumerate(table)]
    tops = [p for p in points if p.kind == "maximum"]
    assert ascent.maxima(points) == tops
    assert ascent.maxima_alike(points) == all(
        abs(a - b) <= 1e-9 * max(abs(a), abs(b))
        for p in tops
        for a, b in zip(p.eigenvalues, tops[0].eigenvalues, strict=True)
    )
    theory = ascent.theory_at_maxima(points)
    if not tops:
        assert theory is None
    else:
        highest = max(tops, key=lambda p: p.value)
        assert theory == ascent.step_theory(highest.eigenvalues)


@PROPERTY
@given(
    table=st.lists(
        st.tuples(st.integers(1, 3), st.sampled_from([0.01, 0.1, 0.3, 1.0, 3.0]), st.booleans()),
        max_size=10,
    )
)
def test_bracket_is_the_largest_step_converging_from_every_start_and_the_next_one_tried(table) -> None:
    rows = [{"start_index": i, "step_size": s, "converged": ok} for i, s, ok in table]
    steps = sorted({s for _, s, _ in table})
    good = [s for s in steps if all(ok for _, t, ok in table if t == s)]
    expected = (good[-1], next((s for s in steps if s > good[-1]), None)) if good else (None, None)
    assert ascent.bracket(rows) == expected


@pytest.mark.parametrize("with_theory", [True, False])
def test_search_runs_every_step_from_every_start_and_marks_the_preferred_run(with_theory: bool) -> None:
    starts, steps, tolerance, cap, region = (
        [(0.3, 0.2), (1.5, -0.5)],
        [0.05, 0.4, 1.0],
        1e-5,
        300,
        (-2.0, 3.0),
    )
    theory = ascent.step_theory(ascent.critical_points(region)[0].eigenvalues) if with_theory else None
    heard = []
    found = ascent.search(starts, steps, tolerance, cap, region, theory, heard.append)
    assert heard == [cap] * (len(starts) * len(steps))
    assert len(found.table) == len(starts) * len(steps)
    for i, start in enumerate(starts, start=1):
        mine = [ascent.ascend(start, s, tolerance, cap, region) for s in steps]
        best = ascent.best_run(mine)
        assert found.chosen[i - 1] == best
        norm = math.hypot(*ascent.gradient(*start))
        rows = [r for r in found.table if r["start_index"] == i]
        assert rows == [
            {
                "start_index": i,
                "start": list(start),
                "step_size": run.step_size,
                "converged": run.converged,
                "reason": run.reason,
                "iterations": run.iterations,
                "end": list(run.path[-1]),
                "f_end": run.values[-1],
                "predicted_iterations": theory.predicted_iterations(run.step_size, norm, tolerance)
                if theory
                else None,
                "chosen": run.step_size == best.step_size,
            }
            for run in mine
        ]
    assert (
        ascent.search(starts, steps, tolerance, cap, region, theory).chosen == found.chosen
    )  # advance is optional
