"""The facts the report states, on curves and sweeps whose answer is known in closed form."""

from __future__ import annotations

import math

from nndl.numerics import findings


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
