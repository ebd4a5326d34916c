"""One code path for floating point on every x86-64 CPU the wheels run on (numpy's need
x86-64-v2), so that outputs are the same bytes on any machine.

glibc's libm (exp, log, tanh, ...), torch's kernels, MKL, numpy's ufuncs and OpenBLAS each
pick a SIMD variant by the CPU they run on (FMA, AVX2, AVX-512), and the variants round
differently in the last bit. Every stage runs with each library pinned to its baseline
variant, which every such CPU has and executes the same way. The pins are environment
variables the libraries read when they load, and glibc reads its own only when a process
starts. They are written once, in pins.env beside this module: stages/pinned.sh sets them
before a stage's interpreter starts, and a stage started otherwise re-executes itself once
with them (`pin_or_reexec`, called by stages/__init__.py) before numpy or torch loads.
docs/reproducibility.md says why pinning rather than computing around the libraries.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

PINS_FILE = Path(__file__).with_name("pins.env")
GLIBC_TUNABLES = "GLIBC_TUNABLES"
HWCAPS = "glibc.cpu.hwcaps="


class Pins(NamedTuple):
    values: dict[str, str]  # NAME=value
    glibc: str  # the hwcaps mask appended to GLIBC_TUNABLES
    unset: tuple[str, ...]  # -NAME


def read_pins(path: Path = PINS_FILE) -> Pins:
    """The pins as pins.env states them, in the launcher's grammar."""
    values, glibc, unset = {}, "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            unset.append(line[1:])
        elif line.startswith(f"{GLIBC_TUNABLES}+="):
            glibc = line.split("+=", 1)[1]
        else:
            name, value = line.split("=", 1)
            values[name] = value
    if not glibc.startswith(HWCAPS):
        raise ValueError(f"{path}: no {GLIBC_TUNABLES}+={HWCAPS}... line")
    return Pins(values, glibc, tuple(unset))


PINS = read_pins()


def pinned_environment(env: Mapping[str, str], pins: Pins = PINS) -> dict[str, str]:
    """env with every pin set and the unset ones removed; GLIBC_TUNABLES keeps a user's other
    tunables, and the pin replaces any hwcaps mask of theirs."""
    out = {k: v for k, v in env.items() if k not in pins.unset} | pins.values
    tunables = [t for t in env.get(GLIBC_TUNABLES, "").split(":") if t and not t.startswith(HWCAPS)]
    out[GLIBC_TUNABLES] = ":".join([*tunables, pins.glibc])
    return out


def is_pinned(env: Mapping[str, str], pins: Pins = PINS) -> bool:
    """Every pin set, and the pin glibc's only hwcaps mask (the launcher appends it to a user's
    tunables, which may hold a mask of their own)."""
    masks = [t for t in env.get(GLIBC_TUNABLES, "").split(":") if t.startswith(HWCAPS)]
    return (
        all(env.get(k) == v for k, v in pins.values.items())
        and not any(k in env for k in pins.unset)
        and masks == [pins.glibc]
    )


# Set on the restart to the process id, which an exec keeps: a process that finds its own id
# here has restarted once already, and stops instead of restarting for ever.
RESTARTED = "NNDL_PINNED_RESTART"


def pin_or_reexec() -> None:
    """Return if this process runs pinned; otherwise replace it by the same command with the
    pins set, once. If they still do not hold after that (a sitecustomize or .pth file changes
    them at start-up), stop with one line."""
    if is_pinned(os.environ):
        return
    if os.environ.get(RESTARTED) == str(os.getpid()) or not sys.executable:
        from nndl.pipeline.startup import fail

        if not sys.executable:
            fail("cannot restart with the floating-point pins: Python does not know its own path")
        off = [k for k, v in PINS.values.items() if os.environ.get(k) != v]
        off += [k for k in PINS.unset if k in os.environ]
        fail(
            f"the floating-point pins did not hold after a restart: {', '.join(off) or GLIBC_TUNABLES}"
            " changed at start-up (by a sitecustomize or a .pth file?)"
        )
    sys.stdout.flush()
    sys.stderr.flush()
    env = pinned_environment(os.environ) | {RESTARTED: str(os.getpid())}
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)
