"""REPORT.html in headless Chromium with every connection refused: every formula laid out with a
box of its own and no <merror>, every figure decoded, and no request from the page, seen from
the browser's side (its own resource timing, and Chromium's net log); and `make pdf`, which
prints it on A4 with the report's title on the first page.

The page has no script of its own, so the test opens a copy with a checker script in it, and
without the page's Content-Security-Policy, so that what the page itself refers to, not the
policy, decides what it loads. The net log would show such a load: a page of the test's own
that loads an image from a host shows that it does."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nndl.presentation import report_html
from tests.func.conftest import require
from tests.helpers import ROOT

pytestmark = pytest.mark.func

TITLE = "NNDL2024 Session 1: solutions and results"

# Written into the copy's <head>: what the browser laid out and loaded, once the page and its
# images have loaded, as JSON in <pre id="nndl-report-status"> for --dump-dom to print.
CHECKER = """
(() => {
  const violations = [];
  document.addEventListener("securitypolicyviolation", (e) => violations.push(e.blockedURI));
  window.addEventListener("load", () => {
    const box = (e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; };
    const maths = [...document.getElementsByTagName("math")];
    const status = {
      maths: maths.map((m) => ({ latex: m.getAttribute("alttext"), box: box(m) })),
      mathml: maths.every((m) => m.namespaceURI === "http://www.w3.org/1998/Math/MathML"),
      merrors: document.getElementsByTagName("merror").length,
      images: [...document.images].map((i) => ({
        complete: i.complete, width: i.naturalWidth, height: i.naturalHeight, box: box(i),
      })),
      resources: performance.getEntriesByType("resource").map((r) => r.name),
      violations,
    };
    const pre = document.createElement("pre");
    pre.id = "nndl-report-status";
    pre.textContent = JSON.stringify(status);
    document.body.append(pre);
  });
})();
"""


def checked_copy(folder: Path) -> Path:
    """REPORT.html with the checker in place of its Content-Security-Policy."""
    page = (ROOT / "REPORT.html").read_text(encoding="utf-8")
    policy = f'<meta http-equiv="Content-Security-Policy" content="{report_html.POLICY}">\n'
    assert page.count(policy) == 1 and "<script" not in page
    copy = folder / "checked.html"
    copy.write_text(page.replace(policy, f"<script>{CHECKER}</script>\n"), encoding="utf-8")
    return copy


def status(dom: str) -> dict:
    m = re.search(r'<pre id="nndl-report-status">([^<]*)</pre>', dom)
    assert m, "the checker never ran"
    return json.loads(html.unescape(m.group(1)))


def page_requests(net_log: Path) -> list[str]:
    """The URLs requested by a page, from Chromium's net log. The browser's own requests (its
    clock, its account check: refused here like any other) have no initiator, "not an origin";
    a file:// page's have "null"."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start
        and "url" in event.get("params", {})
        and event["params"].get("initiator") != "not an origin"
    ]


def test_every_formula_and_figure_renders_offline_and_the_page_requests_nothing(
    chromium, tmp_path: Path
) -> None:
    net_log = tmp_path / "net-log.json"
    dom = chromium(checked_copy(tmp_path), "--window-size=1000,800", f"--log-net-log={net_log}", "--dump-dom")
    seen = status(dom)
    page = (ROOT / "REPORT.html").read_text(encoding="utf-8")
    # every formula of the file, each laid out as MathML with a box of non-zero size
    assert len(seen["maths"]) == page.count("<math ") > 100
    assert seen["mathml"] and seen["merrors"] == 0
    empty = [m["latex"] for m in seen["maths"] if not (m["box"][0] > 0 and m["box"][1] > 0)]
    assert empty == []
    # every figure decoded and shown
    figures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (ROOT / "REPORT.md").read_text(encoding="utf-8"))
    assert len(seen["images"]) == len(figures) > 5
    for image in seen["images"]:
        assert image["complete"] and image["width"] > 0 and image["height"] > 0, image
        assert image["box"][0] > 0 and image["box"][1] > 0, image
    # nothing fetched: not by the page (resource timing), not at all (the net log)
    assert seen["resources"] == [] and seen["violations"] == []
    assert page_requests(net_log) == []


def test_the_net_log_shows_a_request_that_a_page_makes(chromium, tmp_path: Path) -> None:
    page = tmp_path / "fetches.html"
    page.write_text('<!DOCTYPE html><img src="http://example.invalid/figure.png">', encoding="utf-8")
    net_log = tmp_path / "net-log.json"
    chromium(page, f"--log-net-log={net_log}", "--dump-dom")
    assert page_requests(net_log) == ["http://example.invalid/figure.png"]


def make_pdf(folder: Path, *variables: str) -> subprocess.CompletedProcess[str]:
    """`make pdf` in folder, which holds a copy of the Makefile and of REPORT.html."""
    for name in ("Makefile", "REPORT.html"):
        if not (folder / name).exists():
            shutil.copy(ROOT / name, folder / name)
    # as from a shell: under `make test`, MAKELEVEL would make it a sub-make ("make[1]: ...")
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MFLAGS")}
    env |= {"MAKEFLAGS": "", "HOME": str(folder)}
    return subprocess.run(
        ["make", "--no-print-directory", "pdf", *variables],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_pdf_prints_the_report_on_a4_with_its_title_on_the_first_page(
    tmp_path: Path, poppler: dict[str, str]
) -> None:
    require("chromium", "chromium")
    proc = make_pdf(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["REPORT.pdf: REPORT.html printed"]
    pdf = tmp_path / "REPORT.pdf"
    info = subprocess.run([poppler["pdfinfo"], pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, flags=re.M).group(1))
    # 11 figures, each at most half a page, tables and two pages of solutions: 12 pages today
    assert 8 <= pages <= 24, info
    assert re.search(r"^Page size:\s+594\.\d+ x 841\.\d+ pts \(A4\)$", info, flags=re.M), info

    def text(*pages: str) -> str:
        return subprocess.run(
            [poppler["pdftotext"], *pages, pdf, "-"], capture_output=True, text=True, check=True
        ).stdout

    assert text("-f", "1", "-l", "1").lstrip().startswith(TITLE)
    # every heading, in order, and no formula left as LaTeX
    whole = " ".join(text().split())
    at = 0
    for heading in re.findall(r"^#+ (.*)$", (ROOT / "REPORT.md").read_text(encoding="utf-8"), flags=re.M):
        at = whole.index(heading.replace("`", ""), at)
    assert "$" not in whole and "\\math" not in whole


def test_make_pdf_without_chromium_says_how_to_install_it_in_one_line(tmp_path: Path) -> None:
    proc = make_pdf(tmp_path, "CHROMIUM=nndl-no-such-chromium")
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if not line.startswith("make: ***")]
    assert len(errors) == 1 and "apt-get install chromium" in errors[0], proc.stderr
    assert not (tmp_path / "REPORT.pdf").exists()


def test_a_failed_print_leaves_the_last_pdf_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "REPORT.pdf").write_bytes(b"%PDF- the last one")
    proc = make_pdf(tmp_path, "CHROMIUM=false")  # a browser that prints nothing
    assert proc.returncode != 0
    assert "make pdf: Chromium wrote no PDF" in proc.stderr
    assert (tmp_path / "REPORT.pdf").read_bytes() == b"%PDF- the last one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Makefile", "REPORT.html", "REPORT.pdf"]
