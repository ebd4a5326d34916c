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


def row(step: float, median: float | None, diverged: float = 0.0) -> dict:
    return {"step_size": step, "median": median, "q10": None, "q90": median, "fraction_diverged": diverged}


def test_the_sweeps_headline_is_its_least_median_and_where_replicas_start_to_diverge() -> None:
    from nndl.presentation.summaries import sweep_metrics, sweep_rows

    rows = [row(1e-4, 0.5), row(1e-3, 0.01), row(1e-2, 0.2, 0.1), row(1e-1, None, 1.0)]
    assert sweep_metrics(rows) == {"best_step": 1e-3, "diverges_from": 1e-2}
    assert sweep_metrics([row(1e-4, 0.5)]) == {"best_step": 1e-4}
    assert sweep_metrics([row(1e-4, None, 1.0)]) == {"diverges_from": 1e-4}
    # the plot data: steps with a median, a quantile past the diverged share left empty
    assert sweep_rows(rows, 0.05) == [
        (1e-4, 0.5, "", 0.5, 0.05),
        (1e-3, 0.01, "", 0.01, 0.05),
        (1e-2, 0.2, "", 0.2, 0.05),
    ]


def test_the_search_plot_holds_converged_runs_their_prediction_and_the_bound_across_them() -> None:
    from nndl.presentation.summaries import BOUND, MEASURED, PREDICTED, ascent_search_rows

    def run(step: float, converged: bool, iterations: int, predicted: int | None) -> dict:
        return {
            "start_index": 1,
            "start": [0.2, 0.5],
            "step_size": step,
            "converged": converged,
            "iterations": iterations,
            "predicted_iterations": predicted,
        }

    table = [run(0.1, True, 50, 48), run(0.4, True, 0, 0), run(0.7, False, 200, None)]
    rows = ascent_search_rows(table, {"stability_bound": 0.6})
    name = "start 1 (0.2, 0.5)"
    assert rows == [
        (0.1, 50, name, MEASURED),
        (0.1, 48, name, PREDICTED),
        (0.6, 48, BOUND, BOUND),
        (0.6, 50, BOUND, BOUND),
    ]
    assert ascent_search_rows([run(0.7, False, 200, None)], {"stability_bound": 0.6}) == []


def test_the_rows_of_metrics_are_what_a_user_compares() -> None:
    from nndl.presentation.summaries import ascent_start_metrics, sgd_step_metrics, stationary_metrics

    fits = [{"init_seed": 3, "error": 0.5}, {"init_seed": 1, "error": 0.25}]
    assert sgd_step_metrics(fits) == {"seed3": 0.5, "seed1": 0.25}
    run = {"step_size": 0.4, "iterations": 11, "converged": True, "path": [[0, 0]]}
    assert ascent_start_metrics(run) == {"step": 0.4, "iterations": 11, "converged": 1}
    assert stationary_metrics({"spread_measured": 0.002}) == {"spread": 0.002}
    assert stationary_metrics({"chains": 0}) == {}
