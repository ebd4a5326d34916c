"""The theory stages as a user drives them: a change to the sweep or to the stationary chains
re-runs those and the report, never the nine fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import changed, reproduce, set_params, snapshot

pytestmark = pytest.mark.func


def test_changing_the_sweep_grid_reruns_the_sweep_its_figure_and_the_report_only(repo: Path) -> None:
    before = snapshot(repo)
    set_params(repo, "  steps_per_decade: 4\n", "  steps_per_decade: 2\n")
    assert sorted(reproduce(repo)) == ["report", "sgd_sweep", "sgd_sweep_figures", "validate"]
    assert changed(before, snapshot(repo)) == {
        "params.yaml",
        "dvc.lock",
        "data/sgd_sweep.json",
        "metrics/sgd_sweep.json",
        "plots/sgd_sweep.csv",
        "plots/sgd_sweep.png",
        "REPORT.md",
        "REPORT.html",
    }


def test_changing_the_stationary_chains_reruns_them_and_the_report_only(repo: Path) -> None:
    set_params(repo, "  burn_in: 30000\n", "  burn_in: 20000\n")
    assert sorted(reproduce(repo)) == ["report", "sgd_stationary", "sgd_stationary_summary", "validate"]
