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
    code = {d for d in STAGES[stage]["deps"] if d.endswith((".py", ".sh"))}
    templates = {d for d in STAGES[stage]["deps"] if d.startswith("nndl/templates/")}
    rendered = set(re.findall(r'prose\.render\(\s*"([^"]+)"', (ROOT / script).read_text()))
    assert templates == {f"nndl/templates/{name}" for name in rendered}
    imported = package_imports(ROOT / script) - NOT_OUTPUT_DEPS
    if stage not in UNPINNED:
        imported |= {"stages/__init__.py", "stages/pinned.sh", "nndl/dispatch.py"}
    if stage == "validate":  # its output is the loader's verdict
        imported |= {"nndl/params.py"}
    assert code == imported | {script}


DRAWING_CODE = """
import sys
started = set(sys.modules)  # what site imported at start-up, before any figure code
import importlib.metadata, io, json, sysconfig
from nndl.plotting import save_png, subplots
fig, ax = subplots(figsize=(2, 2))
ax.plot([0, 1], [1, 0], label="a")
ax.contour([[0.0, 1.0], [1.0, 0.0]])
ax.legend()
fig.tight_layout()
fig.savefig(io.BytesIO(), format="png")
import matplotlib.pyplot  # network_figures draws with pyplot
site = sysconfig.get_paths()["purelib"]
files = {m: getattr(mod, "__file__", None) or "" for m, mod in list(sys.modules.items()) if m not in started}
tops = {m.split(".")[0] for m, f in files.items() if f.startswith(site)}
owners = importlib.metadata.packages_distributions()
print(json.dumps(sorted({d for top in tops for d in owners.get(top, [top])})))
"""


def test_the_bytecode_compiled_for_python_OO_covers_every_library_a_figure_imports() -> None:
    import json

    from nndl.bytecode import ROOT_DISTRIBUTION, requirement_closure

    out = subprocess.run(
        [sys.executable, "-OO", "-c", DRAWING_CODE], capture_output=True, text=True, check=True, cwd=ROOT
    )
    imported = {name.lower().replace("_", "-") for name in json.loads(out.stdout)}
    closure = {d.metadata["Name"].lower().replace("_", "-") for d in requirement_closure(ROOT_DISTRIBUTION)}
    assert ROOT_DISTRIBUTION in imported
    assert imported <= closure


def test_the_stages_that_draw_and_only_they_run_without_docstrings() -> None:
    draws = {s for s, libs in NEEDS.items() if "matplotlib" in libs} | {"sgd_summary"}
    launch = "sh stages/pinned.sh python "
    assert {s for s, spec in STAGES.items() if spec["cmd"].startswith(f"{launch}-OO -m ")} == draws
    assert all(spec["cmd"].startswith((f"{launch}-m ", f"{launch}-OO -m ")) for spec in STAGES.values())
