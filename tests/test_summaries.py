"""The SGD summary's plot data: the sheet's curves as before, any run's at most 2,000 points."""

from __future__ import annotations

from nndl.numerics import precision
from nndl.presentation.summaries import MAX_PLOT_POINTS, plot_points


def test_the_sheets_curve_is_thinned_by_plot_every_alone() -> None:
    run = {"objective": [float(i) for i in range(10_001)]}
    points = plot_points(run, 10)
    assert [i for i, _ in points] == list(range(0, 10_001, 10))
    assert all(v == float(i) for i, v in points)


def test_a_long_exact_curve_is_thinned_to_the_bound_with_its_last_point() -> None:
    run = {"objective": [float(i) for i in range(20_001)]}
    points = plot_points(run, 1)
    assert len(points) <= MAX_PLOT_POINTS + 1 and points[-1] == (20_000, 20_000.0)


def test_an_envelope_gives_each_buckets_last_value_at_its_last_iteration() -> None:
    env = precision.Envelope(5_000)
    env.extend([float(i) for i in range(10_000_001)])
    points = plot_points({"objective_envelope": env.record()}, 10)
    assert len(points) == 2_001 <= MAX_PLOT_POINTS + 1
    assert points[0] == (4_999, 4_999.0) and points[-1] == (10_000_000, 10_000_000.0)
