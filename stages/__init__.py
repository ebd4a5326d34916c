"""DVC stage entry points, one module per stage, run as `python -m stages.<name>`.

A stage run as a program first makes sure it runs with the floating-point pins
(`nndl.pipeline.pins`): dvc.yaml starts it through stages/pinned.sh, already pinned; started
otherwise, it re-executes itself pinned, before numpy or torch loads. From then on a SIGINT or
SIGTERM stops it with one line. Importing a stage module (the tests do) changes nothing.
"""

import sys


def _runs_a_stage(argv: list[str]) -> bool:
    """True while `python [options] -m stages.<name> [args]` finds its module, however the
    options are spelt (`-mstages.x`, `-Im stages.x`): Python imports this package then, and
    sets sys.argv[0] to "-m" until the module runs. An import from other code sees a path,
    "-c" or the caller's own argv there."""
    return argv[:1] == ["-m"]


if _runs_a_stage(sys.argv):
    from nndl.pipeline.pins import pin_or_reexec
    from nndl.pipeline.startup import stop_quietly_on_interrupt

    pin_or_reexec()
    stop_quietly_on_interrupt()
