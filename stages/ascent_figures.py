"""Stage `ascent_figures`: the contour plot with each trajectory, f against the iteration, the
step-size search (sheet §2, assignment 1a, 1c–1e), their DVC plot data, and each start's chosen
step and iterations as metrics. Reads the ascent stage's results; computes nothing new."""

from nndl.pipeline.io import Outputs, read_json
from nndl.pipeline.params import Params
from nndl.pipeline.paths import (
    ASCENT_CONTOURS_FIGURE,
    ASCENT_CRITICAL,
    ASCENT_FIGURES,
    ASCENT_METRICS,
    ASCENT_SEARCH,
    ASCENT_SEARCH_FIGURE,
    ASCENT_SEARCH_PLOT,
    ASCENT_THEORY,
    ASCENT_VALUES_FIGURE,
    ASCENT_VALUES_PLOT,
    ascent_metrics_path,
    ascent_run_path,
    trajectory_figure,
)
from nndl.pipeline.startup import run_stage
from nndl.presentation import figures, summaries
from nndl.presentation.plotting import png


def main(params: Params, out: Outputs) -> None:
    a, figs = params.ascent, params.ascent_figures
    runs = [(i, read_json(ascent_run_path(i))) for i in range(1, len(a.starts) + 1)]
    table, theory, points = read_json(ASCENT_SEARCH), read_json(ASCENT_THEORY), read_json(ASCENT_CRITICAL)
    out.folder(ASCENT_METRICS)
    for i, run in runs:
        out.json(ascent_metrics_path(i), summaries.ascent_start_metrics(run), indent=2)
    out.csv(
        ASCENT_SEARCH_PLOT,
        ("step_size", "iterations", "run", "kind"),
        summaries.ascent_search_rows(table, theory),
    )
    out.csv(ASCENT_VALUES_PLOT, ("iteration", "f", "run"), summaries.ascent_values_rows(runs))

    out.folder(ASCENT_FIGURES)
    mesh = figures.contour_grid(a.region, figs.grid)  # the same background for every start
    arrow = (figs.arrow_width, figs.head_width, figs.head_length)
    png(out, ASCENT_CONTOURS_FIGURE, figures.contours(mesh, figs.levels, points), figs.dpi)
    for i, run in runs:
        fig = figures.trajectory(i, run, mesh, figs.levels, arrow, points)
        png(out, trajectory_figure(i), fig, figs.dpi)
    png(out, ASCENT_VALUES_FIGURE, figures.ascent_values(runs), figs.dpi)
    png(out, ASCENT_SEARCH_FIGURE, figures.ascent_search(table, theory), figs.dpi)


if __name__ == "__main__":
    run_stage(main)
