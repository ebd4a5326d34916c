"""The pipeline's stages run in this process, in a folder of their own, for a params set given
as data: what the generative test of the whole params space drives, example after example.

Each stage's `main` runs as `run_stage` runs it (its outputs committed together), in the order
of dvc.yaml, with every matrix and foreach item; a stage's argv is what dvc.yaml passes it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from nndl.pipeline.params import Params
from tests.helpers import run_main

COMPUTE = ("validate", "samples", "sgd_fit", "sgd_sweep", "sgd_stationary", "ascent", "network")
SUMMARIES = ("sgd_summary", "sgd_stationary_summary")
FIGURES = ("sgd_figures", "sgd_sweep_figures", "ascent_figures", "network_figures")
REPORT = ("report",)


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def argvs(name: str, params: Params) -> list[list[str]]:
    """The command-line arguments of each run of a stage, as dvc.yaml expands them."""
    if name == "sgd_fit":
        return [["--step", label, "--seed", str(seed)] for _, label, seed in params.sgd.runs()]
    if name == "sgd_figures":
        return [["--step", label] for label in params.sgd.step_labels]
    return [[]]


def run_stages(params: Params, folder: Path, names: tuple[str, ...]) -> None:
    """Run the named stages' mains, each of its items, in folder."""
    import importlib

    modules = {name: importlib.import_module(f"stages.{name}") for name in names}  # before leaving the root
    with inside(folder):
        for name, module in modules.items():
            for args in argvs(name, params):
                with mock.patch.object(sys, "argv", [name, *args]):
                    run_main(module.main, params)


# A 1×1 grey PNG: what REPORT.html embeds in place of each figure in a run that draws none.
STAND_IN = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
    "0000000a49444154789c636000000002000148afa4710000000049454e44ae426082"
)


def stand_in_figures(params: Params, folder: Path) -> None:
    """A stand-in at every figure the figure stages draw, for a run of the report without them
    (its text does not depend on the figures; REPORT.html embeds what is there)."""
    from nndl.pipeline import paths

    figures = [
        paths.NETWORK_FIGURE,
        paths.ASCENT_CONTOURS_FIGURE,
        paths.ASCENT_SEARCH_FIGURE,
        paths.ASCENT_VALUES_FIGURE,
        *(paths.trajectory_figure(i) for i in range(1, len(params.ascent.starts) + 1)),
        *(paths.sgd_figure(label) for label in params.sgd.step_labels),
        paths.SGD_SWEEP_FIGURE,
    ]
    for figure in figures:
        (folder / figure).parent.mkdir(parents=True, exist_ok=True)
        (folder / figure).write_bytes(STAND_IN)
