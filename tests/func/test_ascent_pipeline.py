"""The ascent stages as a user drives them, in a temporary copy of the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import changed, reproduce, set_params, snapshot

pytestmark = pytest.mark.func


def test_changing_a_figure_param_rerenders_figures_only(repo: Path) -> None:
    before = snapshot(repo)
    set_params(repo, "  levels: 20\n", "  levels: 12\n")
    # the report shows the figures, so it re-runs too: the same REPORT.md, the new figures in
    # REPORT.html
    assert sorted(reproduce(repo)) == ["ascent_figures", "report", "validate"]
    assert {p for p in changed(before, snapshot(repo)) if not p.startswith("plots/ascent/")} == {
        "dvc.lock",
        "params.yaml",
        "REPORT.html",
    }


def test_changing_the_tolerance_reruns_the_search_but_not_the_gaussian_stages(repo: Path) -> None:
    set_params(repo, "tolerance: 1.0e-4", "tolerance: 1.0e-6")
    ran = reproduce(repo)
    assert ran[:2] == ["validate", "ascent"]
    assert set(ran) <= {"validate", "ascent", "ascent_figures", "report"}
