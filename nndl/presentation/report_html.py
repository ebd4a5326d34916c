"""REPORT.html: REPORT.md as one self-contained page, to read offline and to print to PDF.

The same text as REPORT.md, parsed as GitHub shows it (CommonMark and its tables) by
markdown-it-py; `$…$` and `$$…$$` found by mdit-py-plugins' dollarmath and converted to MathML
by latex2mathml, which the browser lays out itself (with the spacing TeX gives where
latex2mathml leaves it to the browser's defaults); every figure embedded as a
`data:image/png;base64,…` URI. The page has no script, and its Content-Security-Policy forbids
it any request but those data URIs: the file is the whole submission. The print stylesheet
sets A4 pages and keeps figures, tables and display math whole, each heading with what follows.

A formula latex2mathml cannot convert, or converts to something other than MathML (an
`<merror>`, a command it passes through as text, a fraction without its two parts), a figure
that is not a PNG beside the report, and a link to anywhere but the page itself stop the stage
with one line: a report that would show them broken is not written. Same input, same bytes:
the page is a pipeline output.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, tostring

from nndl.pipeline.io import OutputError

if TYPE_CHECKING:
    from markdown_it.rules_core import StateCore

# What the page may load: its images from data: URIs and its own <style>; nothing else, no
# script, no request to any host (a browser enforces this, whatever the markdown holds).
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# MathML elements that take a fixed number of children: one missing is a formula half converted
ARITY = {
    "mfrac": 2,
    "msub": 2,
    "msup": 2,
    "msubsup": 3,
    "mroot": 2,
    "munder": 2,
    "mover": 2,
    "munderover": 3,
}
# How TeX spaces what latex2mathml leaves to the browser's defaults (_set_as_tex)
ROWS = {"math", "mrow", "mstyle", "mtd", "msqrt", "mpadded", "mphantom", "menclose"}
SCRIPTS = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
CLOSING = {")", "]", "}", "⟩", "⌉", "⌋", "|", "‖"}  # after these, as after a letter, − is binary
LARGE = {"∑", "∏", "∫", "⋃", "⋂"}
SIGNS = {"−", "+", "±", "∓"}
ORDINARY = {"/", "∂", "∇", "|", "‖"}  # latex2mathml's <mo> of what TeX sets as a letter
THIN = "0.1667em"

STYLE = """\
:root { color-scheme: light; }
body {
  max-width: 48em;
  margin: 2em auto;
  padding: 0 1em;
  font-family: "Latin Modern Roman", "STIX Two Text", "DejaVu Serif", serif;
  font-size: 11pt;
  line-height: 1.45;
  color: #111;
  background: #fff;
}
math { font-family: "Latin Modern Math", "STIX Two Math", "DejaVu Math TeX Gyre", math; }
math[display="block"] { margin: 0.6em 0; overflow-x: auto; overflow-y: hidden; }
h1, h2, h3, h4 { line-height: 1.2; margin: 1.4em 0 0.5em; }
h1 { font-size: 1.6em; margin-top: 0; }
h2 { font-size: 1.35em; border-bottom: 1px solid #bbb; padding-bottom: 0.15em; }
h3 { font-size: 1.12em; }
p, ul, ol { margin: 0.55em 0; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.88em; }
figure { margin: 0.9em 0; text-align: center; }
figure img { display: block; margin: 0 auto; width: auto; height: auto; max-width: 100%; max-height: 90vh; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.55em; text-align: left; vertical-align: top; }
th { background: #eee; }
tbody tr:nth-child(even) { background: #f7f7f7; }
@page { size: A4; margin: 17mm 16mm 18mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  /* a page holds two figures with their text; none is split, none leaves most of a page empty */
  figure img { max-height: 11.5cm; }
  h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
  figure, table, tr, img, .math.block, li { break-inside: avoid; }
  /* the sentence that introduces a table, a figure or a formula stays with it, as a bold
     paragraph that heads what follows does */
  p:has(+ table), p:has(+ figure), p:has(+ .math.block), p.lead { break-after: avoid; }
  p { orphans: 3; widows: 3; }
  th, tbody tr:nth-child(even) { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{style}</style>
</head>
<body>
{body}</body>
</html>
"""


def mathml(latex: str, display: bool) -> str:
    """The MathML of one formula, with its LaTeX as alttext; an OutputError if latex2mathml
    raises on it or leaves any part of it unconverted."""
    from latex2mathml.converter import convert_to_element

    where = f"REPORT.md: the formula ${latex}$"
    try:
        root = convert_to_element(latex, display="block" if display else "inline")
    except Exception as err:  # latex2mathml's exceptions share no base class of their own
        raise OutputError(f"{where} does not convert to MathML ({type(err).__name__})") from None
    for element in root.iter():
        # latex2mathml keeps symbols as character references in the text and unescapes its
        # serialisation; taken as characters here, the text is escaped once, by tostring
        element.text = html.unescape(element.text) if element.text else element.text
        if element.tag == "merror":
            raise OutputError(f"{where} converts to an <merror>")
        if "\\" in (element.text or ""):
            raise OutputError(f"{where} has a command latex2mathml does not know: {element.text}")
        if element.tag in ARITY and len(element) != ARITY[element.tag]:
            raise OutputError(f"{where} gives an incomplete <{element.tag}>")
    _set_as_tex(root)
    root.attrib = {"display": root.get("display"), "alttext": latex} | {
        k: v for k, v in root.attrib.items() if k not in ("xmlns", "display")
    }
    return tostring(root, encoding="unicode")


def _core(element: Element) -> Element:
    """The element an atom is built on: a script's base, down to the first that is not one."""
    while element.tag in SCRIPTS and len(element):
        element = element[0]
    return element


def _function(element: Element) -> bool:
    """log, exp, ker, dim, det, max, tr, …: latex2mathml's <mi> or <mo> of a named function."""
    core = _core(element)
    return core.tag in ("mi", "mo") and core.text is not None and len(core.text) > 1 and core.text.isalpha()


def _operator(element: Element) -> bool:
    """An atom after which a sign is unary and before which a function takes no space: an
    opening fence, a relation, a binary operator or punctuation (TeX's Open, Rel, Bin, Punct)."""
    core = _core(element)
    return core.tag == "mo" and core.text not in CLOSING | LARGE and not _function(element)


def _set_as_tex(root: Element) -> None:
    """Set what latex2mathml leaves to the browser's defaults as TeX sets it: a delimiter keeps
    its size unless \\left, \\right or \\big asked otherwise (a browser stretches a fence
    such as ‖ over the whole row); /, ∂, ∇, | and ‖ take no space (1/(1 + e^{-x}), ∂f/∂w,
    |λ|); a prime follows its base at full size (g′, not a tiny superscript); a sign at the
    start or after an operator is unary ((−1, 1), not ( − 1, 1)); a named function has a thin
    space next to an ordinary neighbour and none before a parenthesis (ker 𝐌, log ρ, log(x);
    not ker𝐌)."""
    for mo in root.iter("mo"):
        if not {"stretchy", "minsize", "maxsize"} & set(mo.attrib):
            mo.set("stretchy", "false")
        if mo.text in ORDINARY:  # no space: 1/(1 + e^{-x}), ∂f/∂w, not 1 / (1 + …), ∂ f / ∂ w
            mo.set("lspace", "0")
            mo.set("rspace", "0")
    for sup in list(root.iter("msup")):  # a prime is a raised glyph already: x′, not a tiny x^′
        if len(sup) == 2 and sup[1].tag == "mi" and sup[1].text and set(sup[1].text) <= set("′″‴"):
            sup.tag, sup[1].tag = "mrow", "mo"
            sup[1].attrib = {"lspace": "0", "rspace": "0"}
    for row in [e for e in root.iter() if e.tag in ROWS]:
        atoms = list(row)
        for k, atom in enumerate(atoms):
            before = atoms[k - 1] if k else None
            after = atoms[k + 1] if k + 1 < len(atoms) else None
            if atom.tag == "mo" and atom.text in SIGNS and (before is None or _operator(before)):
                atom.set("lspace", "0")
                atom.set("rspace", "0")
            if not _function(atom):
                continue
            core = _core(atom)
            if core.tag == "mo":  # no default operator spacing: the thin spaces below set it
                core.set("lspace", "0")
                core.set("rspace", "0")
            at = list(row).index(atom)
            if after is not None and (not _operator(after) or _function(after)):
                row.insert(at + 1, Element("mspace", {"width": THIN}))
            if before is not None and not _operator(before) and not _function(before):
                row.insert(at, Element("mspace", {"width": THIN}))


def png(root: Path, src: str) -> tuple[str, int, int]:
    """The data URI of the figure at src (a relative path under root) and its pixel size."""
    rel = PurePosixPath(src)
    if rel.is_absolute() or ".." in rel.parts or "://" in src or rel.suffix != ".png":
        raise OutputError(f"REPORT.md: the image {src} is not a PNG of the pipeline's (a relative path)")
    try:
        data = (root / rel).read_bytes()
    except FileNotFoundError:  # a figure stage not run yet: run_stage names it and the command
        raise
    except OSError as err:
        raise OutputError(f"REPORT.md: the figure {src} cannot be read ({err.strerror})") from None
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise OutputError(f"REPORT.md: the figure {src} is not a PNG file")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii"), width, height


def _figures_and_links(state: StateCore) -> None:
    """A core rule: every image's src becomes its data URI, a paragraph that holds an image
    alone becomes a <figure>, and one all in bold, a heading in all but name, is marked "lead";
    a link anywhere but within the page is refused."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        for child in token.children or []:
            if child.type == "image":
                uri, width, height = png(state.env["root"], str(child.attrGet("src")))
                child.attrSet("src", uri)
                child.attrSet("width", str(width))
                child.attrSet("height", str(height))
            elif child.type == "link_open" and not str(child.attrGet("href")).startswith("#"):
                raise OutputError(
                    f"REPORT.md: a link to {child.attrGet('href')}; REPORT.html makes no request anywhere"
                )
        if token.type != "inline" or tokens[i - 1].type != "paragraph_open":
            continue
        kinds = [
            c.type for c in token.children or [] if c.type != "softbreak" and (c.content or c.type != "text")
        ]
        if kinds == ["image"]:
            tokens[i - 1].tag = tokens[i + 1].tag = "figure"
        elif (
            kinds[:1] == ["strong_open"] and kinds[-1:] == ["strong_close"] and "strong_open" not in kinds[1:]
        ):
            tokens[i - 1].attrSet("class", "lead")  # a paragraph all bold, "(f) Local versus global maxima."


def parser():
    """markdown-it-py as GitHub reads REPORT.md: CommonMark and tables, raw HTML shown as text,
    no links made from bare URLs, `$…$` and `$$…$$` as MathML."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=True,
        allow_digits=True,
        allow_blank_lines=False,
        double_inline=False,
        renderer=lambda latex, options: mathml(latex, options["display_mode"]),
    )
    md.core.ruler.push("nndl_figures_and_links", _figures_and_links)
    return md


def render(markdown: str, root: Path = Path(".")) -> str:
    """REPORT.html for the text of REPORT.md, its figures read from root."""
    md = parser()
    env: dict[str, Any] = {"root": Path(root)}
    tokens = md.parse(markdown, env)
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
    if not headings:
        raise OutputError("REPORT.md: no title (a first-level heading)")
    title = "".join(
        c.content for c in tokens[headings[0] + 1].children or [] if c.type in ("text", "code_inline")
    )
    body = md.renderer.render(tokens, md.options, env)
    return PAGE.format(policy=POLICY, title=html.escape(title), style=STYLE, body=body)
