"""The SGD fit the way a first solution would write it: numpy matrices, np.linalg.inv at every
step, and the objective as a vectorised numpy sum over all N points at every iteration.
The benchmark's baseline, and an independent reference for the tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def naive_sgd(
    p0: tuple[float, float, float],
    stream: Sequence[tuple[float, float]],
    samples: Sequence[tuple[float, float]],
    step: float,
    scale: float = 1.0,
) -> tuple[np.ndarray, list[float]]:
    """(final P, log-likelihood at every iterate) for zero-mean samples."""
    a, b, c = p0
    p = np.array([[a, b], [b, c]])
    x = np.asarray(samples)
    n = len(x)

    def objective(p: np.ndarray) -> float:
        quad = np.einsum("ni,ij,nj->", x, p, x)
        return float(0.5 * n * np.log(np.linalg.det(p)) - 0.5 * quad - n * np.log(2 * np.pi))

    values = [objective(p)]
    for xi in stream:
        xi = np.asarray(xi)
        p = p + step * scale * 0.5 * (np.linalg.inv(p) - np.outer(xi, xi))
        values.append(objective(p))
    return p, values
