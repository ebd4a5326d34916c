"""Maximum-likelihood estimation of a bivariate Gaussian's precision matrix P = Σ⁻¹.

A symmetric 2x2 matrix [[a, b], [b, c]] is carried as the tuple (a, b, c) of plain
floats: the SGD inner loop runs 10,000 times per fit, and float arithmetic on three
numbers is far faster there than numpy calls on tiny arrays.

With the mean μ known, the log-likelihood of N points as a function of P is

    log L(P) = N/2 log det P − 1/2 tr(P S) − N log 2π,   S = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ,

so it costs O(1) per evaluation once the scatter matrix S is known. Its gradient,
eq. (9) of the sheet, is ½ Σᵢ (P⁻¹ − xᵢxᵢᵀ) = N/2 P⁻¹ − S/2.

No numpy here: the random draws come from Python's own seeded Mersenne Twister, so a fit
stage does not pay numpy's import for work on three floats.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

Sym2 = tuple[float, float, float]
Point = tuple[float, float]

LOG_2PI = math.log(2.0 * math.pi)
CHUNK = 100_000  # iterations drawn, fitted and reported as progress at a time


def scatter(points: Iterable[Point], mean: Point) -> Sym2:
    """S = Σ (x − μ)(x − μ)ᵀ as (S11, S12, S22)."""
    s11 = s12 = s22 = 0.0
    m1, m2 = mean
    for x1, x2 in points:
        d1, d2 = x1 - m1, x2 - m2
        s11 += d1 * d1
        s12 += d1 * d2
        s22 += d2 * d2
    return s11, s12, s22


def det(p: Sym2) -> float:
    a, b, c = p
    return a * c - b * b


def inverse(p: Sym2) -> Sym2:
    a, b, c = p
    d = a * c - b * b
    return c / d, -b / d, a / d


def is_positive_definite(p: Sym2) -> bool:
    """Sylvester's criterion; False for NaN or infinite entries too."""
    a, _, c = p
    d = det(p)
    return 0.0 < a < math.inf and 0.0 < c < math.inf and 0.0 < d < math.inf


def log_likelihood(p: Sym2, s: Sym2, n: int) -> float:
    """log L(P) from the scatter matrix, in O(1)."""
    a, b, c = p
    s11, s12, s22 = s
    return 0.5 * n * math.log(a * c - b * b) - 0.5 * (a * s11 + 2.0 * b * s12 + c * s22) - n * LOG_2PI


def gradient(p: Sym2, s: Sym2, n: int) -> Sym2:
    """∇ log L(P) = N/2 P⁻¹ − S/2 (eq. 9), each entry of P taken as its own variable."""
    i11, i12, i22 = inverse(p)
    s11, s12, s22 = s
    return 0.5 * (n * i11 - s11), 0.5 * (n * i12 - s12), 0.5 * (n * i22 - s22)


def sample_gradient(p: Sym2, x: Point, mean: Point = (0.0, 0.0)) -> Sym2:
    """One point's term of eq. (9): ½(P⁻¹ − (x − μ)(x − μ)ᵀ)."""
    i11, i12, i22 = inverse(p)
    d1, d2 = x[0] - mean[0], x[1] - mean[1]
    return 0.5 * (i11 - d1 * d1), 0.5 * (i12 - d1 * d2), 0.5 * (i22 - d2 * d2)


def mle(s: Sym2, n: int) -> Sym2:
    """The closed-form maximiser of log L: (S/N)⁻¹, the inverse sample covariance about μ."""
    return inverse((s[0] / n, s[1] / n, s[2] / n))


def squared_error(p: Sym2, q: Sym2) -> float:
    """‖P − Q‖² in the Frobenius norm (eq. 10); the off-diagonal entry counts twice."""
    return (p[0] - q[0]) ** 2 + 2.0 * (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2


def random_spd(rng: random.Random, eigenvalues: tuple[float, float]) -> Sym2:
    """A random symmetric positive-definite P0 = R diag(λ1, λ2) Rᵀ.

    The eigenvalues are drawn from [low, high] with low > 0, so P0 is well inside the
    cone: the gradient has a P⁻¹ term that explodes as an eigenvalue nears 0, and a
    step from near the boundary would leave the positive-definite matrices.
    """
    low, high = eigenvalues
    lam1, lam2 = rng.uniform(low, high), rng.uniform(low, high)
    theta = rng.uniform(0.0, math.pi)
    co, si = math.cos(theta), math.sin(theta)
    return (
        lam1 * co * co + lam2 * si * si,
        (lam1 - lam2) * co * si,
        lam1 * si * si + lam2 * co * co,
    )


class Fit(NamedTuple):
    p_hat: Sym2  # the last positive-definite iterate
    objective: list[float] | Envelope  # log L at P0, P1, ..., up to p_hat: a list, or the sink given
    diverged_at: int | None  # the first iteration whose P left the cone, or None


def sgd_fit(
    p0: Sym2,
    stream: Iterable[Point],
    s: Sym2,
    n: int,
    step: float,
    scale: float = 1.0,
    mean: Point = (0.0, 0.0),
    advance: Callable[[int], None] | None = None,
    objective: list[float] | Envelope | None = None,
) -> Fit:
    """Stochastic gradient ascent on log L: P ← P + step · scale · ½(P⁻¹ − x xᵀ), one point
    of `stream` per iteration, with the full-data log L recorded at every iterate.

    scale is 1 for one point's gradient, N for the unbiased estimate of eq. (9)'s sum.
    The run stops at the first iterate that is not positive definite, or whose log L is not
    finite (it then keeps the last iterate whose log L is). The values of log L go to
    `objective.extend`, CHUNK at a time (a new list if none is given), so a long run needs
    memory for one chunk only; stream may be a generator for the same reason. advance(n), if
    given, hears of every CHUNK iterations done (a progress bar).
    """
    a, b, c = p0
    d = a * c - b * b
    s11, s12, s22 = s
    half_n, const = 0.5 * n, n * LOG_2PI
    h = 0.5 * step * scale
    m1, m2 = mean
    sink = [] if objective is None else objective
    values = [half_n * math.log(d) - 0.5 * (a * s11 + 2.0 * b * s12 + c * s22) - const]
    log, inf = math.log, math.inf
    points, k = iter(stream), 0
    while chunk := list(itertools.islice(points, CHUNK)):
        append = values.append
        for x1, x2 in chunk:
            k += 1
            x1 -= m1
            x2 -= m2
            r = 1.0 / d
            na = a + h * (c * r - x1 * x1)
            nb = b + h * (-b * r - x1 * x2)
            nc = c + h * (a * r - x2 * x2)
            nd = na * nc - nb * nb
            if not (0.0 < na < inf and 0.0 < nd < inf):
                sink.extend(values)
                return Fit((a, b, c), sink, k)
            value = half_n * log(nd) - 0.5 * (na * s11 + 2.0 * nb * s12 + nc * s22) - const
            if value - value != 0.0:  # not finite: P so large that log L overflows
                sink.extend(values)
                return Fit((a, b, c), sink, k)
            a, b, c, d = na, nb, nc, nd
            append(value)
        sink.extend(values)
        values = []
        if advance is not None:
            advance(len(chunk))
    sink.extend(values)
    return Fit((a, b, c), sink, None)


def draw_stream(
    seed: int, n: int, iterations: int, eigenvalues: tuple[float, float]
) -> tuple[Sym2, Iterator[int]]:
    """P0 and the indices of the points the SGD visits (uniform, with replacement), both from
    one generator seeded with the run's init seed; the indices are drawn as they are used."""
    rng = random.Random(seed)
    p0 = random_spd(rng, eigenvalues)

    def indices() -> Iterator[int]:
        randrange = rng.randrange
        for first in range(0, iterations, CHUNK):
            yield from [randrange(n) for _ in range(min(CHUNK, iterations - first))]

    return p0, indices()


def draw_run(seed: int, n: int, iterations: int, eigenvalues: tuple[float, float]) -> tuple[Sym2, list[int]]:
    """draw_stream's P0 and all its indices at once, for short runs and tests."""
    p0, indices = draw_stream(seed, n, iterations, eigenvalues)
    return p0, list(indices)


class Envelope:
    """The objective of a long run in bounded memory: per bucket of `width` consecutive
    iterations, the smallest, the largest and the last value, which is what a figure with no
    more pixel columns than buckets draws of all of them. record() is its form in a fit's file,
    which bucket_starts and bucket_ends read."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.count = 0  # values seen
        self.low: list[float] = []
        self.high: list[float] = []
        self.last: list[float] = []

    def extend(self, values: Sequence[float]) -> None:
        i = 0
        while i < len(values):
            filled = self.count % self.width
            part = values[i : i + self.width - filled]
            lo, hi = min(part), max(part)
            if filled == 0:
                self.low.append(lo)
                self.high.append(hi)
                self.last.append(part[-1])
            else:
                self.low[-1] = min(self.low[-1], lo)
                self.high[-1] = max(self.high[-1], hi)
                self.last[-1] = part[-1]
            self.count += len(part)
            i += len(part)

    def record(self) -> dict:
        return {
            "every": self.width,
            "count": self.count,
            "low": self.low,
            "high": self.high,
            "last": self.last,
        }

    @staticmethod
    def bucket_starts(record: dict) -> list[int]:
        """The first iteration of each bucket of a record."""
        return [b * record["every"] for b in range(len(record["last"]))]

    @staticmethod
    def bucket_ends(record: dict) -> list[int]:
        """The last iteration of each bucket of a record (the last bucket may be short)."""
        return [min((b + 1) * record["every"], record["count"]) - 1 for b in range(len(record["last"]))]


def objective_sink(iterations: int, exact_up_to: int, buckets: int) -> list[float] | Envelope:
    """Where a fit keeps its objective: every value while there are at most exact_up_to of
    them (the sheet's 10,001 stay exact), otherwise an Envelope of at most `buckets` buckets."""
    values = iterations + 1
    return [] if values <= exact_up_to else Envelope(-(-values // buckets))
