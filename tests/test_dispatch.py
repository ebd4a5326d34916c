"""The pins of nndl.pipeline.pins: set whatever the environment held before, idempotent, and
kind to a user's other glibc tunables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nndl.pipeline.pins import GLIBC_TUNABLES, PINS, is_pinned, pinned_environment, read_pins
from tests.helpers import ROOT, bare_env

GLIBC_PIN = PINS.glibc


def test_pinning_overrides_what_the_environment_chose() -> None:
    env = pinned_environment({"ATEN_CPU_CAPABILITY": "avx512", "MKL_CBWR": "AVX2", "HOME": "/h"})
    assert {k: env[k] for k in PINS.values} == PINS.values
    assert env["HOME"] == "/h"
    assert env[GLIBC_TUNABLES] == GLIBC_PIN


def test_pinning_keeps_other_glibc_tunables_and_replaces_an_earlier_hwcaps_mask() -> None:
    env = pinned_environment({GLIBC_TUNABLES: "glibc.malloc.check=0:glibc.cpu.hwcaps=-AVX512F"})
    assert env[GLIBC_TUNABLES] == f"glibc.malloc.check=0:{GLIBC_PIN}"


def test_a_pinned_environment_is_recognised_so_the_reexec_happens_once() -> None:
    assert not is_pinned({})
    assert not is_pinned(dict(pinned_environment({}), MKL_CBWR="AVX2"))
    env = pinned_environment({})
    assert is_pinned(env) and pinned_environment(env) == env


def test_pinning_removes_what_would_contradict_a_pin() -> None:
    env = pinned_environment({"NPY_ENABLE_CPU_FEATURES": "X86_V4"})
    assert "NPY_ENABLE_CPU_FEATURES" not in env and is_pinned(env)
    assert not is_pinned(dict(env, NPY_ENABLE_CPU_FEATURES="X86_V4"))


def test_the_pins_are_read_from_the_one_file_the_launcher_reads(tmp_path: Path) -> None:
    launched = subprocess.run(
        ["sh", str(ROOT / "stages" / "pinned.sh"), "env"],
        env=bare_env(
            PATH="/usr/bin:/bin", NPY_ENABLE_CPU_FEATURES="X86_V4", GLIBC_TUNABLES="glibc.malloc.check=0"
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    env = dict(line.split("=", 1) for line in launched.stdout.splitlines())
    assert is_pinned(env) and env[GLIBC_TUNABLES] == f"glibc.malloc.check=0:{GLIBC_PIN}"
    assert "NPY_ENABLE_CPU_FEATURES" not in env
    edited = tmp_path / "pins.env"
    edited.write_text((ROOT / "nndl/pipeline/pins.env").read_text().replace("Prescott", "Haswell"))
    assert read_pins(edited).values["OPENBLAS_CORETYPE"] == "Haswell"


def test_a_users_own_hwcaps_mask_beside_the_pin_is_not_pinned() -> None:
    env = pinned_environment({})
    assert is_pinned(dict(env, **{GLIBC_TUNABLES: f"glibc.malloc.check=0:{GLIBC_PIN}"}))
    assert not is_pinned(dict(env, **{GLIBC_TUNABLES: f"glibc.cpu.hwcaps=-AVX512F:{GLIBC_PIN}"}))


RECORD_START = """
import os, sys
if any("stages." in a for a in sys.orig_argv):
    with open(os.environ["START_LOG"], "a") as f:
        f.write(f"{os.environ.get('ATEN_CPU_CAPABILITY')} {os.environ.get('GLIBC_TUNABLES')}\\n")
"""


@pytest.mark.parametrize(
    "spelling", [["-m", "stages.validate"], ["-mstages.validate"], ["-OOm", "stages.validate"]]
)
def test_a_stage_run_as_a_program_restarts_once_pinned_and_an_import_does_not(
    spelling: list[str], tmp_path: Path
) -> None:
    (tmp_path / "sitecustomize.py").write_text(RECORD_START)
    log = tmp_path / "starts"
    env = bare_env(PATH="/usr/bin:/bin", PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}", START_LOG=str(log))
    # no params.yaml in tmp_path: the stage stops with its one-line error, after the restart
    ran = subprocess.run([sys.executable, *spelling], cwd=tmp_path, env=env, capture_output=True)
    assert ran.returncode == 2
    assert log.read_text().splitlines() == ["None None", f"default {GLIBC_PIN}"]
    log.unlink()
    code = "import stages.validate, os; print(os.environ.get('ATEN_CPU_CAPABILITY'))"
    imported = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert imported.stdout.split() == ["None"]
    assert not log.exists() or "default" not in log.read_text()


def start_up_hook(tmp_path: Path, sets: dict[str, str]) -> tuple[dict[str, str], Path]:
    """An environment whose every start of a stage logs a line, then sets `sets` in
    os.environ, as a sitecustomize or .pth file could."""
    hook = "\n".join(
        [
            "import os, sys",
            'if any("stages." in a for a in sys.orig_argv):',
            '    with open(os.environ["START_LOG"], "a") as f:',
            '        f.write("start\\n")',
            f"    os.environ.update({sets!r})",
        ]
    )
    (tmp_path / "sitecustomize.py").write_text(hook + "\n")
    log = tmp_path / "starts"
    env = bare_env(PATH="/usr/bin:/bin", PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}", START_LOG=str(log))
    return env, log


def test_a_start_up_that_unpins_again_stops_after_one_restart_with_one_line(tmp_path: Path) -> None:
    env, log = start_up_hook(tmp_path, {"ATEN_CPU_CAPABILITY": "avx2"})
    ran = subprocess.run(
        [sys.executable, "-m", "stages.validate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,  # restarting for ever fails the test
    )
    assert ran.returncode == 2 and log.read_text().splitlines() == ["start", "start"]
    assert ran.stderr.splitlines() == [
        "error: the floating-point pins did not hold after a restart: ATEN_CPU_CAPABILITY changed at"
        " start-up (by a sitecustomize or a .pth file?)"
    ]
