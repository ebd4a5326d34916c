"""The PyTorch networks against independent computations: the product of the weight matrices,
the shape of ReLU and tanh responses, and seeded determinism."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nndl.numerics import network
from nndl.pipeline.params import load_params
from tests.helpers import PARAMS, ROOT, run_main

P = PARAMS.network
X = network.inputs(P.x1_range, P.points, P.fixed_inputs_seed)
H = (P.x1_range[1] - P.x1_range[0]) / (P.points - 1)


def curve(activation: str, seed: int, output_activation: bool = False, bias: bool = False) -> np.ndarray:
    weights = network.random_weights(seed, P.weight_std, bias)
    return network.responses([weights], [activation], X, output_activation)[activation, 0].numpy()


@pytest.mark.parametrize("seed", P.weight_seeds)
def test_linear_network_is_y_equals_m_x_with_m_the_product_of_the_weights(seed: int) -> None:
    w1, w2, w3 = (w.numpy() for w, _ in network.random_weights(seed, P.weight_std, False))
    m = w3 @ w2 @ w1
    expected = X.numpy() @ m[0]
    np.testing.assert_allclose(curve("linear", seed), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", P.weight_seeds)
def test_linear_network_response_is_exactly_affine_in_x1(seed: int) -> None:
    y = curve("linear", seed)
    slope, intercept = np.polyfit(X[:, 0].numpy(), y, 1)
    np.testing.assert_allclose(y, slope * X[:, 0].numpy() + intercept, atol=1e-10 * np.abs(y).max())


def kinks(y: np.ndarray) -> int:
    """Interior points where the slope changes: a piecewise-linear curve has second
    differences of zero (up to rounding) except next to each kink."""
    second = np.abs(np.diff(y, 2))
    return int(np.sum(second > 1e-9 * max(1.0, np.abs(y).max())))


@pytest.mark.parametrize("seed", P.weight_seeds)
def test_relu_network_response_is_piecewise_linear_with_few_kinks(seed: int) -> None:
    y = curve("relu", seed)
    # each kink touches at most two second differences; 5 + 5 + 5 neurons bound the count loosely
    assert 1 <= kinks(y) <= 2 * 3 * network.WIDTH
    # and the linear network's curve has none
    assert kinks(curve("linear", seed)) == 0


@pytest.mark.parametrize("seed", P.weight_seeds)
def test_tanh_network_response_is_smooth_and_bounded(seed: int) -> None:
    y = curve("tanh", seed)
    weights = network.random_weights(seed, P.weight_std, False)
    w3 = weights[2][0].numpy()
    assert network.tanh_bound(weights, False) == pytest.approx(np.abs(w3[0]).sum())
    assert np.abs(y).max() < network.tanh_bound(weights, False)  # |tanh| < 1 in the last hidden layer
    assert (
        np.abs(curve("tanh", seed, output_activation=True)).max() < network.tanh_bound(weights, True) == 1.0
    )
    biased = network.random_weights(seed, P.weight_std, True)
    assert network.tanh_bound(biased, False) == pytest.approx(
        np.abs(biased[2][0][0].numpy()).sum() + abs(float(biased[2][1][0]))
    )
    # smooth: the autograd derivative matches the curve's central differences everywhere
    x = X.clone().requires_grad_(True)
    net = network.Network(network.random_weights(seed, P.weight_std, False), "tanh", False)
    net(x)[:, 0].sum().backward()
    dy = x.grad[:, 0].numpy()
    fd = (y[2:] - y[:-2]) / (2 * H)
    second = np.abs(np.diff(dy, 2)).max() / H**2  # a bound on the third derivative's size
    np.testing.assert_allclose(fd, dy[1:-1], atol=H**2 * max(second, 1.0))


def test_output_activation_and_bias_are_honoured() -> None:
    relu_out = curve("relu", 2, output_activation=True)
    assert relu_out.min() >= 0.0
    layers = network.Network(network.random_weights(2, 1.0, True), "relu", True).layers
    assert [type(m).__name__ for m in layers] == ["Linear", "ReLU"] * 3
    assert all(m.bias is not None for m in layers if isinstance(m, torch.nn.Linear))


def test_same_seed_same_weights_different_seed_different_weights() -> None:
    a = network.random_weights(1, 1.0, False)
    b = network.random_weights(1, 1.0, False)
    c = network.random_weights(2, 1.0, False)
    assert all(torch.equal(x[0], y[0]) for x, y in zip(a, b, strict=True))
    assert not any(torch.equal(x[0], y[0]) for x, y in zip(a, c, strict=True))


def test_stage_writes_byte_identical_csv_and_png_for_the_same_params(tmp_path: Path, monkeypatch) -> None:
    from stages import network as stage
    from stages import network_figures as figure

    params = load_params(ROOT / "params.yaml")
    small = params._replace(network=params.network._replace(points=51))
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        out.mkdir()
        monkeypatch.chdir(out)
        run_main(stage.main, small)
        run_main(figure.main, small)
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 11  # nine CSVs, the tanh bounds and the PNG


# --- the network against the formula written with numpy, on random weights (hypothesis) ---

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
PSI = {"tanh": np.tanh, "relu": lambda u: np.maximum(u, 0.0), "linear": lambda u: u}


def plain_forward(weights, activation: str, output_activation: bool, x: np.ndarray) -> np.ndarray:
    """ψ(W3 ψ(W2 ψ(W1 x + b1) + b2) + b3) row by row, ψ on the output only if asked."""
    h = x
    for k, (w, b) in enumerate(weights):
        h = h @ w.numpy().T + (0.0 if b is None else b.numpy())
        if k < len(weights) - 1 or output_activation:
            h = PSI[activation](h)
    return h


@settings(max_examples=15, deadline=None)
@given(seed=SEEDS, std=st.floats(min_value=1e-3, max_value=10.0), bias=st.booleans())
def test_random_weights_are_std_times_one_generators_normal_draws_layer_by_layer(seed, std, bias) -> None:
    layers = network.random_weights(seed, std, bias)
    gen = torch.Generator().manual_seed(seed)
    assert len(layers) == network.LAYERS == 3
    for w, b in layers:
        assert w.shape == (5, 5) and w.dtype == torch.float64
        assert torch.equal(w, std * torch.randn(5, 5, generator=gen, dtype=torch.float64))
        if bias:
            assert b.shape == (5,) and b.dtype == torch.float64
            assert torch.equal(b, std * torch.randn(5, generator=gen, dtype=torch.float64))
        else:
            assert b is None


@settings(max_examples=15, deadline=None)
@given(
    seed=SEEDS,
    activation=st.sampled_from(sorted(network.ACTIVATION_MODULES)),
    output_activation=st.booleans(),
    bias=st.booleans(),
    x=st.lists(st.lists(st.floats(-5.0, 5.0), min_size=5, max_size=5), min_size=1, max_size=4),
)
def test_the_network_is_the_layered_formula_for_any_weights_activation_and_input(
    seed, activation, output_activation, bias, x
) -> None:
    weights = network.random_weights(seed, 1.0, bias)
    net = network.Network(weights, activation, output_activation)
    with torch.no_grad():
        y = net(torch.tensor(x, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(
        y, plain_forward(weights, activation, output_activation, np.array(x)), rtol=1e-12, atol=1e-12
    )
    kinds = [type(m).__name__ for m in net.layers]
    psi = type(network.ACTIVATION_MODULES[activation]()).__name__
    assert kinds == ["Linear", psi, "Linear", psi, "Linear"] + ([psi] if output_activation else [])
    responses = network.responses(
        [weights, network.random_weights(seed + 1, 1.0, bias)],
        [activation],
        torch.tensor(x, dtype=torch.float64),
        output_activation,
    )
    assert sorted(responses) == [(activation, 0), (activation, 1)]
    np.testing.assert_allclose(responses[activation, 0].numpy(), y[:, 0], rtol=1e-14)


@settings(max_examples=15, deadline=None)
@given(
    low=st.floats(-50.0, 50.0),
    width=st.floats(0.1, 50.0),
    points=st.integers(min_value=2, max_value=40),
    seed=SEEDS,
)
def test_inputs_sweep_x1_over_the_range_and_hold_x2_to_x5_at_one_standard_normal_draw(
    low, width, points, seed
) -> None:
    x = network.inputs((low, low + width), points, seed)
    assert x.shape == (points, 5) and x.dtype == torch.float64
    np.testing.assert_allclose(
        x[:, 0].numpy(), np.linspace(low, low + width, points), rtol=1e-12, atol=1e-12 * (1 + abs(low))
    )
    fixed = torch.randn(4, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    assert all(torch.equal(row, fixed) for row in x[:, 1:])


@settings(max_examples=15, deadline=None)
@given(seed=SEEDS, std=st.floats(1e-2, 10.0), bias=st.booleans(), output_activation=st.booleans())
def test_the_tanh_bound_holds_for_any_weights_and_is_the_last_layers_absolute_row_sum(
    seed, std, bias, output_activation
) -> None:
    weights = network.random_weights(seed, std, bias)
    w3, b3 = weights[-1]
    expected = 1.0 if output_activation else float(w3[0].abs().sum() + (b3[0].abs() if bias else 0.0))
    bound = network.tanh_bound(weights, output_activation)
    assert bound == pytest.approx(expected, rel=1e-15)
    x = network.inputs((-100.0, 100.0), 201, seed)
    y = network.responses([weights], ["tanh"], x, output_activation)["tanh", 0]
    # tanh rounds to exactly ±1 once saturated, and the sum of W3's row may then pass the bound by an ulp
    assert float(y.abs().max()) <= bound * (1 + 1e-14)
