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
