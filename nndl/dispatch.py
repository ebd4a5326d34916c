"""One code path for floating point on every x86-64 CPU the wheels run on (numpy's need
x86-64-v2), so that outputs are the same bytes on any machine.

glibc's libm (exp, log, sin, tanh, ...), torch's kernels, MKL, numpy's ufuncs and OpenBLAS
each pick a SIMD variant by the CPU they run on (FMA, AVX2, AVX-512), and the variants round
differently in the last bit. Every stage therefore runs with each library pinned to its
baseline variant, which every such CPU has and executes the same way. The pins are
environment variables that the libraries read when they load, and glibc reads its own only
when a process starts: so dvc.yaml starts every stage through `stages/pinned.sh`, which sets
them, and a stage started without them (by hand, say) re-executes itself once with them set
(`stages/__init__.py`), before numpy, scipy, matplotlib or torch is imported; if they still
do not hold after the restart (code run at Python's start-up changes them), the stage stops
with one line. The check reads os.environ: code run at start-up that set glibc's pin there
would pass it, although glibc read the environment before.

Why pin rather than avoid: the sheet asks for torch and for `scipy.stats.multivariate_normal`,
and even plain `math.exp` goes through glibc's dispatched libm; no choice of operations
in our own code reaches every rounding below it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

# The tunable glibc reads at start-up; hwcaps masks features from its own dispatch only.
GLIBC_TUNABLES = "GLIBC_TUNABLES"
GLIBC_PIN = "glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4"  # libm's FMA variants need FMA and AVX2

PINS: dict[str, str] = {
    # torch: ATen's vectorised kernels at the "default" (no AVX) capability
    "ATEN_CPU_CAPABILITY": "default",
    # MKL (torch's BLAS): conditional numerical reproducibility, the code path every such CPU has
    "MKL_CBWR": "COMPATIBLE",
    # numpy: its dispatched ufunc loops off, the X86_V2 baseline it is built for only
    "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
    # OpenBLAS in numpy and scipy (LAPACK, matmul): generic kernels, never a CPU-specific one
    "OPENBLAS_CORETYPE": "Prescott",
}

# Settings a pin leaves no room for, removed: numpy refuses to load with this one beside
# NPY_DISABLE_CPU_FEATURES.
UNSET = ("NPY_ENABLE_CPU_FEATURES",)


def pinned_environment(env: Mapping[str, str]) -> dict[str, str]:
    """env with every pin set and UNSET removed; an existing GLIBC_TUNABLES keeps its other
    tunables."""
    out = {k: v for k, v in env.items() if k not in UNSET} | PINS
    tunables = [
        t for t in env.get(GLIBC_TUNABLES, "").split(":") if t and not t.startswith("glibc.cpu.hwcaps=")
    ]
    out[GLIBC_TUNABLES] = ":".join([*tunables, GLIBC_PIN])
    return out


def is_pinned(env: Mapping[str, str]) -> bool:
    """Every pin set, and the pin glibc's only hwcaps mask (stages/pinned.sh appends it to a
    user's tunables, which may hold a mask of their own)."""
    masks = [t for t in env.get(GLIBC_TUNABLES, "").split(":") if t.startswith("glibc.cpu.hwcaps=")]
    pins = all(env.get(k) == v for k, v in PINS.items()) and not any(k in env for k in UNSET)
    return pins and masks == [GLIBC_PIN]


# Set on the restart to the process id, which an exec keeps: a process that finds its own id
# here has restarted once already, and stops instead of restarting for ever.
RESTARTED = "NNDL_PINNED_RESTART"


def pin_or_reexec() -> None:
    """Return if this process runs pinned; otherwise replace it by the same command with the
    pins set, once: if the pins still do not hold after that (something in the start-up, a
    sitecustomize or a .pth file, changes them), stop with one line and exit status 2."""
    if is_pinned(os.environ):
        return
    restarted = os.environ.get(RESTARTED) == str(os.getpid())
    if restarted or not sys.executable:
        from nndl.cli import fail  # a stage's one-line stop

        if not sys.executable:
            fail("cannot restart with the floating-point pins: Python does not know its own path")
        off = [k for k, v in PINS.items() if os.environ.get(k) != v] + [k for k in UNSET if k in os.environ]
        fail(
            f"the floating-point pins did not hold after a restart: {', '.join(off) or GLIBC_TUNABLES}"
            " changed at start-up (by a sitecustomize or a .pth file?)"
        )
    sys.stdout.flush()
    sys.stderr.flush()
    env = pinned_environment(os.environ) | {RESTARTED: str(os.getpid())}
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)
