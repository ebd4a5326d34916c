"""The same bytes on every CPU: each numeric stage, run under the dispatch settings of other
machines, writes exactly what the committed pipeline wrote; run without the pins
(`nndl.dispatch`), the same code does not, which shows the settings are real.

The settings force on this machine what another CPU would choose by itself: torch's kernels
(AVX-512, AVX2 or the default), MKL's code path, numpy's SIMD loops, OpenBLAS's kernels, and
glibc's libm variants (FMA or not).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nndl.dispatch import GLIBC_PIN, GLIBC_TUNABLES, PINS
from tests.helpers import ROOT, hooked_env, run_env, snapshot

pytestmark = pytest.mark.func

# What an AVX2 machine without AVX-512 picks, and what a CPU with none of the extensions picks.
AVX2_MACHINE = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "MKL_CBWR": "AVX2",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
    "OPENBLAS_CORETYPE": "Haswell",
}
BASELINE_MACHINE = {
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_CBWR": "COMPATIBLE",
    "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
    "OPENBLAS_CORETYPE": "Prescott",
    GLIBC_TUNABLES: "glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4,-AVX512F",
}

# Every stage that computes, with the outputs it writes (removed first, so each is rewritten).
STAGES = [
    (["samples"], ["data/samples.csv"]),
    (["sgd_fit", "--step", "0.001", "--seed", "1"], ["data/sgd/0.001_1.json"]),
    (["sgd_summary"], ["plots/sgd", "metrics/sgd.json"]),
    (["sgd_sweep"], ["data/sgd_sweep.json", "metrics/sgd_sweep.json"]),
    (["sgd_stationary"], ["data/sgd_stationary.json", "metrics/sgd_stationary.json"]),
    (["sgd_sweep_figures"], ["plots/sgd_sweep.png", "plots/sgd_sweep.csv"]),
    (["ascent"], ["data/ascent", "plots/ascent_search.csv", "metrics/ascent.json"]),
    (["ascent_figures"], ["plots/ascent", "plots/ascent_values.csv"]),
    (["network"], ["data/network"]),
    (["network_figures"], ["plots/network.png"]),
    (["report"], ["REPORT.md"]),
]


def cpu_flags() -> set[str]:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def environment(settings: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in run_env().items() if k not in BASELINE_MACHINE}
    return env | settings


def run_stage(repo: Path, argv: list[str], env: dict[str, str], pinned: bool = True) -> None:
    """`python -m stages.<name>` as DVC runs it, or, unpinned, the same module as __main__
    from `python -c`, which the pins leave alone."""
    name = f"stages.{argv[0]}"
    if pinned:
        cmd = [sys.executable, "-m", name, *argv[1:]]
    else:
        code = f"import runpy, sys; sys.argv = {[name, *argv[1:]]!r}; runpy.run_module({name!r}, run_name='__main__')"
        cmd = [sys.executable, "-c", code]
    subprocess.run(cmd, cwd=repo, env=env, check=True, capture_output=True)


def rerun_every_stage(repo: Path, settings: dict[str, str]) -> dict[str, bytes]:
    env = environment(settings)
    for argv, outputs in STAGES:
        for out in outputs:
            path = repo / out
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        run_stage(repo, argv, env)
    return snapshot(repo)


def test_every_numeric_stage_writes_the_same_bytes_under_an_avx2_machines_dispatch(
    built_repo: Path, tmp_path: Path
) -> None:
    expected = snapshot(built_repo)
    repo = tmp_path / "avx2"
    shutil.copytree(built_repo, repo, symlinks=True)
    files = rerun_every_stage(repo, AVX2_MACHINE)
    assert set(files) == set(expected)
    assert sorted(p for p in expected if files[p] != expected[p]) == []


# Run first in every Python process: appends the settings it starts with to $SETTINGS_LOG.
LOG_SETTINGS = """
import json, os
keys = ["ATEN_CPU_CAPABILITY", "MKL_CBWR", "NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE", "GLIBC_TUNABLES"]
with open(os.environ["SETTINGS_LOG"], "a") as f:
    f.write(json.dumps({k: os.environ.get(k) for k in keys}) + "\\n")
"""


@pytest.mark.parametrize("settings", [AVX2_MACHINE, BASELINE_MACHINE, {}], ids=["avx2", "baseline", "native"])
def test_a_stage_runs_with_the_pins_whatever_machine_settings_it_starts_with(
    settings: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "settings.jsonl"
    hooked = hooked_env(tmp_path / "hook", LOG_SETTINGS, SETTINGS_LOG=str(log))
    env = environment(settings) | {"PYTHONPATH": hooked["PYTHONPATH"], "SETTINGS_LOG": str(log)}
    # --help stops in the argument parser: after the pins, before any work or output
    cmd = [sys.executable, "-m", "stages.sgd_fit", "--help"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    *_, ran_with = (json.loads(line) for line in log.read_text().splitlines())
    assert ran_with == PINS | {GLIBC_TUNABLES: GLIBC_PIN}


def unpinned_outputs(repo: Path, argv: list[str], outputs: list[str], settings: dict[str, str]) -> bytes:
    run_stage(repo, argv, environment(settings), pinned=False)
    return b"".join((repo / out).read_bytes() for out in outputs)


@pytest.mark.parametrize(
    ("argv", "outputs", "needs"),
    [
        (["network"], [f"data/network/tanh_{s}.csv" for s in (1, 2, 3)], "avx2"),
        (["samples"], ["data/samples.csv"], "avx2"),
        # one of its 10,000 log-likelihoods lands where glibc's FMA log rounds otherwise
        (["sgd_fit", "--step", "0.0001", "--seed", "1"], ["data/sgd/0.0001_1.json"], "fma"),
    ],
    ids=["network (torch, MKL)", "samples (OpenBLAS)", "sgd_fit (glibc libm)"],
)
def test_without_the_pins_the_same_stage_depends_on_the_dispatch(
    repo: Path, argv: list[str], outputs: list[str], needs: str
) -> None:
    if needs not in cpu_flags():
        pytest.skip(f"this CPU has no {needs}: its native dispatch is the baseline already")
    native = unpinned_outputs(repo, argv, outputs, {})
    baseline = unpinned_outputs(repo, argv, outputs, BASELINE_MACHINE)
    assert native != baseline
    # and the pins choose exactly the baseline machine's code path
    run_stage(repo, argv, environment({}))
    assert b"".join((repo / out).read_bytes() for out in outputs) == baseline
