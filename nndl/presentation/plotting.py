"""Matplotlib set-up shared by the figure stages: headless, and byte-identical PNGs.

Only the stages that draw import this module, since matplotlib costs most of a second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from nndl.pipeline.io import Outputs

# Matplotlib's own defaults, whatever a user's matplotlibrc or MATPLOTLIBRC says, and our
# few settings on top: the PNGs depend on the data and this code only.
matplotlib.rcdefaults()
matplotlib.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10, "axes.grid": True})


def subplots(
    nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float], layout: str | None = None, **kwargs: Any
) -> tuple[Figure, Any]:
    """plt.subplots without pyplot, whose import costs a stage start about 50 ms: the same
    figure, axes and pixels, with no global figure registry to close."""
    fig = Figure(figsize=figsize, layout=layout)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def colors() -> list[str]:
    """The default color cycle, as plt.rcParams["axes.prop_cycle"] lists it."""
    return matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]


def png(out: Outputs, path: Path, fig: Figure, dpi: int) -> None:
    """Stage fig as a PNG output, without the Software tag, so the bytes depend only on the data."""
    out.write(path, lambda f: fig.savefig(f, format="png", dpi=dpi, metadata={"Software": None}))
