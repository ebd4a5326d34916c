#!/bin/sh
# Run a stage command with the floating-point pins set: `sh stages/pinned.sh python -m stages.<name>`,
# as dvc.yaml does. The pins are nndl/dispatch.py's (tests/func/test_dispatch.py keeps the two
# equal), and the stage checks them: started without them, or with another glibc hwcaps mask
# than the pin, it re-executes itself with exactly them. Setting them here, before the
# interpreter starts, saves that second start (about 15 ms a stage); a user's other glibc
# tunables are kept.
export ATEN_CPU_CAPABILITY=default
export MKL_CBWR=COMPATIBLE
export NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4 AVX512_ICL AVX512_SPR"
export OPENBLAS_CORETYPE=Prescott
unset NPY_ENABLE_CPU_FEATURES
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4"
exec "$@"
