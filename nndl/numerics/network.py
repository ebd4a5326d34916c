"""The fully connected network of sheet §1 in PyTorch: three layers of weights, five neurons
in each, one activation everywhere. Only the network stage imports this (torch is slow to load)."""

from __future__ import annotations

import torch
from torch import nn

WIDTH = 5
LAYERS = 3
ACTIVATION_MODULES = {"tanh": nn.Tanh, "relu": nn.ReLU, "linear": nn.Identity}


def random_weights(seed: int, std: float, bias: bool) -> list[tuple[torch.Tensor, torch.Tensor | None]]:
    """(W_k, b_k) for the three layers from N(0, std²), in float64, from one seeded generator."""
    gen = torch.Generator().manual_seed(seed)
    layers = []
    for _ in range(LAYERS):
        w = std * torch.randn(WIDTH, WIDTH, generator=gen, dtype=torch.float64)
        b = std * torch.randn(WIDTH, generator=gen, dtype=torch.float64) if bias else None
        layers.append((w, b))
    return layers


class Network(nn.Module):
    """x ↦ ψ(W3 ψ(W2 ψ(W1 x + b1) + b2) + b3), with ψ on the output layer only if asked."""

    def __init__(
        self,
        weights: list[tuple[torch.Tensor, torch.Tensor | None]],
        activation: str,
        output_activation: bool,
    ) -> None:
        super().__init__()
        modules: list[nn.Module] = []
        for k, (w, b) in enumerate(weights):
            linear = nn.Linear(WIDTH, WIDTH, bias=b is not None, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(w)
                if b is not None:
                    linear.bias.copy_(b)
            modules.append(linear)
            if k < len(weights) - 1 or output_activation:
                modules.append(ACTIVATION_MODULES[activation]())
        self.layers = nn.Sequential(*modules)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


def inputs(x1_range: tuple[float, float], points: int, seed: int) -> torch.Tensor:
    """(points, 5): x1 swept over the range, x2..x5 fixed to one N(0, 1) draw."""
    fixed = torch.randn(WIDTH - 1, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    x = fixed.repeat(points, 1)
    x1 = torch.linspace(x1_range[0], x1_range[1], points, dtype=torch.float64)
    return torch.cat([x1[:, None], x], dim=1)


def responses(
    weight_sets: list[list[tuple[torch.Tensor, torch.Tensor | None]]],
    activations: list[str],
    x: torch.Tensor,
    output_activation: bool,
) -> dict[tuple[str, int], torch.Tensor]:
    """y1 for every (activation, weight set index), each network evaluated on the whole batch."""
    out = {}
    with torch.no_grad():
        for j, weights in enumerate(weight_sets):
            for act in activations:
                out[act, j] = Network(weights, act, output_activation)(x)[:, 0]
    return out


def tanh_bound(weights: list[tuple[torch.Tensor, torch.Tensor | None]], output_activation: bool) -> float:
    """A bound on |y1| of the tanh network: 1 with tanh on the output layer too; otherwise
    y1 = Σ_j (W3)_1j h_j + (b3)_1 with every |h_j| < 1, so |y1| < Σ_j |(W3)_1j| + |(b3)_1|."""
    if output_activation:
        return 1.0
    w, b = weights[-1]
    return float(w[0].abs().sum() + (0.0 if b is None else b[0].abs()))
