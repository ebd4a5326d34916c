"""Every claim of the written solutions, checked numerically: closed forms against
torch.autograd, identities on wide grids, conditions on singular and non-singular draws."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nndl.numerics import exercises as ex

GRID = np.linspace(-20.0, 20.0, 4001)
RNG = np.random.default_rng(2024)


# §1.1 leaky ReLU
def test_leaky_relu_with_alpha_zero_is_relu() -> None:
    np.testing.assert_array_equal(ex.leaky_relu(GRID, 0.0), ex.relu(GRID))


def test_leaky_relu_with_alpha_one_is_the_identity() -> None:
    np.testing.assert_array_equal(ex.leaky_relu(GRID, 1.0), GRID)


@pytest.mark.parametrize("alpha", np.linspace(0.0, 1.0, 11))
def test_leaky_relu_is_max_of_alpha_x_and_x_for_alpha_at_most_one(alpha: float) -> None:
    np.testing.assert_array_equal(ex.leaky_relu(GRID, alpha), ex.leaky_relu_max_form(GRID, alpha))


@pytest.mark.parametrize("alpha", [1.5, 2.0, 10.0])
def test_max_form_fails_for_alpha_above_one(alpha: float) -> None:
    x = np.array([1.0])  # ψ(1) = 1 but max(α, 1) = α
    assert ex.leaky_relu(x, alpha)[0] == 1.0
    assert ex.leaky_relu_max_form(x, alpha)[0] == alpha


# §1.2 tanh
def test_tanh_is_twice_the_logistic_of_2x_minus_one() -> None:
    np.testing.assert_allclose(ex.tanh_from_logistic(GRID), np.tanh(GRID), rtol=0, atol=4e-16)


# §1.3 linear networks
def square_weights(singular_layer: int | None, n: int = 4, k: int = 3) -> list[np.ndarray]:
    ws = [RNG.normal(size=(n, n)) for _ in range(k)]
    if singular_layer is not None:
        ws[singular_layer][:, -1] = ws[singular_layer][:, 0]  # two equal columns: rank n − 1
    return ws


@pytest.mark.parametrize("trial", range(5))
def test_det_m_is_the_product_of_the_layer_determinants(trial: int) -> None:
    ws = square_weights(None)
    m = ex.network_matrix(ws)
    assert np.linalg.det(m) == pytest.approx(np.prod([np.linalg.det(w) for w in ws]), rel=1e-9)
    np.testing.assert_allclose(m, ws[2] @ ws[1] @ ws[0])


def test_full_rank_m_is_injective_and_the_input_is_recovered() -> None:
    ws = square_weights(None)
    m = ex.network_matrix(ws)
    x = RNG.normal(size=4)
    assert ex.is_injective(m) and ex.is_bijective(ws)
    np.testing.assert_allclose(np.linalg.solve(m, m @ x), x, rtol=1e-9)


@pytest.mark.parametrize("layer", [0, 1, 2])
def test_one_singular_layer_makes_g_neither_injective_nor_bijective(layer: int) -> None:
    ws = square_weights(layer)
    m = ex.network_matrix(ws)
    assert not ex.is_injective(m) and not ex.is_bijective(ws)
    # two different inputs with the same output
    v = np.linalg.svd(m)[2][-1]  # right singular vector of the zero singular value
    x = RNG.normal(size=4)
    np.testing.assert_allclose(m @ x, m @ (x + v), atol=1e-9)


def test_non_square_layers_can_be_injective_without_being_bijective() -> None:
    # why (c) needs the square layers of the sheet: a tall M is injective but not onto
    m = RNG.normal(size=(5, 3))
    assert ex.is_injective(m)
    assert np.linalg.matrix_rank(m) < m.shape[0]


# §2.1–2.3 ‖w‖²
@pytest.mark.parametrize("trial", range(5))
def test_gradient_and_hessian_of_squared_norm_match_autograd(trial: int) -> None:
    w = RNG.normal(size=6)
    wt = torch.tensor(w, requires_grad=True)
    (wt @ wt).backward()
    np.testing.assert_allclose(ex.grad_sq_norm(w), wt.grad.numpy())
    h = torch.autograd.functional.hessian(lambda v: v @ v, torch.tensor(w))
    np.testing.assert_allclose(ex.hessian_sq_norm(6), h.numpy())


@pytest.mark.parametrize("trial", range(5))
def test_newton_reaches_the_minimum_of_squared_norm_in_one_step(trial: int) -> None:
    w = RNG.normal(scale=100.0, size=6)
    np.testing.assert_allclose(ex.newton_step(w, ex.grad_sq_norm(w), ex.hessian_sq_norm(6)), 0.0, atol=1e-12)


# §2.4–2.6 wᵀz
def test_gradient_of_linear_function_is_z_and_hessian_zero() -> None:
    w, z = RNG.normal(size=5), RNG.normal(size=5)
    wt = torch.tensor(w, requires_grad=True)
    (wt @ torch.tensor(z)).backward()
    np.testing.assert_allclose(ex.grad_linear(w, z), wt.grad.numpy())
    h = torch.autograd.functional.hessian(lambda v: v @ torch.tensor(z), torch.tensor(w))
    np.testing.assert_array_equal(ex.hessian_linear(5), h.numpy())


def test_newton_step_on_linear_function_is_undefined() -> None:
    w, z = RNG.normal(size=5), RNG.normal(size=5)
    with pytest.raises(np.linalg.LinAlgError):
        ex.newton_step(w, ex.grad_linear(w, z), ex.hessian_linear(5))


# §2.7–2.9 f_M
G = {
    "tanh": (torch.tanh, lambda u: 1.0 - np.tanh(u) ** 2),
    "cube": (lambda u: u**3, lambda u: 3.0 * u**2),
    "log cosh": (lambda u: torch.log(torch.cosh(u)), np.tanh),
    "logistic": (torch.sigmoid, lambda u: ex.logistic(u) * (1.0 - ex.logistic(u))),
}


def autograd_grad_f_m(w: np.ndarray, zs: np.ndarray, g) -> np.ndarray:
    """∇ of the mean over zs of Σᵢ g(wᵢᵀz), by autograd."""
    wt = torch.tensor(w, requires_grad=True)
    g(torch.tensor(zs) @ wt.T).sum(dim=1).mean().backward()
    return wt.grad.numpy()


@pytest.mark.parametrize("name", G)
def test_partial_derivative_and_matrix_gradient_of_f_m_match_autograd(name: str) -> None:
    g, g_prime = G[name]
    w, z = RNG.normal(size=(3, 4)), RNG.normal(size=4)
    expected = autograd_grad_f_m(w, z[None, :], g)
    np.testing.assert_allclose(ex.grad_f_m(w, z, g_prime), expected, rtol=1e-10, atol=1e-12)
    for i in range(3):
        for j in range(4):
            assert ex.partial_f_m(w, z, g_prime, i, j) == pytest.approx(expected[i, j], rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("name", G)
def test_stochastic_gradients_average_to_the_gradient_of_the_expectation(name: str) -> None:
    g, g_prime = G[name]
    w = RNG.normal(scale=0.5, size=(3, 4))
    # z uniform over a finite set: the expectation is exactly the mean over the set
    support = RNG.normal(size=(50, 4))
    exact = autograd_grad_f_m(w, support, g)
    mean_sg = np.mean([ex.stochastic_grad_f_m(w, z, g_prime) for z in support], axis=0)
    np.testing.assert_allclose(mean_sg, exact, rtol=1e-10, atol=1e-12)
    # and drawing z(t) at random, the average of the stochastic gradients converges to it
    draws = support[RNG.integers(0, 50, size=200_000)]
    mc = np.mean(g_prime(draws @ w.T)[:, :, None] * draws[:, None, :], axis=0)
    np.testing.assert_allclose(mc, exact, atol=0.05 * np.abs(exact).max() + 1e-3)


# --- the same claims on random inputs (hypothesis), and the cases the grids above miss -----

PROPERTY = settings(max_examples=25, deadline=None)
VALUES = st.lists(st.floats(-50.0, 50.0), min_size=1, max_size=20).map(np.array)


@PROPERTY
@given(x=VALUES, alpha=st.floats(-2.0, 2.0))
def test_leaky_relu_is_x_where_x_is_not_negative_and_alpha_x_elsewhere(x, alpha) -> None:
    expected = [v if v >= 0 else alpha * v for v in x]
    np.testing.assert_array_equal(ex.leaky_relu(x, alpha), expected)
    np.testing.assert_array_equal(ex.relu(x), [max(v, 0.0) for v in x])
    np.testing.assert_array_equal(ex.leaky_relu_max_form(x, alpha), [max(alpha * v, v) for v in x])


@PROPERTY
@given(x=VALUES)
def test_the_logistic_and_tanh_from_it_are_torchs(x) -> None:
    t = torch.tensor(x)
    np.testing.assert_allclose(ex.logistic(x), torch.sigmoid(t).numpy(), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(ex.tanh_from_logistic(x), torch.tanh(t).numpy(), rtol=0, atol=4e-16)


@PROPERTY
@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5), seed=st.integers(0, 2**32 - 1))
def test_the_network_matrix_of_layers_of_any_sizes_is_the_product_last_layer_first(sizes, seed) -> None:
    rng = np.random.default_rng(seed)
    ws = [rng.normal(size=(n_out, n_in)) for n_in, n_out in itertools.pairwise(sizes)]
    x = rng.normal(size=sizes[0])
    y = x
    for w in ws:
        y = w @ y
    np.testing.assert_allclose(ex.network_matrix(ws) @ x, y, rtol=1e-10, atol=1e-12)
    assert ex.network_matrix(ws).shape == (sizes[-1], sizes[0])


def test_layers_that_are_not_square_are_not_bijective_even_at_full_rank() -> None:
    tall, wide = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 5))
    assert np.linalg.matrix_rank(tall) == 3 and np.linalg.matrix_rank(wide) == 3
    assert not ex.is_bijective([tall]) and not ex.is_bijective([wide])
    assert not ex.is_bijective([RNG.normal(size=(3, 3)), tall])
    assert ex.is_bijective([RNG.normal(size=(3, 3)), RNG.normal(size=(3, 3))])


@PROPERTY
@given(n=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_the_gradient_of_a_linear_function_is_z_as_a_new_float_array(n, seed) -> None:
    rng = np.random.default_rng(seed)
    w, z = rng.normal(size=n), rng.integers(-5, 5, size=n)  # z of integers
    g = ex.grad_linear(w, z)
    assert g.dtype == np.float64 and np.array_equal(g, z)
    zf = z.astype(float)
    g = ex.grad_linear(w, zf)
    g[0] += 1.0  # the gradient is a new array: changing it leaves z as it was
    assert zf[0] == z[0]
    np.testing.assert_array_equal(ex.hessian_linear(n), np.zeros((n, n)))
