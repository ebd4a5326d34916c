"""The params loader: the committed params.yaml loads, and each bad value is refused with one
line that names the key and the value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nndl.params import ParamsError, label, load_params, parse_params
from tests.bad_params import BAD_PARAMS, Bad, apply, ids

ROOT = Path(__file__).resolve().parents[1]
GOOD = yaml.safe_load((ROOT / "params.yaml").read_text())


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


@pytest.mark.parametrize("bad", BAD_PARAMS, ids=ids())
def test_loader_refuses_each_bad_variant_naming_key_and_value(bad: Bad, tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text(apply((ROOT / "params.yaml").read_text(), bad))
    with pytest.raises(ParamsError) as err:
        load_params(path)
    message = str(err.value)
    assert message.startswith(f"params.yaml: {bad.key}"), message
    assert bad.reason in message
    assert "\n" not in message
