"""SGD on the precision matrix for many replicas and step sizes at once, and the theory of
what a fixed step converges to (sheet §2, assignment 2, beyond its nine runs).

The replicas run the same update as `precision.sgd_fit`, P ← P + η·scale·½(P⁻¹ − x xᵀ), on
numpy arrays of shape (step sizes, replicas): one numpy operation per term and iteration
serves every run. Replica r starts from the same random P0 and draws the same points at
every step size (common random numbers), so the step sizes differ by the step alone.

With a fixed step SGD does not converge to the maximiser P̂ (the MLE): near it the error
e = P − P̂, in coordinates (P11, P12, P22), follows e ← (I + η·scale·J) e + η·scale·ξ, with J
the Jacobian of the mean gradient ½(P⁻¹ − S/N) at P̂ and ξ = ½(S/N − x xᵀ) the noise of one
point. The noise does not depend on P, so this is exact up to the curvature of P⁻¹; its
stationary covariance C solves the discrete Lyapunov equation C = A C Aᵀ + η²·scale²·Q.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from nndl.numerics import precision


def log_grid(low: float, high: float, per_decade: int) -> np.ndarray:
    """Step sizes 10^(k/per_decade) from low to high, rounded to 12 digits so that the decades
    are exactly 1e-05, 0.0001, ... and every step prints short."""
    first, last = np.log10(low), np.log10(high)
    ks = np.arange(np.ceil(first * per_decade - 1e-9), np.floor(last * per_decade + 1e-9) + 1)
    return np.array([float(f"{10.0 ** (k / per_decade):.12g}") for k in ks])


def random_spd(rng: np.random.Generator, replicas: int, eigenvalues: tuple[float, float]) -> tuple:
    """(a, b, c) arrays of R random P0 = R diag(λ1, λ2) Rᵀ, as `precision.random_spd` draws one."""
    low, high = eigenvalues
    lam1, lam2 = rng.uniform(low, high, replicas), rng.uniform(low, high, replicas)
    theta = rng.uniform(0.0, np.pi, replicas)
    co, si = np.cos(theta), np.sin(theta)
    return lam1 * co * co + lam2 * si * si, (lam1 - lam2) * co * si, lam1 * si * si + lam2 * co * co


class Replicas(NamedTuple):
    p: tuple[np.ndarray, np.ndarray, np.ndarray]  # (a, b, c), each (steps, replicas): the last PD iterate
    diverged_at: np.ndarray  # (steps, replicas): the first iteration that left the cone, 0 if none
    recorded: np.ndarray | None  # (records, 3, steps, replicas) of (a, b, c), if asked for


def run(
    p0: tuple[np.ndarray, np.ndarray, np.ndarray],
    steps: np.ndarray,
    points: np.ndarray,
    rng: np.random.Generator | None,
    iterations: int,
    scale: float = 1.0,
    record_every: int = 0,
    record_from: int = 0,
    draw: Callable[[int], np.ndarray] | None = None,
) -> Replicas:
    """SGD for every (step, replica): p0 arrays of shape (R,), steps of shape (S,), points the
    centred sample (N, 2). A run that leaves the positive-definite matrices (or whose entries
    stop being finite) keeps its last iterate and records where it left. With record_every,
    the iterates at every record_every-th iteration from record_from on are kept too. Each
    iteration replica r takes point draw(k)[r], by default rng.integers(0, N, R) (drawn in chunks)."""
    shape = (len(steps), len(p0[0]))
    a, b, c = (np.broadcast_to(np.asarray(v, dtype=np.float64), shape).copy() for v in p0)
    h = (0.5 * scale * np.asarray(steps, dtype=np.float64))[:, None]
    x1s, x2s = points[:, 0], points[:, 1]
    # x xᵀ of every point, once: indexing these gives the same products as multiplying draws
    x11, x12, x22 = x1s * x1s, x1s * x2s, x2s * x2s
    alive = np.ones(shape, dtype=bool)
    all_alive = True
    diverged_at = np.zeros(shape, dtype=np.int64)
    count = (
        (iterations - record_from) // record_every + 1 if record_every and iterations >= record_from else 0
    )
    records = np.empty((count, 3, *shape)) if count else None  # filled in place: no copy at the end
    r_next = 0
    if count and record_from == 0:  # iteration 0 is P0
        records[0] = (a, b, c)
        r_next = 1
    if draw is None:
        draw = _chunked_draws(rng, len(points), shape[1], iterations)
    for k in range(1, iterations + 1):
        idx = draw(k)
        r = 1.0 / (a * c - b * b)
        na = a + h * (c * r - x11[idx])
        nb = b + h * (-b * r - x12[idx])
        nc = c + h * (a * r - x22[idx])
        nd = na * nc - nb * nb
        # positive definite and finite: an infinite or NaN entry makes nd NaN, -inf or +inf
        ok = (na > 0.0) & (nd > 0.0) & (nd < np.inf)
        if all_alive and ok.all():  # the usual case, without the masked updates
            a, b, c = na, nb, nc
        else:
            diverged_at[alive & ~ok] = k
            alive &= ok
            all_alive = False
            a, b, c = np.where(alive, na, a), np.where(alive, nb, b), np.where(alive, nc, c)
        if count and k >= record_from and (k - record_from) % record_every == 0:
            records[r_next] = (a, b, c)
            r_next += 1
    return Replicas((a, b, c), diverged_at, records)


DRAW_CHUNK = 1024  # iterations of draws made at once: numpy's per-call cost, not its memory, bounded


def _chunked_draws(
    rng: np.random.Generator, n: int, replicas: int, iterations: int
) -> Callable[[int], np.ndarray]:
    """draw(k) for k = 1, 2, ...: rng.integers(0, n, replicas) as if called once per iteration,
    drawn DRAW_CHUNK iterations at a time (numpy fills a (k, R) array with the same stream)."""
    block = np.empty((0, replicas), dtype=np.int64)

    def draw(k: int) -> np.ndarray:
        nonlocal block
        i = (k - 1) % DRAW_CHUNK
        if i == 0:
            block = rng.integers(0, n, (min(DRAW_CHUNK, iterations - k + 1), replicas))
        return block[i]

    return draw


def squared_errors(truth: precision.Sym2, p: tuple[np.ndarray, ...]) -> np.ndarray:
    """‖T − P‖² (Frobenius, the off-diagonal counted twice) for arrays of P."""
    return (truth[0] - p[0]) ** 2 + 2.0 * (truth[1] - p[1]) ** 2 + (truth[2] - p[2]) ** 2


def mean_gradient_jacobian(p: precision.Sym2) -> np.ndarray:
    """J = ∂/∂(a, b, c) of ½P⁻¹ = ½(c, −b, a)/d, d = ac − b², by hand (rows: P⁻¹'s (11, 12, 22))."""
    a, b, c = p
    d = a * c - b * b
    return (
        0.5
        * np.array(
            [
                [-c * c, 2.0 * b * c, -b * b],
                [b * c, -d - 2.0 * b * b, a * b],
                [-b * b, 2.0 * a * b, -a * a],
            ]
        )
        / (d * d)
    )


def gradient_noise_covariance(points: np.ndarray) -> np.ndarray:
    """Q = Cov of ξ = ½(S/N − x xᵀ) in (11, 12, 22) over the sample's points (centred)."""
    outer = np.stack([points[:, 0] ** 2, points[:, 0] * points[:, 1], points[:, 1] ** 2], axis=1)
    xi = 0.5 * (outer.mean(axis=0) - outer)
    return xi.T @ xi / len(points)


def step_matrix(p_hat: precision.Sym2, step: float, scale: float = 1.0) -> np.ndarray:
    """A = I + η·scale·J: what one step of the linearised SGD does to the error P − P̂."""
    return np.eye(3) + step * scale * mean_gradient_jacobian(p_hat)


def log_contraction(p_hat: precision.Sym2, step: float, scale: float = 1.0) -> float:
    """log ρ(A), the log of the spectral radius of A = I + η·scale·J, negative where the
    linearised SGD contracts: from J's eigenvalues μ, log|1 + ημ| = ½ log1p(2η Re μ + η²|μ|²),
    which keeps its digits for a step so small that 1 + ημ rounds to 1."""
    eta = step * scale
    mu = np.linalg.eigvals(mean_gradient_jacobian(p_hat))
    return float(max(0.5 * np.log1p(2.0 * eta * mu.real + eta * eta * abs(mu) ** 2)))


def stationary_covariance(
    p_hat: precision.Sym2, points: np.ndarray, step: float, scale: float = 1.0
) -> np.ndarray | None:
    """C with C = A C Aᵀ + (η·scale)² Q, A = I + η·scale·J: the linearised SGD's stationary
    covariance of P − P̂ in (11, 12, 22); None where A does not contract (no stationary law) or
    where the system is too ill-conditioned for double precision to give C (MAX_CONDITION).

    Solved as C = η D with J D + D Jᵀ + η J D Jᵀ = −Q, the same equation divided by η (η =
    step·scale), as a 9×9 linear system: for a small step, A rounds towards I and the discrete
    form loses every digit, while this one tends to the continuous Lyapunov equation."""
    eta = step * scale
    if log_contraction(p_hat, step, scale) >= 0.0:
        return None
    j, eye = mean_gradient_jacobian(p_hat), np.eye(3)
    system = np.kron(eye, j) + np.kron(j, eye) + eta * np.kron(j, j)  # acts on vec(D), columns stacked
    if not np.linalg.cond(system) <= MAX_CONDITION:  # NaN or inf too: no digit of C would be right
        return None
    q = gradient_noise_covariance(points)
    d = np.linalg.solve(system, -q.reshape(-1, order="F")).reshape(3, 3, order="F")
    return eta * 0.5 * (d + d.T)


# The largest condition number of the Lyapunov system whose solution is kept: rounding then
# moves C by at most about 1e12 · 2.2e-16 ≈ 2e-4 of its size. A near-singular sample covariance
# (a few points of a very thin Gaussian) gives a Jacobian far past it, and an answer of noise.
MAX_CONDITION = 1e12


def predicted_spread(cov: np.ndarray) -> float:
    """E‖P − P̂‖² (Frobenius) from the covariance of (e11, e12, e22): the off-diagonal twice."""
    return float(cov[0, 0] + 2.0 * cov[1, 1] + cov[2, 2])


# --- the sweep over step sizes, summarised ---------------------------------------------

QUANTILES = (0.1, 0.5, 0.9)


def eigenvalues(p: tuple) -> tuple:
    """The eigenvalues (low, high) of [[a, b], [b, c]], elementwise for arrays."""
    a, b, c = p
    mid, radius = 0.5 * (a + c), np.hypot(0.5 * (a - c), b)
    return mid - radius, mid + radius


def summarise(steps: np.ndarray, errors: np.ndarray, diverged: np.ndarray) -> list[dict]:
    """Per step: the median and the 10 % and 90 % quantiles of the error over the replicas (a
    diverged replica counts as an infinite error, so a quantile past the diverged share is
    None), and the fraction diverged."""
    rows = []
    for step, row, div in zip(steps, errors, diverged, strict=True):
        q10, q50, q90 = np.quantile(np.where(div, np.inf, row), QUANTILES, method="lower")
        rows.append(
            {
                "step_size": float(step),
                "median": float(q50) if math.isfinite(q50) else None,
                "q10": float(q10) if math.isfinite(q10) else None,
                "q90": float(q90) if math.isfinite(q90) else None,
                "fraction_diverged": float(div.mean()),
            }
        )
    return rows


def study(
    points: np.ndarray,
    truth: precision.Sym2,
    steps: np.ndarray,
    p0: tuple[np.ndarray, np.ndarray, np.ndarray],
    rng: np.random.Generator,
    iterations: int,
    scale: float,
) -> dict:
    """The sweep: SGD from the replicas' p0 at every step on the centred points; per step the
    error's quantiles and, to say why runs end where they do, the share of replicas nearer the
    truth than the MLE, where their eigenvalues ended and the linearised SGD's share of the
    slowest direction still to go; with the MLE's, the truth's and the starts' eigenvalues."""
    s = precision.scatter(points.tolist(), (0.0, 0.0))
    mle = precision.mle(s, len(points))
    mle_error = precision.squared_error(truth, mle)
    runs = run(p0, steps, points, rng, iterations, scale)
    errors = squared_errors(truth, runs.p)
    diverged = runs.diverged_at > 0
    rows = summarise(steps, errors, diverged)
    rate = -max(np.linalg.eigvals(mean_gradient_jacobian(mle)).real)
    for i, row in enumerate(rows):
        ok = ~diverged[i]
        low, high = eigenvalues(tuple(v[i][ok] for v in runs.p))
        row |= {
            "fraction_below_mle": float(np.mean(errors[i][ok] < mle_error)) if ok.any() else None,
            "mean_eigenvalues": [float(low.mean()), float(high.mean())] if ok.any() else None,
            "slow_remaining": math.exp(-float(steps[i]) * scale * rate * iterations),
        }
    p0_low, p0_high = eigenvalues(p0)
    return {
        "rows": rows,
        "mle_error": mle_error,
        "mle_eigenvalues": list(eigenvalues(mle)),
        "truth_eigenvalues": list(eigenvalues(truth)),
        "p0_eigenvalue_range": [float(min(p0_low)), float(max(p0_high))],
        "slowest_rate": float(rate),
    }
