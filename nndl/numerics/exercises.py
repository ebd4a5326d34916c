"""The mathematical exercises' results as code, so that tests can check each claim of the
written solutions (templates/report.md) against an independent computation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# --- §1 Basic definitions ---------------------------------------------------------------


def leaky_relu(x: np.ndarray, alpha: float) -> np.ndarray:
    """ψ(x) = x for x ≥ 0, αx for x < 0 (eq. 1)."""
    return np.where(x >= 0, x, alpha * x)


def leaky_relu_max_form(x: np.ndarray, alpha: float) -> np.ndarray:
    """max(αx, x) (eq. 2): equal to ψ exactly when α ≤ 1."""
    return np.maximum(alpha * x, x)


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def logistic(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^(−x))."""
    return 1.0 / (1.0 + np.exp(-x))


def tanh_from_logistic(x: np.ndarray) -> np.ndarray:
    """2σ(2x) − 1 (eq. 3)."""
    return 2.0 * logistic(2.0 * x) - 1.0


def network_matrix(weights: list[np.ndarray]) -> np.ndarray:
    """M = W_K ⋯ W_1 for weights listed first layer first (eq. 4)."""
    m = np.eye(weights[0].shape[1])
    for w in weights:
        m = w @ m
    return m


def is_injective(m: np.ndarray) -> bool:
    """g(x) = Mx is injective iff M has full column rank (its kernel is {0})."""
    return bool(np.linalg.matrix_rank(m) == m.shape[1])


def is_bijective(weights: list[np.ndarray]) -> bool:
    """For square layers: g is bijective iff every W_k is invertible (det M = Π det W_k ≠ 0)."""
    return all(np.linalg.matrix_rank(w) == w.shape[0] == w.shape[1] for w in weights)


# --- §2 Optimization --------------------------------------------------------------------


def grad_sq_norm(w: np.ndarray) -> np.ndarray:
    """∇‖w‖² = 2w."""
    return 2.0 * w


def hessian_sq_norm(n: int) -> np.ndarray:
    """∇²‖w‖² = 2I."""
    return 2.0 * np.eye(n)


def newton_step(w: np.ndarray, grad: np.ndarray, hessian: np.ndarray) -> np.ndarray:
    """w − H⁻¹∇f(w); raises numpy.linalg.LinAlgError where H is singular."""
    return w - np.linalg.solve(hessian, grad)


def grad_linear(w: np.ndarray, z: np.ndarray) -> np.ndarray:
    """∇(wᵀz) = z, whatever w."""
    return np.array(z, dtype=float, copy=True)


def hessian_linear(n: int) -> np.ndarray:
    """∇²(wᵀz) = 0."""
    return np.zeros((n, n))


def partial_f_m(w: np.ndarray, z: np.ndarray, g_prime: Callable, i: int, j: int) -> float:
    """∂f_M/∂w_ij = g'(w_iᵀz) z_j: only the i-th term of the sum depends on w_ij."""
    return float(g_prime(w[i] @ z) * z[j])


def grad_f_m(w: np.ndarray, z: np.ndarray, g_prime: Callable) -> np.ndarray:
    """∇_W f_M = g'(Wz) zᵀ, g' applied entrywise."""
    return np.outer(g_prime(w @ z), z)


def stochastic_grad_f_m(w: np.ndarray, z_sample: np.ndarray, g_prime: Callable) -> np.ndarray:
    """The stochastic gradient of f_M'(W) = E{Σᵢ g(wᵢᵀz)}: the expectation dropped, one
    observation z(t) in its place: g'(W z(t)) z(t)ᵀ."""
    return grad_f_m(w, z_sample, g_prime)
