"""REPORT.html against REPORT.md: the same headings and text, every formula as MathML with its
LaTeX, every figure inside as the bytes of its PNG, no script and nothing to fetch, the same
bytes from the same input; and what the renderer refuses. tests/func/test_report_page.py opens
the page in a browser and prints it."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement

import pytest

from nndl.pipeline.io import OutputError
from nndl.presentation import report_html
from tests.helpers import ROOT
from tests.inprocess import STAND_IN as PNG

MARKDOWN = (ROOT / "REPORT.md").read_text(encoding="utf-8")
PAGE = (ROOT / "REPORT.html").read_text(encoding="utf-8")
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "th", "td", "figure", "div", "pre", "tr"}


class Page(HTMLParser):
    """What a reader of the page gets: its text, each formula as the LaTeX it came from
    ($…$ inline, $$…$$ on its own), each image as its alt text; and its headings, images,
    formulas, elements and attributes, for the checks below."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.plain: list[str] = []  # the text outside formulas
        self.headings: list[tuple[int, str]] = []
        self.maths: list[dict[str, str | None]] = []
        self.images: list[dict[str, str | None]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._math = 0  # depth inside a <math>
        self._heading: list[str] | None = None
        self._in = ""
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if self._math:
            self._math += tag == "math"
            return
        if tag in BLOCKS:
            self.text.append("\n")
        if tag == "math":
            self._math = 1
            self.maths.append(attributes)
            block = attributes.get("display") == "block"
            self._emit(f"$${attributes['alttext']}$$" if block else f"${attributes['alttext']}$")
        elif tag == "img":
            self.images.append(attributes)
            self._emit(attributes.get("alt") or "")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        self._in = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "math":
            self._math = 0

    def handle_endtag(self, tag: str) -> None:
        if self._math:
            self._math -= tag == "math"
            return
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((int(tag[1]), "".join(self._heading)))
            self._heading = None
        if tag in BLOCKS:
            self.text.append("\n")
        self._in = ""

    def handle_data(self, data: str) -> None:
        if self._math:
            return
        if self._in == "style":
            self.styles.append(data)
        elif self._in != "title":
            self.plain.append(data)
            self._emit(data)

    def _emit(self, text: str) -> None:
        self.text.append(text)
        if self._heading is not None:
            self._heading.append(text)

    def words(self) -> list[str]:
        return "".join(self.text).split()


def markdown_words(markdown: str) -> list[str]:
    """The words REPORT.md shows a reader: without its markup (headings' #, list dashes, bold
    stars, code backticks, table rules and pipes), an image as its alt text."""
    lines = [line for line in markdown.splitlines() if not re.fullmatch(r"\|( *-+ *\|)+", line)]
    lines = [line.replace("|", " ") if line.startswith("|") else line for line in lines]  # table rows
    text = "\n".join(re.sub(r"^(#+|-) ", "", line) for line in lines)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("`", "")
    return text.split()


def formulas(markdown: str) -> list[str]:
    """Each $…$ and $$…$$ of REPORT.md, in order (the report has no other dollar sign)."""
    return [
        (display or inline).strip() for display, inline in re.findall(r"\$\$(.+?)\$\$|\$(.+?)\$", markdown)
    ]


@pytest.fixture(scope="module")
def page() -> Page:
    return Page(PAGE)


def test_the_page_has_the_text_of_the_report(page: Page) -> None:
    assert page.words() == markdown_words(MARKDOWN)


def test_the_page_has_the_headings_of_the_report(page: Page) -> None:
    headings = [
        (len(m.group(1)), m.group(2).replace("`", ""))
        for m in re.finditer(r"^(#+) (.*)$", MARKDOWN, flags=re.M)
    ]
    assert len(headings) > 5 and page.headings == headings
    assert re.search(r"<title>NNDL2024 Session 1: solutions and results</title>", PAGE)


def test_every_formula_is_mathml_with_its_latex(page: Page) -> None:
    assert MARKDOWN.count("$") % 2 == 0
    assert [m["alttext"] for m in page.maths] == formulas(MARKDOWN)
    assert len(page.maths) > 100
    assert {m["display"] for m in page.maths} == {"inline", "block"}
    assert not any(tag == "merror" for tag, _ in page.tags)
    assert "$" not in "".join(page.plain)  # no formula left as LaTeX


def test_every_figure_is_inside_as_the_bytes_of_its_png(page: Page) -> None:
    linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", MARKDOWN)
    assert len(linked) == len(page.images) > 5
    for src, image in zip(linked, page.images, strict=True):
        prefix = "data:image/png;base64,"
        assert image["src"] and image["src"].startswith(prefix)
        assert base64.b64decode(image["src"][len(prefix) :]) == (ROOT / src).read_bytes(), src
        assert int(image["width"] or 0) > 0 and int(image["height"] or 0) > 0


def test_the_page_has_no_script_and_refers_to_nothing_outside_itself(page: Page) -> None:
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "iframe", "object", "embed", "link", "base", "form", "frame", "svg"}
    for tag, attributes in page.tags:
        assert not [a for a in attributes if a.startswith("on")], tag
        for name in ("src", "href", "srcset", "action", "poster", "data", "background"):
            value = attributes.get(name)
            if value is not None:
                assert value.startswith(("data:image/png;base64,", "#")), (tag, name, value[:80])
    style = "".join(page.styles)
    assert style and "url(" not in style and "@import" not in style
    assert not re.search(r"https?://", re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", PAGE))
    # and a browser would refuse it anything else
    policy = [a["content"] for tag, a in page.tags if tag == "meta" and a.get("http-equiv")]
    assert policy == [report_html.POLICY] and "default-src 'none'" in report_html.POLICY


def test_the_print_stylesheet_sets_a4_and_keeps_figures_tables_and_headings_whole(page: Page) -> None:
    style = "".join(page.styles)
    assert re.search(r"@page \{[^}]*size: A4", style)
    printed = style.split("@media print", 1)[1]
    assert re.search(r"h1, h2, h3, h4 \{[^}]*break-after: avoid", printed)
    assert re.search(r"figure, table, [^{]*\{[^}]*break-inside: avoid", printed)


def render_in_a_new_process(seed: str) -> bytes:
    code = (
        "import sys; from pathlib import Path; from nndl.presentation import report_html; "
        "sys.stdout.buffer.write(report_html.render(Path('REPORT.md').read_text(encoding='utf-8'))"
        ".encode('utf-8'))"
    )
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True
    ).stdout


def test_the_same_report_gives_the_same_bytes_the_committed_ones() -> None:
    # a new process each, with another hash seed: no set or dict order, no time, no path of
    # this machine reaches the page
    assert render_in_a_new_process("1") == render_in_a_new_process("2") == (ROOT / "REPORT.html").read_bytes()


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("$x^$", r"the formula \$x\^\$ does not convert to MathML \(MissingSuperScriptOrSubscriptError\)"),
        (r"$\left( x$", r"does not convert to MathML"),
        (r"$\foo x$", r"the formula \$\\foo x\$ has a command latex2mathml does not know: \\foo"),
        (r"$\frac{a}$", r"gives an incomplete <mfrac>"),
        ("[DVC](https://dvc.org)", r"a link to https://dvc\.org; REPORT\.html makes no request anywhere"),
        (
            "![f](https://example.org/f.png)",
            r"the image https://example\.org/f\.png is not a PNG of the pipeline's",
        ),
        ("![f](../f.png)", r"is not a PNG of the pipeline's"),
        ("![f](/etc/f.png)", r"is not a PNG of the pipeline's"),
        ("![f](text.png)", r"the figure text\.png is not a PNG file"),
    ],
)
def test_what_would_show_broken_or_fetch_something_stops_the_stage_with_one_line(
    tmp_path: Path, markdown: str, message: str
) -> None:
    (tmp_path / "text.png").write_text("not a PNG")
    with pytest.raises(OutputError, match=message) as err:
        report_html.render(f"# Title\n\n{markdown}\n", tmp_path)
    assert "\n" not in str(err.value)


def test_an_merror_stops_the_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    import latex2mathml.converter

    def with_an_error(latex: str, display: str = "inline") -> Element:
        math = Element("math", {"display": display})
        SubElement(SubElement(math, "mrow"), "merror").text = "?"
        return math

    monkeypatch.setattr(latex2mathml.converter, "convert_to_element", with_an_error)
    with pytest.raises(OutputError, match=r"the formula \$x\$ converts to an <merror>"):
        report_html.mathml("x", display=False)


def test_a_figure_not_drawn_yet_is_named_for_the_stage_start_up(tmp_path: Path) -> None:
    # run_stage turns it into "plots/x.png does not exist yet: `dvc repro report` makes it first"
    with pytest.raises(FileNotFoundError) as err:
        report_html.render("# Title\n\n![x](plots/x.png)\n", tmp_path)
    assert err.value.filename == str(tmp_path / "plots/x.png")


def test_a_report_without_a_title_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="no title"):
        report_html.render("Some text.\n", tmp_path)


def test_a_figure_alone_is_a_figure_a_bold_paragraph_a_lead_and_raw_html_text(tmp_path: Path) -> None:
    (tmp_path / "f.png").write_bytes(PNG)
    markdown = "# T\n\n**(f) A lead.**\n\n![a figure](f.png)\n\n<script>alert(1)</script> <b>x</b>\n"
    page = report_html.render(markdown, tmp_path)
    assert '<p class="lead"><strong>(f) A lead.</strong></p>' in page
    assert f'<figure><img src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in page
    assert 'alt="a figure" width="1" height="1"' in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("latex", "expected", "unexpected"),
    [
        # a named function: a thin space next to a letter, none before a parenthesis
        (r"\dim \ker \mathbf{M}", '<mi>dim</mi><mspace width="0.1667em" /><mi>ker</mi><mspace', "<mi>dimker"),
        (
            r"N\log 2\pi",
            '<mi>N</mi><mspace width="0.1667em" /><mi>log</mi><mspace width="0.1667em" /><mn>2',
            "",
        ),
        (
            r"\exp(-x)",
            '<mi>exp</mi><mo stretchy="false">(</mo><mo stretchy="false" lspace="0" rspace="0">−',
            "mspace",
        ),
        # a sign after an opening parenthesis is unary; after a number, binary
        (
            "(-1, 1 - x)",
            '(</mo><mo stretchy="false" lspace="0" rspace="0">−</mo><mn>1',
            '<mn>1</mn><mo stretchy="false" lspace',
        ),
        # a delimiter keeps its size; \big asks for one
        (
            r"\lVert \hat{\mathbf{P}} \rVert",
            '<mo stretchy="false" lspace="0" rspace="0">‖',
            'stretchy="true"',
        ),
        (r"g\big(x\big)", 'maxsize="1.2em"', '<mo minsize="1.2em" maxsize="1.2em" stretchy="false"'),
        # a prime at full size after its base, not as a superscript
        ("g'(x)", '<mrow><mi>g</mi><mo lspace="0" rspace="0">′</mo></mrow>', "<msup>"),
        # the LaTeX, escaped, for a reader that shows no MathML and for copying
        ("x < 1", '<math display="inline" alttext="x &lt; 1">', "xmlns"),
    ],
)
def test_formulas_are_spaced_as_tex_spaces_them(latex: str, expected: str, unexpected: str) -> None:
    math = report_html.mathml(latex, display=False)
    assert expected in math
    assert not unexpected or unexpected not in math
