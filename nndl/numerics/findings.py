"""What the results show, as numbers and yes/no facts that the report's sentences state: each
is computed here from the data, and the words around it are in templates/report.md."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import NamedTuple

Curve = Sequence[tuple[float, float]]


# Fewer points than this make each end segment span over 2 % of the plotted range: too coarse
# to tell a curve that levels off from one that does not.
MIN_CURVE_POINTS = 50


def changing_at_an_end(points: Curve) -> bool:
    """Whether the slope at either end of the curve is at least 1 % of its steepest."""
    slopes = [abs((y2 - y1) / (x2 - x1)) for (x1, y1), (x2, y2) in itertools.pairwise(points)]
    steepest = max(slopes)
    return steepest > 0 and max(slopes[0], slopes[-1]) >= 0.01 * steepest


class Factors(NamedTuple):
    """How far one step size brought the error down: initial over final error, per run."""

    step_label: str
    low: float
    high: float
    runs: int


def error_factors(runs: dict, step_labels: Sequence[str], seeds: Sequence[int]) -> list[Factors]:
    """Per step size, the range of initial/final error over the runs (keyed (step label, seed))
    that did not diverge."""
    out = []
    for lab in step_labels:
        fits = [runs[lab, s] for s in seeds]
        factors = [
            r["initial_error"] / r["error"] for r in fits if r["diverged_at"] is None and r["error"] > 0
        ]
        if factors:
            out.append(Factors(lab, min(factors), max(factors), len(factors)))
    return out


def grid_row(rows: list[dict], step: float) -> dict | None:
    """The sweep's row at step (to rounding: the grid is 10^(k/steps per decade)), or None
    when step is not on the grid."""
    near = min(rows, key=lambda r: abs(math.log(r["step_size"] / step)))
    return near if math.isclose(near["step_size"], step, rel_tol=1e-9) else None


class SweepShape(NamedTuple):
    """Where the sweep's median error is smallest and whether it rises on both sides."""

    u_shaped: bool
    all_diverge_from: float | None  # the smallest step at which every replica diverged


def sweep_shape(rows: list[dict]) -> SweepShape:
    medians = [r["median"] for r in rows if r["median"] is not None]
    gone = [r["step_size"] for r in rows if r["fraction_diverged"] == 1.0]
    if not medians:
        return SweepShape(False, min(gone) if gone else None)
    i = medians.index(min(medians))
    u_shaped = 0 < i < len(medians) - 1 and medians[0] > medians[i] < medians[-1]
    return SweepShape(u_shaped, min(gone) if gone else None)


def below_mle_is_explained(row: dict, sweep: dict) -> bool:
    """Whether the runs ending below the MLE's error are explained by the slow large eigenvalue:
    most end below it, the MLE overestimates the large eigenvalue and every P0 starts below it,
    that excess is most of the MLE's error, and the runs end nearer the truth's than the MLE's."""
    t_high, m_high = sweep["truth_eigenvalues"][1], sweep["mle_eigenvalues"][1]
    end_high = row["mean_eigenvalues"][1]
    return (
        row["fraction_below_mle"] >= 0.5
        and m_high > t_high
        and sweep["p0_eigenvalue_range"][1] < m_high
        and (m_high - t_high) ** 2 > 0.5 * sweep["mle_error"]
        and abs(end_high - t_high) < abs(end_high - m_high)
    )


def standard_errors_apart(measured: float, predicted: float, standard_error: float) -> float | None:
    """|measured − predicted| in units of the measurement's standard error; None where the
    standard error is 0 (chains whose means do not differ say nothing of the spread's error)."""
    if not standard_error > 0.0:
        return None
    return abs((measured - predicted) / standard_error)


# The share of the stationary variance a burn-in may leave missing for the chains to count as
# stationary: below the few per cent of the spread's usual standard error.
MAX_BURN_IN_DEFICIT = 0.01


def best_fixed_rate(stiff: float, soft: float) -> float:
    """ρ at the best fixed step 2/(|λ_max| + |λ_min|): (|λ_max| − |λ_min|)/(|λ_max| + |λ_min|)."""
    return (stiff - soft) / (stiff + soft)
