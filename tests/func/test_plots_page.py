"""`dvc plots show` and `dvc plots diff` give a page on which every chart renders with no
network: opened in headless Chromium with every connection refused, the page's own
self-check (#nndl-render-status, .dvc/plots/page.html) counts one rendered Vega view per
chart plot of dvc.yaml, each with drawn marks, no script error, and every figure loaded and
within a window 1366 px wide, one per revision. The `chromium` fixture is in
tests/func/conftest.py."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from nndl.pipeline import plots_page
from tests.helpers import ROOT
from tests.helpers import dvc as run_dvc

pytestmark = pytest.mark.func


def render_status(dom: str) -> dict:
    m = re.search(r'<pre id="nndl-render-status"[^>]*>([^<]*)</pre>', dom)
    assert m and m.group(1), "the page's self-check never ran: a script failed to load"
    return json.loads(html.unescape(m.group(1)))


def chart_plots(repo: Path, *args: str) -> int:
    shown = json.loads(run_dvc(repo, "plots", *args, "--json").stdout)
    return sum(1 for plots in shown["data"].values() for p in plots if p["type"] == "vega")


@pytest.mark.parametrize("args", [("show",), ("diff", "HEAD~1")], ids=["plots show", "plots diff HEAD~1"])
def test_every_chart_renders_offline_with_marks_and_no_script_error(
    repo: Path, chromium, args: tuple[str, ...], tmp_path: Path
) -> None:
    run_dvc(repo, "plots", *args, "-o", "page")
    page = repo / "page/index.html"
    assert "cdn.jsdelivr" not in page.read_text(encoding="utf-8")
    status = render_status(chromium(page, "--window-size=1366,900", "--dump-dom"))
    assert status["errors"] == []
    assert len(status["charts"]) == chart_plots(repo, *args) == 4
    assert all(chart["marks"] > 0 and not chart.get("failed") for chart in status["charts"]), status
    # every figure loads, each revision's beside the other's, within a 1366-px window
    revisions = len(args)
    assert len(status["images"]) == revisions * len(list((repo / "plots").rglob("*.png")))
    assert all(image["loaded"] and image["right"] <= status["width"] for image in status["images"]), status
    chromium(page, "--window-size=1366,3000", f"--screenshot={tmp_path / 'plots.png'}")
    assert (tmp_path / "plots.png").stat().st_size > 10_000


def test_a_corrupt_vendored_script_is_caught_before_it_makes_a_blank_page(tmp_path: Path) -> None:
    for rel in (plots_page.TEMPLATE, *(plots_page.VENDOR / name for _, name, _ in plots_page.SCRIPTS)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    assert plots_page.build(tmp_path) == (ROOT / plots_page.PAGE).read_text(encoding="utf-8")
    script = tmp_path / plots_page.VENDOR / plots_page.SCRIPTS[0][1]
    script.write_bytes(script.read_bytes()[:-10])
    with pytest.raises(plots_page.VendorError, match="not the pinned file"):
        plots_page.build(tmp_path)
    script.unlink()
    with pytest.raises(plots_page.VendorError, match="missing"):
        plots_page.build(tmp_path)


def test_the_committed_page_is_the_one_dvc_is_told_to_use_and_what_the_vendored_files_build() -> None:
    config = (ROOT / ".dvc/config").read_text(encoding="utf-8")
    assert re.search(r"^\s*html_template = plots/page.html$", config, flags=re.M)
    assert (ROOT / plots_page.PAGE).read_text(encoding="utf-8") == plots_page.build(ROOT)
    assert "{plot_divs}" in plots_page.build(ROOT) and "{scripts}" not in plots_page.build(ROOT)
