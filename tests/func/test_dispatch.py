"""The same bytes on every CPU. Every stage process runs with exactly the pins
(`nndl.pipeline.pins`), whatever settings another machine would start it with; the run from
scratch (test_sgd_pipeline) shows that under the pins the stages write the committed bytes.
Run without the pins, the same code writes other bytes, which shows the pins are real.

The settings force on this machine what another CPU would choose by itself: torch's kernels
(AVX-512, AVX2 or the default), MKL's code path, numpy's SIMD loops, OpenBLAS's kernels, and
glibc's libm variants (FMA or not).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nndl.pipeline.pins import GLIBC_TUNABLES, PINS
from tests.helpers import ROOT, hooked_env, run_env

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


# Run first in every Python process: appends the settings it starts with to $SETTINGS_LOG, and
# keeps numpy, scipy, matplotlib and torch from loading, so that a stage stops right after
# its start-up (in an empty folder the rest stop at the missing params.yaml).
LOG_SETTINGS = """
import json, os, sys
keys = ["ATEN_CPU_CAPABILITY", "MKL_CBWR", "NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE", "GLIBC_TUNABLES",
        "NPY_ENABLE_CPU_FEATURES"]
with open(os.environ["SETTINGS_LOG"], "a") as f:
    f.write(json.dumps({k: os.environ.get(k) for k in keys}) + "\\n")

class Heavy:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"numpy", "scipy", "matplotlib", "torch"}:
            raise ImportError(f"{name}: not loaded in this test")

sys.meta_path.insert(0, Heavy())
"""

STAGE_MODULES = sorted(p.stem for p in (ROOT / "stages").glob("*.py") if p.stem != "__init__")


GLIBC_PIN = PINS.glibc
PINNED = PINS.values | {GLIBC_TUNABLES: GLIBC_PIN} | dict.fromkeys(PINS.unset)
# numpy refuses to load with both NPY_ENABLE_CPU_FEATURES and the pin's NPY_DISABLE_CPU_FEATURES
CONTRADICTS = {"NPY_ENABLE_CPU_FEATURES": "X86_V4"}


def started_settings(tmp_path: Path, cmd: list[str], env: dict[str, str]) -> list[dict]:
    """The settings each Python process of cmd started with, in an empty folder (where a
    stage stops at its start, for want of params.yaml)."""
    log = tmp_path / "settings.jsonl"
    hooked = hooked_env(tmp_path / "hook", LOG_SETTINGS)
    env = env | {"PYTHONPATH": f"{hooked['PYTHONPATH']}{os.pathsep}{ROOT}", "SETTINGS_LOG": str(log)}
    (tmp_path / "empty").mkdir()
    proc = subprocess.run(cmd, cwd=tmp_path / "empty", env=env, capture_output=True, text=True)
    assert proc.returncode != 0, proc.stdout  # stopped at its start, as meant
    return [json.loads(line) for line in log.read_text().splitlines()]


@pytest.mark.parametrize("stage", STAGE_MODULES)
@pytest.mark.parametrize("settings", [AVX2_MACHINE, BASELINE_MACHINE, {}], ids=["avx2", "baseline", "native"])
def test_a_stage_runs_with_exactly_the_pins_whatever_machine_settings_it_starts_with(
    settings: dict[str, str], stage: str, tmp_path: Path
) -> None:
    """With the run from scratch (test_sgd_pipeline), which gives the committed bytes under the
    pins, this is the proof that another CPU's settings give the same bytes: the stage
    processes run with the same settings, whatever settings they start with."""
    started = started_settings(tmp_path, [sys.executable, "-m", f"stages.{stage}"], environment(settings))
    assert started[-1] == PINNED


def test_a_stage_started_by_hand_with_a_setting_that_contradicts_a_pin_runs_without_it(
    tmp_path: Path,
) -> None:
    started = started_settings(tmp_path, [sys.executable, "-m", "stages.samples"], environment(CONTRADICTS))
    assert len(started) == 2 and started[-1] == PINNED


LAUNCH = ["sh", str(ROOT / "stages" / "pinned.sh"), sys.executable, "-m", "stages.sgd_fit"]


@pytest.mark.parametrize("settings", [AVX2_MACHINE, {}], ids=["avx2", "native"])
def test_started_through_the_launcher_a_stage_runs_with_exactly_the_pins_in_one_process(
    settings: dict[str, str], tmp_path: Path
) -> None:
    """dvc.yaml's way to start a stage: stages/pinned.sh sets what nndl.pipeline.pins pins, so the
    stage has nothing to re-execute for; a user's other glibc tunables stay, and a setting that
    contradicts a pin goes."""
    env = environment(settings) | {GLIBC_TUNABLES: "glibc.malloc.check=0"} | CONTRADICTS
    started = started_settings(tmp_path, LAUNCH, env)
    assert started == [PINNED | {GLIBC_TUNABLES: f"glibc.malloc.check=0:{GLIBC_PIN}"}]


def test_through_the_launcher_a_users_own_hwcaps_mask_is_replaced_by_the_pin(tmp_path: Path) -> None:
    started = started_settings(tmp_path, LAUNCH, environment(BASELINE_MACHINE))
    assert len(started) == 2  # the launcher appended the pin; the stage re-executed without theirs
    assert started[-1] == PINNED


def unpinned_outputs(repo: Path, argv: list[str], outputs: list[str], settings: dict[str, str]) -> bytes:
    run_stage(repo, argv, environment(settings), pinned=False)
    return b"".join((repo / out).read_bytes() for out in outputs)


@pytest.mark.parametrize(
    ("argv", "outputs", "needs"),
    [
        (["network"], [f"data/network/tanh_{s}.csv" for s in (1, 2, 3)], "avx2"),
        (["samples"], ["data/samples.csv"], "avx2"),
        # one of its 10,000 log-likelihoods lands where glibc's FMA log rounds otherwise
        (["sgd_fit", "--step", "0.0001", "--seed", "1"], ["data/sgd/0.0001/1.json"], "fma"),
    ],
    ids=["network (torch, MKL)", "samples (OpenBLAS)", "sgd_fit (glibc libm)"],
)
def test_without_the_pins_the_same_stage_depends_on_the_dispatch(
    repo: Path, argv: list[str], outputs: list[str], needs: str
) -> None:
    if needs not in cpu_flags():
        pytest.skip(f"this CPU has no {needs}: its native dispatch is the baseline already")
    pinned = b"".join((repo / out).read_bytes() for out in outputs)  # the committed outputs
    native = unpinned_outputs(repo, argv, outputs, {})
    baseline = unpinned_outputs(repo, argv, outputs, BASELINE_MACHINE)
    assert native != baseline
    # and the pins chose exactly the baseline machine's code path
    assert pinned == baseline
