"""Gradient ascent on f(w) = exp(−w1² − 2(w2 − 1)²) + exp(−(w1 − 1)² − 2w2²) (sheet §2, assignment 1).

f, its hand-derived gradient and Hessian are written once, for any `exp`: math.exp for the
ascent's inner loop on plain floats, np.exp for arrays (the contour grid, the sheet's
`f(w)` on an array).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numpy as np

Point = tuple[float, float]
Box = tuple[float, float]


def bumps(w1: Any, w2: Any, exp: Callable = math.exp) -> tuple[Any, Any]:
    """The two terms e1 = exp(−w1² − 2(w2 − 1)²), e2 = exp(−(w1 − 1)² − 2w2²)."""
    return exp(-(w1 * w1) - 2.0 * (w2 - 1.0) ** 2), exp(-((w1 - 1.0) ** 2) - 2.0 * w2 * w2)


def value(w1: Any, w2: Any, exp: Callable = math.exp) -> Any:
    """f(w) = e1 + e2 (eq. 7)."""
    e1, e2 = bumps(w1, w2, exp)
    return e1 + e2


def _gradient_from(w1: Any, w2: Any, e1: Any, e2: Any) -> tuple[Any, Any]:
    return -2.0 * w1 * e1 - 2.0 * (w1 - 1.0) * e2, -4.0 * (w2 - 1.0) * e1 - 4.0 * w2 * e2


def gradient(w1: Any, w2: Any, exp: Callable = math.exp) -> tuple[Any, Any]:
    """∇f = (−2w1 e1 − 2(w1 − 1) e2, −4(w2 − 1) e1 − 4w2 e2), by the chain rule on each term."""
    return _gradient_from(w1, w2, *bumps(w1, w2, exp))


def value_and_gradient(w1: float, w2: float) -> tuple[float, tuple[float, float]]:
    """f and ∇f at one point from a single pair of exponentials: the ascent needs both."""
    e1, e2 = bumps(w1, w2)
    return e1 + e2, _gradient_from(w1, w2, e1, e2)


def hessian(w1: float, w2: float) -> np.ndarray:
    """∇²f, differentiating the gradient once more term by term."""
    e1, e2 = bumps(w1, w2)
    h11 = (4.0 * w1 * w1 - 2.0) * e1 + (4.0 * (w1 - 1.0) ** 2 - 2.0) * e2
    h12 = 8.0 * w1 * (w2 - 1.0) * e1 + 8.0 * (w1 - 1.0) * w2 * e2
    h22 = (16.0 * (w2 - 1.0) ** 2 - 4.0) * e1 + (16.0 * w2 * w2 - 4.0) * e2
    return np.array([[h11, h12], [h12, h22]])


def f(w: np.ndarray) -> np.ndarray:
    """The sheet's f: an array (..., 2) in, f at each point out."""
    w = np.asarray(w, dtype=np.float64)
    return value(w[..., 0], w[..., 1], np.exp)


def grad_f(w: np.ndarray) -> np.ndarray:
    """∇f on an array (..., 2), in numpy."""
    w = np.asarray(w, dtype=np.float64)
    return np.stack(gradient(w[..., 0], w[..., 1], np.exp), axis=-1)


class Run(NamedTuple):
    start: Point
    step_size: float
    path: list[Point]  # w_0, w_1, ..., w_iterations
    values: list[float]  # f at each point of path
    converged: bool
    reason: str  # "gradient norm below tolerance", "left the region", "iteration cap reached"

    @property
    def iterations(self) -> int:
        return len(self.path) - 1


CONVERGED = "gradient norm below tolerance"
LEFT = "left the region"
CAPPED = "iteration cap reached"


def ascend(start: Point, step: float, tolerance: float, max_iterations: int, region: Box) -> Run:
    """w ← w + step ∇f(w) until ‖∇f(w)‖ < tolerance (the stopping criterion: a maximum is a
    stationary point). A run that leaves the region (where f is flat and the criterion would
    be met far from any maximum) or reaches the cap is not converged."""
    low, high = region
    w1, w2 = float(start[0]), float(start[1])
    fw, (g1, g2) = value_and_gradient(w1, w2)
    path, values = [(w1, w2)], [fw]
    tol2 = tolerance * tolerance
    reason = CAPPED
    for _ in range(max_iterations + 1):
        if g1 * g1 + g2 * g2 < tol2:
            reason = CONVERGED
            break
        if len(path) > max_iterations:
            break
        w1, w2 = w1 + step * g1, w2 + step * g2
        fw, (g1, g2) = value_and_gradient(w1, w2)
        path.append((w1, w2))
        values.append(fw)
        if not (low <= w1 <= high and low <= w2 <= high):
            reason = LEFT
            break
    return Run((float(start[0]), float(start[1])), step, path, values, reason == CONVERGED, reason)


def preference(run: Run) -> tuple:
    """Smaller is better: a converged run before any other, then fewer iterations, then the
    smaller step; among runs that did not converge, the smallest step."""
    return (0, run.iterations, run.step_size) if run.converged else (1, run.step_size)


def best_run(runs: Iterable[Run]) -> Run:
    """The chosen step for one start: fewest iterations among the converged runs, the smaller
    step on a tie. If none converged, the smallest step's run, which says so."""
    return min(runs, key=preference)


class CriticalPoint(NamedTuple):
    w: Point
    value: float
    eigenvalues: tuple[float, float]  # of the Hessian, ascending
    kind: str  # "maximum", "minimum" or "saddle point"


def critical_points(region: Box, grid: int = 15, tolerance: float = 1e-12) -> list[CriticalPoint]:
    """Every critical point of f in the region, by Newton's method on ∇f = 0 from a grid of
    starts; where f is negligible (its far tails) the gradient vanishes without a critical
    point, so points with f < 1e-6 are left out."""
    low, high = region
    found: list[np.ndarray] = []
    for a in np.linspace(low, high, grid):
        for b in np.linspace(low, high, grid):
            w = np.array([a, b])
            for _ in range(100):
                g = np.array(gradient(*w))
                h = hessian(*w)
                if abs(np.linalg.det(h)) < 1e-300:
                    break
                w = w - np.linalg.solve(h, g)
                if not np.all(np.isfinite(w)) or np.abs(w).max() > 1e3:
                    break
                if math.hypot(*gradient(*w)) < tolerance:
                    break
            if (
                np.all(np.isfinite(w))
                and low <= w[0] <= high
                and low <= w[1] <= high
                and math.hypot(*gradient(*w)) < tolerance
                and value(*w) > 1e-6
                and not any(np.abs(w - q).max() < 1e-6 for q in found)
            ):
                found.append(w)
    points = []
    for w in sorted(found, key=lambda q: (round(q[0], 6), round(q[1], 6))):
        lo, hi = np.linalg.eigvalsh(hessian(*w))
        kind = "maximum" if hi < 0 else "minimum" if lo > 0 else "saddle point"
        points.append(
            CriticalPoint((float(w[0]), float(w[1])), float(value(*w)), (float(lo), float(hi)), kind)
        )
    return points


# --- Step sizes from the Hessian at a maximum ---------------------------------------------
#
# Near a maximum w*, ∇f(w) ≈ H (w − w*) with H negative definite, so a step of the gradient
# method maps the error e to (I + ηH) e: along the eigenvector of H with eigenvalue λ it is
# multiplied by 1 − η|λ|. It shrinks in every direction while |1 − η|λ|| < 1 for every λ,
# that is for η < 2/|λ_max|; above 1/|λ_max| the factor of the stiff direction is negative
# and the error there flips sign each step while it still shrinks.


class StepTheory(NamedTuple):
    stiff: float  # |λ_max|, the largest curvature
    soft: float  # |λ_min|

    @property
    def stability_bound(self) -> float:
        """2/|λ_max|: the largest step for which the iteration contracts near the maximum."""
        return 2.0 / self.stiff

    @property
    def overshoot_step(self) -> float:
        """1/|λ_max|: above it the stiff direction overshoots, flipping sign each step."""
        return 1.0 / self.stiff

    @property
    def best_fixed_step(self) -> float:
        """2/(|λ_max| + |λ_min|): the step whose slowest direction shrinks fastest."""
        return 2.0 / (self.stiff + self.soft)

    def rate(self, step: float) -> float:
        """ρ(η) = max_i |1 − η|λ_i||: the factor by which the error shrinks per step."""
        return max(abs(1.0 - step * self.stiff), abs(1.0 - step * self.soft))

    def predicted_iterations(self, step: float, gradient_norm: float, tolerance: float) -> int | None:
        """Steps until a gradient of this norm falls below the tolerance if it shrinks by
        ρ(η) per step from the first; None where ρ(η) ≥ 1 (no convergence predicted)."""
        rho = self.rate(step)
        if rho >= 1.0:
            return None
        if gradient_norm < tolerance:
            return 0
        if rho == 0.0:
            return 1
        return math.ceil(math.log(tolerance / gradient_norm) / math.log(rho))


def step_theory(eigenvalues: tuple[float, float]) -> StepTheory:
    """The theory at a maximum from its Hessian's eigenvalues (both negative)."""
    curvatures = sorted(abs(e) for e in eigenvalues)
    return StepTheory(stiff=curvatures[1], soft=curvatures[0])


# --- what the runs and the critical points say (the ascent stage's analyses)


def nearest(points: list[CriticalPoint], w: Point) -> CriticalPoint | None:
    """The critical point a run ended at, if it ended within 1e-2 of one."""
    near = [p for p in points if math.dist(p.w, w) < 1e-2]
    return min(near, key=lambda p: math.dist(p.w, w)) if near else None


def symmetry_gap(region: Box, grid: int = 101) -> float:
    """max |f(w) − f((1, 1) − w)| over a grid of the region: 0 up to rounding if f is symmetric
    under the point reflection through (½, ½)."""
    t = np.linspace(region[0], region[1], grid)
    w1, w2 = np.meshgrid(t, t)
    return float(np.max(np.abs(value(w1, w2, np.exp) - value(1 - w1, 1 - w2, np.exp))))


FAR = 0.5  # how far from every critical point a point must be to count as "far from any"


def flat_share(region: Box, tolerance: float, points: list[CriticalPoint], grid: int = 101) -> float:
    """The share of a grid over the region where ‖∇f‖ < tolerance more than FAR away from every
    critical point: where the stopping test passes with no maximum near."""
    t = [region[0] + (region[1] - region[0]) * k / (grid - 1) for k in range(grid)]
    flat = sum(
        math.hypot(*gradient(w1, w2)) < tolerance and all(math.dist(p.w, (w1, w2)) > FAR for p in points)
        for w1 in t
        for w2 in t
    )
    return flat / (grid * grid)


def maxima(points: list[CriticalPoint]) -> list[CriticalPoint]:
    return [p for p in points if p.kind == "maximum"]


def maxima_alike(points: list[CriticalPoint]) -> bool:
    """Whether every maximum has the same Hessian eigenvalues (to 1e-9), so that one step
    theory holds at all of them."""
    tops = maxima(points)
    return all(
        math.isclose(x, y, rel_tol=1e-9)
        for p in tops
        for x, y in zip(p.eigenvalues, tops[0].eigenvalues, strict=True)
    )


def theory_at_maxima(points: list[CriticalPoint]) -> StepTheory | None:
    """The step theory at the highest maximum (f's two maxima are mirror images)."""
    tops = maxima(points)
    return step_theory(max(tops, key=lambda p: p.value).eigenvalues) if tops else None


def bracket(table: list[dict]) -> tuple[float | None, float | None]:
    """The largest step that converged from every start, and the next larger step tried."""
    steps = sorted({r["step_size"] for r in table})
    every = [s for s in steps if all(r["converged"] for r in table if r["step_size"] == s)]
    if not every:
        return None, None
    above = [s for s in steps if s > every[-1]]
    return every[-1], (above[0] if above else None)


# --- the step-size search (sheet §2, 1c) -------------------------------------------------


class Search(NamedTuple):
    table: list[dict]  # one row per (start, step size), starts counted from 1
    chosen: list[Run]  # per start, the preferred run


def search(
    starts: Iterable[Point],
    steps: Iterable[float],
    tolerance: float,
    max_iterations: int,
    region: Box,
    theory: StepTheory | None,
    advance: Callable[[int], None] = lambda n: None,
) -> Search:
    """Every step size from every start; per start the preferred run (`preference`), and a
    table of every run with the iterations the local rate predicts. One run is kept in memory
    at a time besides the best so far: a run keeps its whole path."""
    table, chosen = [], []
    for i, start in enumerate(starts, start=1):
        best, rows = None, []
        for step in steps:
            run = ascend(start, step, tolerance, max_iterations, region)
            advance(max_iterations)
            predicted = theory and theory.predicted_iterations(step, math.hypot(*gradient(*start)), tolerance)
            rows.append(
                {
                    "start_index": i,
                    "start": list(start),
                    "step_size": run.step_size,
                    "converged": run.converged,
                    "reason": run.reason,
                    "iterations": run.iterations,
                    "end": list(run.path[-1]),
                    "f_end": run.values[-1],
                    "predicted_iterations": predicted,
                }
            )
            if best is None or preference(run) < preference(best):
                best = run
        chosen.append(best)
        table += [row | {"chosen": row["step_size"] == best.step_size} for row in rows]
    return Search(table, chosen)
