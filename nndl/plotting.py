"""Matplotlib set-up shared by the figure stages: headless, and byte-identical PNGs.

Only the stages that draw import this module, since matplotlib costs most of a second.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from nndl.io import write_atomic

# Fixed so that the PNGs do not depend on a user's matplotlibrc.
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10, "axes.grid": True})


def save_png(fig: Figure, path: Path, dpi: int) -> None:
    """Write fig atomically, without the Software tag, so the bytes depend only on the data."""
    write_atomic(path, lambda f: fig.savefig(f, format="png", dpi=dpi, metadata={"Software": None}))
    plt.close(fig)
