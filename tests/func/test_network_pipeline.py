"""The network stage as a user drives it, in a temporary copy of the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import changed, reproduce, set_params, snapshot

pytestmark = pytest.mark.func


@pytest.mark.parametrize(
    ("old", "new", "report_changes"),
    [
        ("weight_seeds: [1, 2, 3]", "weight_seeds: [1, 2, 4]", True),  # the report names the seeds
        # the report says what the linear networks' curves show: now there are none
        ("activations: [tanh, relu, linear]", "activations: [tanh, relu]", True),
    ],
    ids=["one weight seed", "one activation"],
)
def test_network_change_reruns_the_network_stage_and_the_report_only(
    repo: Path, old: str, new: str, report_changes: bool
) -> None:
    before = snapshot(repo)
    set_params(repo, old, new)
    # the report shows the figure, so it re-runs whenever the figure changes: REPORT.html holds it
    assert sorted(reproduce(repo)) == ["network", "network_figures", "report", "validate"]
    outside = {
        p for p in changed(before, snapshot(repo)) if not p.startswith(("data/network/", "plots/network"))
    }
    assert outside == {"dvc.lock", "params.yaml", "REPORT.html"} | (
        {"REPORT.md"} if report_changes else set()
    )


def test_a_figure_only_change_rerenders_the_figure_without_torch(repo: Path) -> None:
    before = snapshot(repo)
    set_params(repo, "network_figures:\n  dpi: 100\n", "network_figures:\n  dpi: 80\n")
    # the report shows the figure, so it re-runs too: the same REPORT.md, the new figure in REPORT.html
    assert sorted(reproduce(repo)) == ["network_figures", "report", "validate"]
    assert changed(before, snapshot(repo)) == {"params.yaml", "dvc.lock", "plots/network.png", "REPORT.html"}
