"""DVC stage entry points, one module per stage, run as `python -m stages.<name>`.

A stage run as a program first pins floating point to the same code path on every CPU
(`nndl.dispatch`): this package is imported before the stage module and its numpy or torch.
dvc.yaml starts each one through `stages/pinned.sh`, already pinned; started otherwise, it
re-executes itself pinned. Importing a stage module (the tests do) changes nothing.
"""

import sys


def _runs_a_stage(argv: list[str]) -> bool:
    """True for the command line `python [options] -m stages.<name> [args]`."""
    after = argv[argv.index("-m") + 1 :] if "-m" in argv else []
    return bool(after) and after[0].startswith("stages.")


if _runs_a_stage(sys.orig_argv[1:]):
    from nndl.dispatch import pin_or_reexec

    pin_or_reexec()
