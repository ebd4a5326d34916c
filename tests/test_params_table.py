"""The table of malformed params.yaml files (at least 25, every section), refused the way a
user meets them: `python -m stages.validate` (what `make repro` and the validate stage run)
exits 2 with one line on stderr naming the key and the value. The loader's own test
(test_params) takes every row; the program, whose one-line exit is the same for any row,
takes the representative ones and every file it cannot read safely."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.bad_params import BAD_FILES, BAD_PARAMS, Bad, BadFile, apply, representative, write_bad_file
from tests.helpers import ROOT, bare_env


def test_the_table_spans_every_section_and_has_at_least_25_variants() -> None:
    assert len(BAD_PARAMS) >= 25
    sections = {b.key.split(".")[0].split("[")[0] for b in BAD_PARAMS}
    assert sections >= {
        "gaussian",
        "sgd",
        "sgd_figures",
        "sgd_sweep",
        "sgd_stationary",
        "ascent",
        "ascent_figures",
        "network",
        "network_figures",
    }


def validate_in(folder: Path) -> subprocess.CompletedProcess[str]:
    """`python -m stages.validate` with folder/params.yaml, as the validate stage runs it."""
    return subprocess.run(
        [sys.executable, "-m", "stages.validate"],
        cwd=folder,
        env=bare_env(PYTHONPATH=str(ROOT), PATH=""),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("bad", representative(), ids=lambda b: f"{b.key}:{b.new.strip()[:30]}")
def test_validate_refuses_with_one_line_naming_key_and_value(bad: Bad, tmp_path: Path) -> None:
    (tmp_path / "params.yaml").write_text(apply((ROOT / "params.yaml").read_text(), bad))
    proc = validate_in(tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"error: params.yaml: {bad.key}"), lines[0]
    assert bad.reason in lines[0]
    assert not (tmp_path / "data").exists()  # nothing written


@pytest.mark.parametrize("bad", BAD_FILES, ids=[b.name for b in BAD_FILES])
def test_validate_refuses_a_file_it_cannot_read_safely_with_one_line(bad: BadFile, tmp_path: Path) -> None:
    write_bad_file(tmp_path / "params.yaml", bad)
    proc = validate_in(tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [proc.stderr.strip()] and bad.reason in proc.stderr, proc.stderr
    assert not (tmp_path / "data").exists()
