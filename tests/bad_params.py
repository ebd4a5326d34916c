"""Malformed params.yaml variants, each an edit of the committed file, with the key and the
reason the loader must name. Shared by the loader tests and the functional tests."""

from __future__ import annotations

from typing import NamedTuple


class Bad(NamedTuple):
    old: str
    new: str
    key: str
    reason: str


BAD_PARAMS = [
    Bad("  seed: 20240321\n", "  seed: -1\n", "gaussian.seed", "between 0 and"),
    Bad("  seed: 20240321\n", "  seed: abc\n", "gaussian.seed", "must be an integer"),
    Bad("  n: 1000\n", "  n: 1000000000000\n", "gaussian.n", "between 2 and 1000000"),
    Bad("  n: 1000\n", "  n: 1\n", "gaussian.n", "between 2 and"),
    Bad("mean: [0.0, 0.0]", "mean: [0.0]", "gaussian.mean", "must have 2 entries"),
    Bad("mean: [0.0, 0.0]", "mean: [0.0, .nan]", "gaussian.mean[1]", "must be finite"),
    Bad(
        "cov: [[1.0, 0.5], [0.5, 1.0]]", "cov: [[1.0, 0.5], [0.4, 1.0]]", "gaussian.cov", "must be symmetric"
    ),
    Bad(
        "cov: [[1.0, 0.5], [0.5, 1.0]]", "cov: [[1.0, 2.0], [2.0, 1.0]]", "gaussian.cov", "positive definite"
    ),
    Bad("cov: [[1.0, 0.5], [0.5, 1.0]]", "cov: 1.0", "gaussian.cov", "must be a list"),
    Bad(
        "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]",
        "step_sizes: [1.0e-5, -1.0e-4, 1.0e-3]",
        "sgd.step_sizes[1]",
        "must be > 0",
    ),
    Bad(
        "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]",
        "step_sizes: [0.0, 1.0e-4]",
        "sgd.step_sizes[0]",
        "must be > 0",
    ),
    Bad(
        "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]",
        "step_sizes: [1.0e-5, .inf]",
        "sgd.step_sizes[1]",
        "must be finite",
    ),
    Bad("step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: []", "sgd.step_sizes", "1 to 100 entries"),
    Bad("step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: fast", "sgd.step_sizes", "must be a list"),
    Bad("init_seeds: [1, 2, 3]", "init_seeds: [1, 2, 2]", "sgd.init_seeds", "must not repeat"),
    Bad("iterations: 10000", "iterations: 1000000000000", "sgd.iterations", "between 1 and 10000000"),
    Bad("iterations: 10000", "iterations: 0", "sgd.iterations", "between 1 and"),
    Bad("gradient: sample", "gradient: batch", "sgd.gradient", "must be one of sample, sum"),
    Bad(
        "init_eigenvalues: [0.5, 2.0]",
        "init_eigenvalues: [0.0, 2.0]",
        "sgd.init_eigenvalues[0]",
        "must be > 0",
    ),
    Bad("  plot_every: 10\n", "  plot_every: 0\n", "sgd_figures.plot_every", "between 1 and"),
    Bad(
        "  plot_every: 10\n  dpi: 100\n",
        "  plot_every: 10\n  dpi: yes\n",
        "sgd_figures.dpi",
        "must be an integer",
    ),
    Bad(
        "starts: [[0.2, 0.5], [0.5, 0.2], [1.0, 1.0]]",
        "starts: [[0.2, 0.5], [0.5], [1.0, 1.0]]",
        "ascent.starts[1]",
        "must have 2 entries",
    ),
    Bad(
        "starts: [[0.2, 0.5], [0.5, 0.2], [1.0, 1.0]]",
        "starts: [[0.2, 0.5, 0.1]]",
        "ascent.starts[0]",
        "must have 2 entries",
    ),
    Bad("step_sizes: [1.0e-3, 3.0e-3,", "step_sizes: [0.0, 3.0e-3,", "ascent.step_sizes[0]", "must be > 0"),
    Bad("tolerance: 1.0e-4", "tolerance: 0.0", "ascent.tolerance", "must be > 0"),
    Bad("tolerance: 1.0e-4", "tolerance: -1.0e-4", "ascent.tolerance", "must be > 0"),
    Bad("max_iterations: 20000", "max_iterations: 0", "ascent.max_iterations", "between 1 and"),
    Bad("region: [-2.0, 3.0]", "region: [3.0, -2.0]", "ascent.region", "low < high"),
    Bad("  grid: 200\n", "  grid: 1\n", "ascent_figures.grid", "between 2 and"),
    Bad("  levels: 20\n", "", "ascent_figures.levels", "missing"),
    Bad(
        "activations: [tanh, relu, linear]",
        "activations: [tanh, sigmoid]",
        "network.activations[1]",
        "must be one of tanh, relu, linear",
    ),
    Bad("weight_seeds: [1, 2, 3]", "weight_seeds: [1, 1, 2]", "network.weight_seeds", "must not repeat"),
    Bad("  points: 401\n", "  points: 10000000\n", "network.points", "between 2 and 100000"),
    Bad("  bias: false\n", "  bias: maybe\n", "network.bias", "must be true or false"),
    Bad("network_figures:\n  dpi: 100\n", "", "network_figures", "missing"),
    Bad("network_figures:\n", "extra: 1\nnetwork_figures:\n", "extra", "unknown key"),
    Bad("gaussian:\n", "gaussian: [\n", "params.yaml", "is not valid YAML"),
]


def apply(text: str, bad: Bad) -> str:
    assert text.count(bad.old) == 1, bad.old
    return text.replace(bad.old, bad.new)


def ids() -> list[str]:
    return [f"{b.key}:{b.new.strip()[:30] or 'removed'}" for b in BAD_PARAMS]
