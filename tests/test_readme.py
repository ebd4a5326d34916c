"""The README's statements that follow from dvc.yaml, derived here and compared."""

from __future__ import annotations

import re

import yaml

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# a foreach stage's definition is under `do`
STAGES = {n: s.get("do", s) for n, s in yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"].items()}


def outputs(stage: dict) -> list[str]:
    return [
        o if isinstance(o, str) else next(iter(o)) for o in stage.get("outs", []) + stage.get("metrics", [])
    ]


def downstream(name: str) -> set[str]:
    """The stages with a dependency on one of name's outputs (a file in it, or a folder around it)."""
    mine = [p.split("/${")[0] for p in outputs(STAGES[name])]
    return {
        other
        for other, stage in STAGES.items()
        if other != name
        and any(d == p or d.startswith(p + "/") or p.startswith(d + "/") for d in stage["deps"] for p in mine)
    }


def reruns(section: str) -> list[str]:
    """The stages that read a key of section, and everything downstream of them, in dvc.yaml's order."""
    found = {
        name
        for name, stage in STAGES.items()
        if any(p.split(".")[0] == section for p in stage.get("params", []))
    }
    todo = list(found)
    while todo:
        for other in downstream(todo.pop()) - found:
            found.add(other)
            todo.append(other)
    return [name for name in STAGES if name in found]


def test_the_params_table_names_what_each_section_reruns() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \| .* \| ((?:`[a-z_@…]+`(?:, )?)+) \|$", README, flags=re.M)
    table = {section: [s.strip("`").removesuffix("@…") for s in cell.split(", ")] for section, cell in rows}
    sections = {p.split(".")[0] for stage in STAGES.values() for p in stage.get("params", [])}
    assert set(table) == sections
    for section, listed in table.items():
        assert listed == reruns(section), section


def test_the_readme_is_short_and_links_every_doc() -> None:
    assert len(README.splitlines()) <= 200
    docs = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert docs and all(f"(docs/{name})" in README for name in docs)


def test_the_readme_has_no_timings_of_internals() -> None:
    assert not re.search(r"\d\s?ms\b", README)


def test_the_readme_says_where_the_results_are_right_after_the_quickstart() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    for place in ("REPORT.md", "metrics/", "plots/", "dvc plots show"):
        assert place in quickstart, place
