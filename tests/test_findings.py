"""The facts the report states, on curves and sweeps whose answer is known in closed form."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nndl.numerics import ascent, findings


def curve(f, low: float = -10.0, high: float = 10.0, points: int = 401) -> list[tuple[float, float]]:
    xs = [low + (high - low) * k / (points - 1) for k in range(points)]
    return [(x, f(x)) for x in xs]


def test_a_line_still_changes_at_its_ends_and_tanh_has_levelled_off() -> None:
    assert findings.changing_at_an_end(curve(lambda x: 3.0 * x + 1.0))
    assert not findings.changing_at_an_end(curve(math.tanh))  # slope 8e-9 at ±10 against 1 at 0
    assert findings.changing_at_an_end(curve(lambda x: math.tanh(x / 10.0)))  # 0.42 of its steepest


def rows(medians: list[float | None], diverged: list[float]) -> list[dict]:
    return [
        {"step_size": 10.0**k, "median": m, "fraction_diverged": d}
        for k, (m, d) in enumerate(zip(medians, diverged, strict=True))
    ]


def test_a_sweep_is_u_shaped_only_when_its_median_rises_on_both_sides_of_its_least() -> None:
    u = findings.sweep_shape(rows([3.0, 1.0, 2.0, None], [0.0, 0.0, 0.4, 1.0]))
    assert u.u_shaped and u.all_diverge_from == 1000.0
    falling = findings.sweep_shape(rows([3.0, 2.0, 1.0], [0.0, 0.0, 0.0]))
    assert not falling.u_shaped and falling.all_diverge_from is None


def test_the_best_fixed_rate_is_the_rate_at_the_best_fixed_step() -> None:
    stiff, soft = 3.3337857687796975, 1.633334686175571
    step = 2.0 / (stiff + soft)
    assert math.isclose(
        findings.best_fixed_rate(stiff, soft), max(abs(1 - step * stiff), abs(1 - step * soft))
    )


def test_standard_errors_apart_is_the_distance_in_standard_errors() -> None:
    assert math.isclose(findings.standard_errors_apart(1.3, 1.0, 0.1), 3.0)
    assert math.isclose(findings.standard_errors_apart(0.7, 1.0, 0.1), 3.0)


# --- each fact against a plain statement of it, on random data (hypothesis) ---------------

PROPERTY = settings(max_examples=30, deadline=None)


@st.composite
def curves(draw) -> list[tuple[float, float]]:
    """A curve over strictly increasing, unevenly spaced x."""
    steps = draw(st.lists(st.floats(min_value=0.01, max_value=3.0), min_size=1, max_size=12))
    xs = list(itertools.accumulate(steps, initial=draw(st.floats(-5.0, 5.0))))
    return [(x, draw(st.floats(-100.0, 100.0))) for x in xs]


@PROPERTY
@given(points=curves())
def test_a_curve_changes_at_an_end_where_an_end_segments_slope_is_a_hundredth_of_its_steepest(points) -> None:
    slopes = [abs(y2 - y1) / (x2 - x1) for (x1, y1), (x2, y2) in itertools.pairwise(points)]
    steepest = max(slopes)
    expected = steepest > 0 and (slopes[0] >= steepest / 100 or slopes[-1] >= steepest / 100)
    assume(all(abs(s - steepest / 100) > 1e-9 * steepest for s in (slopes[0], slopes[-1])))  # no tie
    assert findings.changing_at_an_end(points) == expected


def test_only_the_first_and_the_last_segment_are_ends() -> None:
    x = [0.0, 1.0, 2.0, 3.0, 4.0]
    assert findings.changing_at_an_end(list(zip(x, [0.0, 5.0, 5.0, 5.0, 5.0], strict=True)))  # steep first
    assert findings.changing_at_an_end(list(zip(x, [5.0, 5.0, 5.0, 5.0, 0.0], strict=True)))  # steep last
    assert not findings.changing_at_an_end(list(zip(x, [0.0, 0.0, 5.0, 5.0, 5.0], strict=True)))  # second
    assert not findings.changing_at_an_end(
        list(zip(x, [0.0, 0.0, 0.0, 5.0, 5.0], strict=True))
    )  # last but one
    assert not findings.changing_at_an_end(list(zip(x, [2.0] * 5, strict=True)))  # flat: nothing changes
    # an end slope of exactly 1 % of the steepest counts as changing
    assert findings.changing_at_an_end([(0.0, 0.0), (1.0, 1.0), (2.0, 101.0), (3.0, 101.0)])
    assert not findings.changing_at_an_end([(0.0, 0.0), (1.0, 0.99), (2.0, 100.99), (3.0, 100.99)])


LABELS, SEEDS = ["1e-05", "0.0001", "0.001"], [1, 2, 3]


@PROPERTY
@given(
    values=st.lists(
        st.tuples(st.floats(0.0, 10.0), st.floats(0.0, 10.0), st.one_of(st.none(), st.integers(1, 100))),
        min_size=9,
        max_size=9,
    )
)
def test_error_factors_span_initial_over_final_error_of_the_runs_that_did_not_diverge(values) -> None:
    table = dict(zip(itertools.product(LABELS, SEEDS), values, strict=True))
    runs = {key: {"initial_error": i, "error": e, "diverged_at": d} for key, (i, e, d) in table.items()}
    labels, seeds = LABELS, SEEDS
    expected = []
    for lab in labels:
        kept = [
            runs[lab, s] for s in seeds if runs[lab, s]["diverged_at"] is None and runs[lab, s]["error"] > 0
        ]
        factors = [r["initial_error"] / r["error"] for r in kept]
        if factors:
            expected.append(findings.Factors(lab, min(factors), max(factors), len(factors)))
    assert findings.error_factors(runs, labels, seeds) == expected


@PROPERTY
@given(
    per_decade=st.integers(1, 5), first=st.integers(-20, 0), size=st.integers(1, 12), k=st.integers(-25, 15)
)
def test_grid_row_finds_a_step_on_the_grid_to_rounding_and_none_off_it(per_decade, first, size, k) -> None:
    rows = [
        {"step_size": float(f"{10.0 ** (j / per_decade):.12g}"), "j": j} for j in range(first, first + size)
    ]
    step = 10.0 ** (k / per_decade)
    found = findings.grid_row(rows, step)
    assert found == (rows[k - first] if first <= k < first + size else None)
    if found is not None:
        assert findings.grid_row(rows, step * (1 + 1e-12)) is found
        assert findings.grid_row(rows, step * (1 + 1e-6)) is None


def shape_rows(medians, gone) -> list[dict]:
    return [
        {"step_size": 10.0**k, "median": m, "fraction_diverged": 1.0 if g else 0.5}
        for k, (m, g) in enumerate(zip(medians, gone, strict=True))
    ]


@PROPERTY
@given(
    table=st.lists(
        st.tuples(st.one_of(st.none(), st.sampled_from([1.0, 2.0, 3.0, 4.0])), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_a_sweep_is_u_shaped_when_its_least_median_is_inside_and_both_ends_are_higher(table) -> None:
    medians = [m for m, _ in table]
    rows = shape_rows(medians, [g for _, g in table])
    present = [m for m in medians if m is not None]
    least = present.index(min(present)) if present else None
    u = bool(present) and 0 < least < len(present) - 1 and present[0] > present[least] < present[-1]
    gone = [r["step_size"] for r in rows if r["fraction_diverged"] == 1.0]
    assert findings.sweep_shape(rows) == findings.SweepShape(u, min(gone) if gone else None)


def test_sweep_shape_at_its_edges() -> None:
    assert findings.sweep_shape(shape_rows([None, None], [True, True])) == (False, 1.0)
    assert findings.sweep_shape(shape_rows([None], [False])) == (False, None)
    assert findings.sweep_shape(shape_rows([3.0, 1.0, 1.0], [False] * 3)) == (
        False,
        None,
    )  # flat after its least
    assert findings.sweep_shape(shape_rows([1.0, 1.0, 3.0], [False] * 3)) == (False, None)
    assert findings.sweep_shape(shape_rows([3.0, 1.0, 2.0, None], [False, False, True, True])) == (
        True,
        100.0,
    )


def explained(**changes) -> bool:
    """The facts of a sweep's row where every condition holds, with `changes` applied."""
    facts = {
        "fraction": 0.8,
        "truth_high": 2.0,
        "mle_high": 3.0,
        "p0_high": 2.5,
        "mle_error": 1.5,
        "end_high": 2.2,
    } | changes
    row = {"fraction_below_mle": facts["fraction"], "mean_eigenvalues": [0.5, facts["end_high"]]}
    sweep = {
        "truth_eigenvalues": [0.4, facts["truth_high"]],
        "mle_eigenvalues": [0.45, facts["mle_high"]],
        "p0_eigenvalue_range": [0.1, facts["p0_high"]],
        "mle_error": facts["mle_error"],
    }
    return findings.below_mle_is_explained(row, sweep)


def test_runs_below_the_mle_are_explained_only_when_every_condition_holds() -> None:
    assert explained()
    assert explained(fraction=0.5)  # half is most enough
    assert not explained(fraction=0.49)
    assert not explained(mle_high=2.0, p0_high=1.5, end_high=1.9)  # the MLE does not overestimate
    assert not explained(p0_high=3.0)  # a start at the MLE's eigenvalue is not below it
    assert not explained(mle_error=2.0)  # the excess, 1, is exactly half of the error: not most of it
    assert explained(mle_error=1.99)
    assert explained(mle_high=2.5, p0_high=2.4, mle_error=0.4, end_high=2.1)  # an excess of ½: ¼ > 0.2
    assert not explained(end_high=2.5)  # as near the MLE's as the truth's
    assert explained(end_high=2.49)


@PROPERTY
@given(
    fraction=st.floats(0.0, 1.0),
    highs=st.tuples(*[st.floats(0.1, 5.0)] * 4),
    mle_error=st.floats(0.0, 10.0),
)
def test_below_mle_is_explained_is_the_conjunction_of_its_five_conditions(fraction, highs, mle_error) -> None:
    truth, mle, p0, end = highs
    expected = (
        fraction >= 0.5
        and mle > truth
        and p0 < mle
        and (mle - truth) ** 2 > mle_error / 2
        and abs(end - truth) < abs(end - mle)
    )
    assert (
        explained(
            fraction=fraction, truth_high=truth, mle_high=mle, p0_high=p0, mle_error=mle_error, end_high=end
        )
        == expected
    )


@PROPERTY
@given(measured=st.floats(-1e3, 1e3), predicted=st.floats(-1e3, 1e3), se=st.floats(1e-6, 1e3))
def test_standard_errors_apart_is_the_distance_over_the_standard_error(measured, predicted, se) -> None:
    assert findings.standard_errors_apart(measured, predicted, se) == pytest.approx(
        abs(measured - predicted) / se
    )


def test_no_distance_in_standard_errors_without_a_positive_standard_error() -> None:
    for se in (0.0, -1.0, math.nan):
        assert findings.standard_errors_apart(2.0, 1.0, se) is None


@PROPERTY
@given(stiff=st.floats(0.01, 100.0), ratio=st.floats(0.001, 1.0))
def test_the_best_fixed_rate_is_the_step_theorys_rate_at_its_best_step(stiff, ratio) -> None:
    theory = ascent.StepTheory(stiff, stiff * ratio)
    assert findings.best_fixed_rate(theory.stiff, theory.soft) == pytest.approx(
        theory.rate(theory.best_fixed_step), rel=1e-9, abs=1e-12
    )
