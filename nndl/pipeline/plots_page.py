"""The HTML template of `dvc plots show` and `dvc plots diff` (.dvc/plots/page.html, named in
the committed .dvc/config): DVC's page with the chart libraries inline instead of loaded from
a CDN, so that every chart renders with no network.

The vendored files are pinned by their SHA-256: a missing or altered file stops the build,
and a test checks that the committed page is exactly what this builds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

VENDOR = Path("vendor/vega")
TEMPLATE = Path("nndl/pipeline/templates/plots_page.html")
PAGE = Path(".dvc/plots/page.html")

# (placeholder in the template, file, SHA-256): the versions DVC's own page loads.
SCRIPTS = [
    ("/* vega */", "vega-5.20.2.min.js", "4794d0169cb1f3ebad8117fe98ba5bd652dd725905ec0384e832391dbccb03be"),
    (
        "/* vega-lite */",
        "vega-lite-5.2.0.min.js",
        "d73157451b3978015ab31dacd55ff90d986ab8663fc0abed50f97b3cd90002cb",
    ),
    (
        "/* vega-embed */",
        "vega-embed-6.18.2.min.js",
        "1ba9826431ddc9805e815ad92acc811c819f2bfd32bda2a128b8c4b5070fab5e",
    ),
]


class VendorError(RuntimeError):
    """A vendored script that is missing or not the pinned file."""


def vendored(root: Path, name: str, sha256: str) -> str:
    path = root / VENDOR / name
    try:
        data = path.read_bytes()
    except OSError as err:
        raise VendorError(f"{path}: missing ({err.strerror})") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise VendorError(f"{path}: not the pinned file (SHA-256 differs)")
    text = data.decode("utf-8")
    if "</script" in text.lower():
        raise VendorError(f"{path}: contains </script, which would end the inline script")
    return text


def build(root: Path = Path(".")) -> str:
    page = (root / TEMPLATE).read_text(encoding="utf-8")
    for placeholder, name, sha256 in SCRIPTS:
        assert page.count(placeholder) == 1, placeholder
        page = page.replace(placeholder, vendored(root, name, sha256))
    return page


if __name__ == "__main__":
    from nndl.pipeline.io import Outputs

    out = Outputs()
    out.text(PAGE, build())
    out.commit()
