"""Malformed params.yaml variants, each an edit of the committed file, with the key and the
reason the loader must name. Shared by the loader tests and the functional tests."""

from __future__ import annotations

from typing import NamedTuple

from tests.sandbox import ROOT, replace_setting


class Bad(NamedTuple):
    old: str
    new: str
    key: str
    reason: str


# the line of the repeated `n:` once the row below has added it: where the loader points
REPEATED_N_LINE = (ROOT / "params.yaml").read_text().splitlines().index("  n: 1000") + 2

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
    Bad("step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: []", "sgd.step_sizes", "1 to 10 entries"),
    Bad("step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: fast", "sgd.step_sizes", "must be a list"),
    Bad("init_seeds: [1, 2, 3]", "init_seeds: [1, 2, 2]", "sgd.init_seeds", "must not repeat"),
    Bad("sgd.iterations: 10000", "iterations: 100000000", "sgd.iterations", "between 1 and 10000000"),
    Bad("sgd.iterations: 10000", "iterations: 0", "sgd.iterations", "between 1 and"),
    Bad("gradient: sample", "gradient: batch", "sgd.gradient", "must be one of sample, sum"),
    Bad(
        "init_eigenvalues: [0.5, 2.0]",
        "init_eigenvalues: [0.0, 2.0]",
        "sgd.init_eigenvalues[0]",
        "must be >= 1e-06",
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
    Bad("  step_sizes:\n  - 1.0e-3\n", "  step_sizes:\n  - 0.0\n", "ascent.step_sizes[0]", "must be > 0"),
    Bad("tolerance: 1.0e-4", "tolerance: 0.0", "ascent.tolerance", "must be > 0"),
    Bad("tolerance: 1.0e-4", "tolerance: -1.0e-4", "ascent.tolerance", "must be > 0"),
    Bad("max_iterations: 20000", "max_iterations: 0", "ascent.max_iterations", "between 1 and"),
    Bad("region: [-2.0, 3.0]", "region: [3.0, -2.0]", "ascent.region", "low < high"),
    Bad(
        "region: [-2.0, 3.0]",
        "region: [0.3, 3.0]",
        "ascent.{starts[0], region}",
        "starts[0] must lie in the region",
    ),
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
    Bad("gaussian:\n", "gaussian: [\n", "line", "is not valid YAML"),
    # --- read as DVC reads it (YAML 1.2): spellings that DVC would name stages and files by
    Bad("init_seeds: [1, 2, 3]", "init_seeds: [1, 10, 010]", "sgd.init_seeds", "must not repeat"),
    # YAML 1.1 read 1:30 as 90 (base 60); 1.2 as the text "1:30"
    Bad("init_seeds: [1, 2, 3]", "init_seeds:\n- 1\n- 2\n- 1:30", "sgd.init_seeds[2]", "must be an integer"),
    Bad(
        "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]",
        "step_sizes: [1.0e-5, 1.0e-4, '1E-3']",
        "sgd.step_sizes[2]",
        "must be a YAML number",
    ),
    Bad(
        "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]",
        "step_sizes: [1.0e-5, 1.0e-4, '0.001 ']",
        "sgd.step_sizes[2]",
        "must be a YAML number",
    ),
    Bad(
        "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]",
        "step_sizes: [1.0e-5, 1.0e-4, '１e-3']",
        "sgd.step_sizes[2]",
        "must be a YAML number",
    ),
    Bad("tolerance: 1.0e-4", "tolerance: '１e-4'", "ascent.tolerance", "must be a number"),
    Bad("  n: 1000\n", "  n: 1000\n  n: 2000\n", f"line {REPEATED_N_LINE}", "repeats the key 'n'"),
    # --- bounds the numerics carry
    Bad("mean: [0.0, 0.0]", "mean: [1.0e+300, 1.0e+300]", "gaussian.mean[0]", "must be <= 1e+06"),
    Bad("mean: [0.0, 0.0]", "mean: [1.0e+154, 1.0e+154]", "gaussian.mean[0]", "must be <= 1e+06"),
    Bad(
        "cov: [[1.0, 0.5], [0.5, 1.0]]",
        "cov: [[1.0e+200, 0], [0, 1.0e+200]]",
        "gaussian.cov",
        "eigenvalues between 1e-06 and 1e+06",
    ),
    Bad(
        "cov: [[1.0, 0.5], [0.5, 1.0]]",
        "cov: [[1.0e-160, 0], [0, 1.0e-160]]",
        "gaussian.cov",
        "eigenvalues between 1e-06 and 1e+06",
    ),
    Bad(
        "init_eigenvalues: [0.5, 2.0]",
        "init_eigenvalues: [1.0e-300, 1.0e+300]",
        "sgd.init_eigenvalues[0]",
        "must be >= 1e-06",
    ),
    Bad("x1_range: [-10.0, 10.0]", "x1_range: [-1.7e+308, 1.7e+308]", "network.x1_range[0]", ">= -1e+06"),
    Bad(
        "max_iterations: 20000",
        "max_iterations: 10000000",
        "ascent.max_iterations",
        "between 1 and 100000",
    ),
    Bad("  n: 1000\n", "  n: 1e400\n", "gaussian.n", "must be finite"),
    Bad("init_seeds: [1, 2, 3]", f"init_seeds: {list(range(11))}", "sgd.init_seeds", "1 to 10 entries"),
    # --- the theory stages
    Bad(
        "sgd_sweep.replicas: 100",
        "replicas: 0",
        "sgd_sweep.replicas",
        "between 1 and 1000",
    ),
    Bad(
        "  steps_per_decade: 4\n", "  steps_per_decade: 0\n", "sgd_sweep.steps_per_decade", "between 1 and 20"
    ),
    Bad("step_range: [1.0e-6, 1.0]", "step_range: [1.0, 1.0e-6]", "sgd_sweep.step_range", "low < high"),
    Bad("sgd_sweep.iterations: 10000", "iterations: 0", "sgd_sweep.iterations", "between 1 and 1000000"),
    Bad(
        "sgd_sweep.replicas: 100",
        "replicas: 1000",
        "sgd_sweep.{step_range, steps_per_decade, replicas, iterations}",
        "must be at most 200000000",
    ),
    Bad(
        "  record_every: 100\n",
        "  record_every: 100000\n",
        "sgd_stationary.{iterations, record_every}",
        "record_every must be at most iterations",
    ),
    Bad("  step_size: 1.0e-3", "  step_size: -1.0e-3", "sgd_stationary.step_size", "must be > 0"),
    Bad(
        "  burn_in: 30000\n",
        "  burn_in: 1000000\n",
        "sgd_stationary.{replicas, burn_in, iterations}",
        "must be at most 50000000",
    ),
    Bad(
        "max_iterations: 20000",
        "max_iterations: 100000",
        "ascent.{starts, step_sizes, max_iterations}",
        "max_iterations must be at most 2000000",
    ),
    # --- what an accepted value could not carry, found by adversarial runs
    Bad(
        "step_range: [1.0e-6, 1.0]",
        "step_range: [0.2, 0.5]",
        "sgd_sweep.{step_range, steps_per_decade}",
        "must hold at least 2 step sizes (holds 1)",
    ),
    Bad(
        "x1_range: [-10.0, 10.0]",
        "x1_range: [999999.9999999, 1000000.0]",
        "network.{x1_range, points}",
        "neighbouring x1 must be at least 1e-06 of the range's magnitude apart",
    ),
    Bad(
        "  replicas: 100\n  burn_in: 30000\n  iterations: 60000\n  record_every: 100\n",
        "  replicas: 500\n  burn_in: 0\n  iterations: 100000\n  record_every: 1\n",
        "sgd_stationary.{replicas, iterations, record_every}",
        "the iterates kept, must be at most 10000000",
    ),
    Bad(
        "  seed: 20240321\n",
        "  s\u0435\u0435d: 20240321\n",
        "gaussian.s\\u0435\\u0435d",
        "unknown key (did you mean 'seed'?)",
    ),
    # a misspelt key alone is named with its value, not reported as the key it replaced
    Bad("  seed: 20240321\n", "  seeed: 20240321\n", "gaussian.seeed = 20240321", "did you mean 'seed'?"),
    # a value is shown as YAML spells it
    Bad("sgd.iterations: 10000", "iterations: true", "sgd.iterations = true", "must be an integer"),
    Bad(
        "  seed: 20240321\n",
        "  seed: " + "9" * 4400 + "\n",
        "line 18",
        "holds a number of more than 4300 digits",
    ),
]


class BadFile(NamedTuple):
    """A params.yaml that is not a YAML document of sections at all."""

    name: str
    content: bytes | None  # None: a FIFO in its place
    reason: str


# 413 bytes that expand to 10^9 values if walked whole
ALIAS_BOMB = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n".encode() for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)

BAD_FILES = [
    BadFile("empty", b"", "is empty"),
    BadFile("comments only", b"# nothing\n", "is empty"),
    BadFile("a list", b"- 1\n- 2\n", "must be a mapping of sections"),
    BadFile("not UTF-8", b"gaussian:\n  seed: \xff\n", "is not UTF-8 text"),
    BadFile("too large", b"# " + b"x" * 70_000 + b"\n", "must be at most 65536 bytes"),
    BadFile("alias bomb", ALIAS_BOMB, "more than 10000 values once its aliases are expanded"),
    BadFile("a FIFO", None, "must be a regular file"),
]


def write_bad_file(path, bad: BadFile) -> None:
    import os

    path.unlink(missing_ok=True)
    if bad.content is None:
        os.mkfifo(path)
    else:
        path.write_bytes(bad.content)


def apply(text: str, bad: Bad) -> str:
    return replace_setting(text, bad.old, bad.new)


def ids() -> list[str]:
    return [f"{b.key}:{b.new.strip()[:30] or 'removed'}" for b in BAD_PARAMS]


def representative() -> list[Bad]:
    """The rows the functional tests run through dvc: one wrong type, one bound, one
    cross-field check, and each way the file can be misread (the loader's tests take every row)."""
    kinds = (
        "must be an integer",
        "must be > 0",
        "eigenvalues",
        "must be a YAML number",
        "repeats the key",
        "is not valid YAML",
        "unknown key",
    )
    return [next(b for b in BAD_PARAMS if kind in b.reason) for kind in kinds]
