"""The params loader: the committed params.yaml loads, and each bad value is refused with one
line that names the key and the value."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from nndl.params import ParamsError, label, load_params, parse_params

ROOT = Path(__file__).resolve().parents[1]
GOOD = yaml.safe_load((ROOT / "params.yaml").read_text())


def with_value(dotted: str, value: object) -> dict:
    """GOOD with one key set (or removed, for value ...)."""
    doc = copy.deepcopy(GOOD)
    *path, last = dotted.split(".")
    node = doc
    for part in path:
        node = node[part]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return doc


def test_committed_params_load() -> None:
    p = load_params(ROOT / "params.yaml")
    assert p.gaussian.n == 1000
    assert p.sgd.step_sizes == (1e-5, 1e-4, 1e-3)
    assert len(p.sgd.runs()) == 9


def test_string_that_is_a_float_is_accepted_as_that_float() -> None:
    # `dvc exp run -S 'sgd.step_sizes=[1e-06]'` writes 1e-06, which PyYAML reads as a string
    doc = yaml.safe_load(yaml.safe_dump(GOOD).replace("- 1.0e-05", "- 1e-06"))
    assert doc["sgd"]["step_sizes"][0] == "1e-06"
    p = parse_params(doc)
    assert p.sgd.step_sizes[0] == 1e-06
    assert p.sgd.step_labels[0] == "1e-06"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.0e-5, "1e-05"), (1e-4, "0.0001"), (0.001, "0.001"), ("1e-06", "1e-06"), ("1E-6", "1e-06"), (2, "2")],
)
def test_label_is_how_dvc_spells_the_value(value: object, expected: str) -> None:
    assert label(value) == expected


BAD = [
    ("sgd.step_sizes", [1e-5, -1e-4], "sgd.step_sizes[1]", "must be > 0"),
    ("sgd.step_sizes", [0.0], "sgd.step_sizes[0]", "must be > 0"),
    ("sgd.step_sizes", [1e-3, 1e-3], "sgd.step_sizes", "must not repeat"),
    ("sgd.step_sizes", "fast", "sgd.step_sizes", "must be a list"),
    ("sgd.init_seeds", [1, 1, 2], "sgd.init_seeds", "must not repeat"),
    ("sgd.init_seeds", [1.5], "sgd.init_seeds[0]", "must be an integer"),
    ("sgd.iterations", 0, "sgd.iterations", "between 1 and"),
    ("sgd.iterations", "many", "sgd.iterations", "must be an integer"),
    ("sgd.gradient", "batch", "sgd.gradient", "must be one of sample, sum"),
    ("sgd.init_eigenvalues", [0.0, 1.0], "sgd.init_eigenvalues[0]", "must be > 0"),
    ("gaussian.n", 1, "gaussian.n", "between 2 and"),
    ("gaussian.mean", [0.0], "gaussian.mean", "must have 2 entries"),
    ("gaussian.cov", [[1.0, 0.5], [0.4, 1.0]], "gaussian.cov", "must be symmetric"),
    ("gaussian.cov", [[1.0, 2.0], [2.0, 1.0]], "gaussian.cov", "must be positive definite"),
    ("gaussian.seed", ..., "gaussian.seed", "missing"),
    ("gaussian.colour", "red", "gaussian.colour", "unknown key"),
]


@pytest.mark.parametrize(("key", "value", "named", "reason"), BAD, ids=[f"{b[0]}={b[1]!r}" for b in BAD])
def test_bad_value_is_refused_naming_key_and_value(key: str, value: object, named: str, reason: str) -> None:
    with pytest.raises(ParamsError) as err:
        parse_params(with_value(key, value))
    message = str(err.value)
    assert message.startswith(
        f"params.yaml: {named}: missing" if reason == "missing" else f"params.yaml: {named} = "
    )
    assert reason in message
    assert "\n" not in message


ASCENT_BAD = [
    ("ascent.starts", [[0.2, 0.5], [0.5]], "ascent.starts[1]", "must have 2 entries"),
    ("ascent.starts", [[0.2, "x"]], "ascent.starts[0][1]", "must be a number"),
    ("ascent.starts", [[9.0, 0.0]], "ascent.starts[0]", "must lie in the region"),
    ("ascent.step_sizes", [0.1, 0.0], "ascent.step_sizes[1]", "must be > 0"),
    ("ascent.tolerance", 0.0, "ascent.tolerance", "must be > 0"),
    ("ascent.tolerance", -1e-4, "ascent.tolerance", "must be > 0"),
    ("ascent.max_iterations", 0, "ascent.max_iterations", "between 1 and"),
    ("ascent.region", [3.0, -2.0], "ascent.region", "low < high"),
    ("ascent_figures.grid", 1, "ascent_figures.grid", "between 2 and"),
]


@pytest.mark.parametrize(
    ("key", "value", "named", "reason"), ASCENT_BAD, ids=[f"{b[0]}={b[1]!r}" for b in ASCENT_BAD]
)
def test_bad_ascent_value_is_refused_naming_key_and_value(
    key: str, value: object, named: str, reason: str
) -> None:
    with pytest.raises(ParamsError) as err:
        parse_params(with_value(key, value))
    assert str(err.value).startswith(f"params.yaml: {named} = ")
    assert reason in str(err.value)
