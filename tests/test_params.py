"""The params loader: the committed params.yaml loads, and each bad value is refused with one
line that names the key and the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from nndl.pipeline.params import ParamsError, load_params, read_document
from nndl.pipeline.paths import label
from tests.bad_params import BAD_FILES, BAD_PARAMS, Bad, BadFile, apply, ids, write_bad_file
from tests.helpers import ROOT, replace_setting


def test_committed_params_load() -> None:
    p = load_params(ROOT / "params.yaml")
    assert p.gaussian.n == 1000
    assert p.sgd.step_sizes == (1e-5, 1e-4, 1e-3)
    assert len(p.sgd.runs()) == 9


def as_tuples(value):
    return tuple(as_tuples(v) for v in value) if isinstance(value, list) else value


def test_every_value_of_the_file_reaches_its_section_unchanged() -> None:
    p = load_params(ROOT / "params.yaml")
    for section, body in read_document(ROOT / "params.yaml").items():
        loaded = getattr(p, section)
        for key, value in body.items():
            got = getattr(loaded, key)
            if key == "cov":  # carried as (s11, s12, s22)
                value = [value[0][0], value[0][1], value[1][1]]
            assert got == as_tuples(value), f"{section}.{key}"


def test_what_exp_run_set_writes_is_a_number_as_dvc_reads_it(tmp_path: Path) -> None:
    # `dvc exp run -S 'sgd.step_sizes=[1e-06]'` writes 1e-06: a float in YAML 1.2, as DVC reads it
    path = tmp_path / "params.yaml"
    path.write_text(
        replace_setting(
            (ROOT / "params.yaml").read_text(), "step_sizes: [1.0e-5, 1.0e-4, 1.0e-3]", "step_sizes: [1e-06]"
        )
    )
    p = load_params(path)
    assert p.sgd.step_sizes == (1e-06,)
    assert p.sgd.step_labels == ("1e-06",)


def test_a_string_that_is_a_number_counts_outside_the_matrix(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text(
        replace_setting((ROOT / "params.yaml").read_text(), "tolerance: 1.0e-4", "tolerance: '1e-4'")
    )
    assert load_params(path).ascent.tolerance == 1e-4


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.0e-5, "1e-05"), (1e-4, "0.0001"), (0.001, "0.001"), (1e-06, "1e-06"), (2, "2"), (8, "8")],
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


@pytest.mark.parametrize("bad", BAD_FILES, ids=[b.name for b in BAD_FILES])
def test_loader_refuses_a_file_it_cannot_read_safely_with_one_line(bad: BadFile, tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    write_bad_file(path, bad)
    with pytest.raises(ParamsError) as err:
        load_params(path)
    message = str(err.value)
    assert message.startswith("params.yaml: ") and bad.reason in message, message
    assert "\n" not in message and len(message) < 120


def test_a_value_too_big_to_show_is_cut_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    text = (ROOT / "params.yaml").read_text()
    path.write_text(replace_setting(text, "init_seeds: [1, 2, 3]", f"init_seeds: {list(range(500))}"))
    with pytest.raises(ParamsError) as err:
        load_params(path)
    assert str(err.value).startswith(
        "params.yaml: sgd.init_seeds = [0, 1, 2, 3, 4, 5, ...]: must have 1 to 10 entries"
    )


@pytest.mark.parametrize(
    "spelling",
    ["[1, 2, 010]", "[1, 2, 0o10]", "[1, 2, 0x1F]", "[1, 2, +7]"],
)
def test_the_loader_reads_seeds_as_dvc_does(spelling: str, tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    path = tmp_path / "params.yaml"
    path.write_text(
        replace_setting(
            (ROOT / "params.yaml").read_text(), "init_seeds: [1, 2, 3]", f"init_seeds: {spelling}"
        )
    )
    dvc_reads = YAML(typ="safe").load(path.read_text())["sgd"]["init_seeds"]  # DVC's own reader
    assert load_params(path).sgd.init_seeds == tuple(dvc_reads)
