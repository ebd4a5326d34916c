"""Each stage imports only the heavy libraries it uses: torch costs close to two seconds,
scipy and matplotlib most of one, numpy a tenth, and every stage run pays its imports."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

HEAVY = {"numpy", "scipy", "matplotlib", "torch"}
NEEDS = {
    "validate": set(),
    "samples": {"numpy", "scipy"},
    "sgd_fit": set(),
    "sgd_summary": {"numpy", "matplotlib"},  # matplotlib needs numpy
    "sgd_sweep": {"numpy"},
    "sgd_stationary": {"numpy"},  # scipy only when it solves the Lyapunov equation
    "sgd_sweep_figures": {"numpy", "matplotlib"},
    "ascent": {"numpy"},
    "ascent_figures": {"numpy", "matplotlib"},
    "network": {"numpy", "torch"},  # torch needs numpy; the figure is network_figures
    "network_figures": {"numpy", "matplotlib"},
    "report": set(),
}


@pytest.mark.parametrize("stage", NEEDS)
def test_stage_imports_only_the_heavy_libraries_it_needs(stage: str) -> None:
    code = f"import sys, stages.{stage}; print(' '.join(sorted(set({sorted(HEAVY)!r}) & set(sys.modules))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert set(out.stdout.split()) == NEEDS[stage]
