"""A hypothesis strategy of whole params.yaml documents inside the loader's bounds, at sizes
small enough that the pipeline runs an example in a fraction of a second: every value the
loader lets through at the edges (tiny and huge step sizes, covariances and regions at their
bounds, two network points, a chain with no burn-in) alongside ordinary ones."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from nndl.pipeline import params as bounds

SEEDS = st.integers(min_value=0, max_value=bounds.MAX_SEED)


def log_uniform(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats spread evenly over the decades from low to high, both ends included."""
    ends = st.sampled_from([low, high])
    inner = st.floats(min_value=math.log10(low), max_value=math.log10(high)).map(lambda e: 10.0**e)
    return st.one_of(ends, inner).filter(lambda x: low <= x <= high)


def distinct(elements: st.SearchStrategy, size: int) -> st.SearchStrategy[list]:
    return st.lists(elements, min_size=1, max_size=size, unique=True)


@st.composite
def interval(draw, low: float, high: float, log: bool = False) -> list[float]:
    values = log_uniform(low, high) if log else st.floats(min_value=low, max_value=high)
    a, b = draw(values), draw(values)
    if a == b:
        b = high if a < high else low
    return sorted([a, b])


@st.composite
def covariance(draw) -> list[list[float]]:
    """A symmetric positive-definite 2x2 matrix with eigenvalues inside the loader's range (a
    margin keeps the closed-form eigenvalues of the rounded entries inside it too)."""
    lam = [draw(log_uniform(bounds.MIN_SCALE * 1.01, bounds.MAX_SCALE * 0.99)) for _ in range(2)]
    theta = draw(st.floats(min_value=0.0, max_value=math.pi))
    co, si = math.cos(theta), math.sin(theta)
    b = (lam[0] - lam[1]) * co * si
    return [[lam[0] * co * co + lam[1] * si * si, b], [b, lam[0] * si * si + lam[1] * co * co]]


@st.composite
def sweep_range(draw) -> tuple[list[float], int]:
    """A step range and grid density whose grid holds 2 to 9 step sizes."""
    per_decade = draw(st.integers(min_value=1, max_value=4))
    first = draw(st.integers(min_value=-9 * per_decade, max_value=3 * per_decade - 1))
    last = draw(st.integers(min_value=first + 1, max_value=min(first + 8, 3 * per_decade)))
    return [10.0 ** (first / per_decade), 10.0 ** (last / per_decade)], per_decade


@st.composite
def x1_range(draw, points: int) -> list[float]:
    """A range whose neighbouring points are far enough apart for the loader, often just so."""
    low, high = draw(interval(-bounds.MAX_X1, bounds.MAX_X1))
    least = bounds.MIN_X_SPACING * max(1.0, abs(low), abs(high)) * (points - 1) * 1.001
    if high - low < least:  # widen it to the narrowest the loader takes
        high = low + least if low + least <= bounds.MAX_X1 else high
        low = high - least if high - low < least else low
    return [low, high]


@st.composite
def documents(draw) -> dict:
    """A params document, as YAML would give it, that the loader accepts."""
    sweep_steps, per_decade = draw(sweep_range())
    region = draw(interval(-bounds.MAX_REGION, bounds.MAX_REGION))
    starts = draw(
        st.lists(
            st.tuples(*[st.floats(min_value=region[0], max_value=region[1])] * 2).map(list),
            min_size=1,
            max_size=3,
        )
    )
    iterations = draw(st.integers(min_value=1, max_value=120))
    points = draw(st.integers(min_value=2, max_value=80))
    return {
        "gaussian": {
            "mean": [
                draw(st.floats(min_value=-bounds.MAX_MEAN, max_value=bounds.MAX_MEAN)) for _ in range(2)
            ],
            "cov": draw(covariance()),
            "seed": draw(SEEDS),
            "n": draw(st.integers(min_value=2, max_value=60)),
        },
        "sgd": {
            "step_sizes": draw(distinct(log_uniform(1e-12, 1e3), 3)),
            "init_seeds": draw(distinct(SEEDS, 3)),
            "init_eigenvalues": draw(interval(bounds.MIN_SCALE, bounds.MAX_SCALE, log=True)),
            "iterations": draw(st.integers(min_value=1, max_value=300)),
            "gradient": draw(st.sampled_from(bounds.GRADIENTS)),
        },
        "sgd_figures": {"plot_every": draw(st.integers(min_value=1, max_value=50)), "dpi": 20},
        "sgd_sweep": {
            "step_range": sweep_steps,
            "steps_per_decade": per_decade,
            "replicas": draw(st.integers(min_value=1, max_value=5)),
            "iterations": iterations,
            "sheet_steps": draw(distinct(log_uniform(1e-9, 1e3), 3)),
            "seed": draw(SEEDS),
        },
        "sgd_stationary": {
            "step_size": draw(log_uniform(1e-320, 1e3)),
            "replicas": draw(st.integers(min_value=2, max_value=5)),
            "burn_in": draw(st.integers(min_value=0, max_value=150)),
            "iterations": (chain := draw(st.integers(min_value=1, max_value=150))),
            "record_every": draw(st.integers(min_value=1, max_value=chain)),
            "seed": draw(SEEDS),
        },
        "sgd_sweep_figures": {"dpi": 20},
        "ascent": {
            "starts": starts,
            "step_sizes": draw(distinct(log_uniform(1e-6, 1e3), 4)),
            "region": region,
            "tolerance": draw(log_uniform(1e-12, 1.0)),
            "max_iterations": draw(st.integers(min_value=1, max_value=200)),
        },
        "ascent_figures": {
            "grid": draw(st.integers(min_value=2, max_value=30)),
            "levels": draw(st.integers(min_value=1, max_value=10)),
            "dpi": 20,
            "arrow_width": draw(st.floats(min_value=1e-6, max_value=1.0)),
            "head_width": draw(st.floats(min_value=0.0, max_value=1.0)),
            "head_length": draw(st.floats(min_value=0.0, max_value=1.0)),
        },
        "network": {
            "weight_seeds": draw(distinct(SEEDS, 3)),
            "activations": draw(distinct(st.sampled_from(bounds.ACTIVATIONS), 3)),
            "weight_std": draw(log_uniform(1e-6, 1e3)),
            "output_activation": draw(st.booleans()),
            "bias": draw(st.booleans()),
            "x1_range": draw(x1_range(points)),
            "points": points,
            "fixed_inputs_seed": draw(SEEDS),
        },
        "network_figures": {"dpi": 20},
    }


# --- the numerics' inputs ------------------------------------------------------------------


def coordinates(bound: float = 5.0) -> st.SearchStrategy[float]:
    return st.floats(min_value=-bound, max_value=bound)


def vectors(bound: float = 5.0) -> st.SearchStrategy[tuple[float, float]]:
    return st.tuples(coordinates(bound), coordinates(bound))


def samples(max_size: int = 20, bound: float = 5.0) -> st.SearchStrategy[list[tuple[float, float]]]:
    return st.lists(vectors(bound), min_size=1, max_size=max_size)


@st.composite
def spd_matrices(draw, low: float = 0.2, high: float = 5.0) -> tuple[float, float, float]:
    """(a, b, c) of [[a, b], [b, c]] = R diag(λ1, λ2) Rᵀ with λ1, λ2 in [low, high], any rotation."""
    lam1, lam2 = (draw(st.floats(min_value=low, max_value=high)) for _ in range(2))
    theta = draw(st.floats(min_value=0.0, max_value=math.pi))
    co, si = math.cos(theta), math.sin(theta)
    return lam1 * co * co + lam2 * si * si, (lam1 - lam2) * co * si, lam1 * si * si + lam2 * co * co
