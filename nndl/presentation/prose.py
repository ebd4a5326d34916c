"""Generated prose: the Jinja2 templates in nndl/presentation/templates/ rendered with the results.

The templates hold every sentence; a stage only gathers the numbers and facts they state.
Jinja2 (about 40 ms to import, once per report) rather than f-strings in Python: the text
reads as the text it becomes, LaTeX braces included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"


def fmt(value: float, spec: str = "g") -> str:
    """Python's format(value, spec): `{{ x|fmt(".4g") }}` prints as f"{x:.4g}" does."""
    return format(value, spec)


def ratio(value: float) -> str:
    """value to three significant digits, or as 1 ± its distance from 1 where three digits
    would print a 1 that is not one: `{{ x|ratio }}`."""
    text = format(value, ".3g")
    if text != "1" or value == 1.0:
        return text
    return f"1 + {value - 1:.2g}" if value > 1 else f"1 − {1 - value:.2g}"


def oneline(text: str) -> str:
    """The non-empty lines of a block joined by single spaces: sentences written one a line in
    the template, printed as one paragraph line."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def render(name: str, **context: Any) -> str:
    """Render templates/<name>; a name the template uses but the context lacks is an error."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters |= {"fmt": fmt, "oneline": oneline, "ratio": ratio}
    return env.get_template(name).render(**context)
