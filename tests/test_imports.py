"""Each stage imports only the heavy libraries it uses (torch costs close to two seconds, scipy
and matplotlib most of one, numpy a tenth, and every stage run pays its imports), and lists in
dvc.yaml every file of code it runs, so that DVC re-runs it when one changes."""

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
    "sgd_sweep": {"numpy"},
    "sgd_stationary": {"numpy"},  # scipy only when it solves the Lyapunov equation
    "ascent": {"numpy"},
    "network": {"numpy", "torch"},  # torch needs numpy; the figure is network_figures
    "sgd_summary": set(),
    "sgd_figures": {"numpy", "matplotlib"},
    "sgd_sweep_figures": {"numpy", "matplotlib"},
    "sgd_stationary_summary": set(),
    "ascent_figures": {"numpy", "matplotlib"},
    "network_figures": {"numpy", "matplotlib"},
    "report": set(),
}
# a foreach stage's definition is under `do`
STAGES = {n: s.get("do", s) for n, s in yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"].items()}


def test_every_stage_is_listed_here() -> None:
    assert set(NEEDS) == set(STAGES)


@pytest.mark.parametrize("stage", NEEDS)
def test_stage_imports_only_the_heavy_libraries_it_needs(stage: str) -> None:
    code = f"import sys, stages.{stage}; print(' '.join(sorted(set({sorted(HEAVY)!r}) & set(sys.modules))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert set(out.stdout.split()) == NEEDS[stage]


# What a stage imports that cannot change its outputs: the loader (its verdict is
# data/params.ok, a dependency of the first stages) and the program start-up around it.
NOT_OUTPUT_DEPS = {"nndl/pipeline/params.py", "nndl/pipeline/startup.py"}
PINS = {"stages/__init__.py", "stages/pinned.sh", "nndl/pipeline/pins.py", "nndl/pipeline/pins.env"}
# validate only checks params.yaml; the report formats numbers the other stages computed
UNPINNED = {"validate", "report"}


def module_file(module: str) -> str | None:
    """nndl/a/b.py for nndl.a.b, if it is a module of the project (not a package's __init__)."""
    rel = module.replace(".", "/") + ".py"
    return rel if (ROOT / rel).is_file() else None


def package_imports(path: Path, seen: set[str] | None = None) -> set[str]:
    """The nndl/**.py files that path imports, directly or through each other."""
    seen = set() if seen is None else seen
    for node in ast.walk(ast.parse(path.read_text())):
        modules = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "nndl":
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names if a.name.startswith("nndl.")]
        for rel in filter(None, map(module_file, modules)):
            if rel not in seen:
                seen.add(rel)
                package_imports(ROOT / rel, seen)
    return seen


@pytest.mark.parametrize("stage", STAGES)
def test_stage_lists_its_script_and_every_module_it_imports_in_deps(stage: str) -> None:
    script = f"stages/{stage}.py"
    deps = set(STAGES[stage]["deps"])
    code = {d for d in deps if d.endswith((".py", ".sh", ".env"))}
    imported = package_imports(ROOT / script)
    templates = {d for d in deps if d.startswith("nndl/presentation/templates/")}
    rendered = {
        f"nndl/presentation/templates/{name}"
        for rel in imported
        for name in re.findall(r'prose\.render\(\s*"([^"]+)"', (ROOT / rel).read_text())
    }
    assert templates == rendered
    expected = imported - NOT_OUTPUT_DEPS | {script}
    if stage not in UNPINNED:
        expected |= PINS
    if stage == "validate":  # its output is the loader's verdict
        expected |= {"nndl/pipeline/params.py"}
    assert code == expected


def test_compute_stages_write_only_data_and_presentation_stages_only_the_rest() -> None:
    for name, stage in STAGES.items():
        outs = [next(iter(o)) if isinstance(o, dict) else o for o in stage.get("outs", [])]
        outs += [next(iter(o)) for o in stage.get("metrics", [])]
        if all(o.startswith("data/") for o in outs):  # compute: DVC-cached, so run-cached
            assert all(isinstance(o, str) for o in stage["outs"]), name
        else:  # presentation: git-tracked, kept when a run fails
            assert not any(o.startswith("data/") for o in outs), name
            for o in stage.get("outs", []) + stage.get("metrics", []):
                assert next(iter(o.values())) == {"cache": False, "persist": True}, name


def test_every_stage_starts_through_the_launcher_with_a_plain_python() -> None:
    for name, stage in STAGES.items():
        assert stage["cmd"].startswith(f"sh stages/pinned.sh python -m stages.{name}"), name
