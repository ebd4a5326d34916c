"""DVC stage entry points, one module per stage, run as `python -m stages.<name>`.

A stage run as a program first pins floating point to the same code path on every CPU
(`nndl.dispatch`): this package is imported before the stage module and its numpy or torch.
dvc.yaml starts each one through `stages/pinned.sh`, already pinned; started otherwise, it
re-executes itself pinned. Importing a stage module (the tests do) changes nothing.
"""

import sys


def _runs_a_stage(argv: list[str]) -> bool:
    """True while `python [options] -m stages.<name> [args]` finds its module, however the
    options are spelt (`-mstages.x`, `-OOm stages.x`): Python imports this package then, and
    sets sys.argv[0] to "-m" until the module runs. An import from other code sees a path,
    "-c" or the caller's own argv there."""
    return argv[:1] == ["-m"]


if _runs_a_stage(sys.argv):
    from nndl.dispatch import pin_or_reexec

    pin_or_reexec()
