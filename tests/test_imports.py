"""Each stage imports only the heavy libraries it uses: torch costs close to two seconds,
scipy and matplotlib most of one, numpy a tenth, and every stage run pays its imports."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

HEAVY = {"numpy", "scipy", "matplotlib", "torch"}
NEEDS = {
    "validate": set(),
    "samples": {"numpy", "scipy"},
    "sgd_fit": set(),
    "sgd_summary": set(),  # matplotlib only when a figure must be drawn (nndl.memo)
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


# Modules a stage imports that cannot change its outputs: the loader (its verdict is
# data/params.ok, a dependency of the first stages) and the program start-up around it.
NOT_OUTPUT_DEPS = {"nndl/params.py", "nndl/cli.py"}
# validate only checks params.yaml; report formats numbers and pins nothing it needs
UNPINNED = {"validate", "report"}


def package_imports(path: Path, seen: set[str] | None = None) -> set[str]:
    """The nndl/*.py files that path imports, directly or through each other."""
    seen = set() if seen is None else seen
    for node in ast.walk(ast.parse(path.read_text())):
        modules = []
        if isinstance(node, ast.ImportFrom) and node.module == "nndl":
            modules = [f"nndl.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nndl."):
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names if a.name.startswith("nndl.")]
        for module in modules:
            rel = module.replace(".", "/") + ".py"
            if rel not in seen and (ROOT / rel).is_file():
                seen.add(rel)
                package_imports(ROOT / rel, seen)
    return seen


STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]


@pytest.mark.parametrize("stage", STAGES)
def test_stage_lists_its_script_and_every_module_it_imports_in_deps(stage: str) -> None:
    script = f"stages/{stage}.py"
    code = {d for d in STAGES[stage]["deps"] if d.endswith(".py")}
    templates = {d for d in STAGES[stage]["deps"] if d.startswith("nndl/templates/")}
    rendered = set(re.findall(r'prose\.render\(\s*"([^"]+)"', (ROOT / script).read_text()))
    assert templates == {f"nndl/templates/{name}" for name in rendered}
    imported = package_imports(ROOT / script) - NOT_OUTPUT_DEPS
    if stage not in UNPINNED:
        imported |= {"stages/__init__.py", "nndl/dispatch.py"}
    if stage == "validate":  # its output is the loader's verdict
        imported |= {"nndl/params.py"}
    assert code == imported | {script}
