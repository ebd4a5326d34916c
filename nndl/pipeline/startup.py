"""How a stage program starts and stops: params validated first, then the stage's work into an
`Outputs`, committed only if params.yaml is still what the stage read. Every way to stop is
one line on stderr and a non-zero exit: a bad value, an output the stage refuses or fails to
write, params.yaml edited during the run, an interrupt."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from nndl.pipeline.io import OutputError, Outputs
from nndl.pipeline.params import PARAMS_FILE, Params, ParamsError, parse_document, parse_params, read_bytes

INTERRUPTED = 130  # the shell's status for a SIGINT


def fail(message: str, status: int = 2) -> NoReturn:
    """Stop a stage with one line on stderr."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(status)


def _interrupted(signum: int, frame: object) -> NoReturn:
    name = signal.Signals(signum).name
    if Outputs.committed:  # held back during the commit, delivered after it
        fail(f"interrupted by {name} after this run's outputs were written", INTERRUPTED)
    fail(f"interrupted by {name}; no output of this run was written", INTERRUPTED)


def stop_quietly_on_interrupt() -> None:
    """A SIGINT or SIGTERM stops the stage with one line instead of a traceback, from the moment
    the stage starts (stages/__init__.py calls this before the stage's imports)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupted)


def run_stage(
    main: Callable[[Params, Outputs], None], path: Path = PARAMS_FILE, argv: list[str] | None = None
) -> None:
    """Validate params, run the stage's work, and commit its outputs together, unless params.yaml
    changed while it ran: then DVC, which records the params it reads after the stage, would
    record params the outputs do not come from."""
    try:
        read = read_bytes(path)
        params = parse_params(parse_document(read))
    except ParamsError as err:
        fail(str(err))
    outputs = Outputs()
    try:
        main(params, outputs)
        try:
            unchanged = read_bytes(path) == read
        except ParamsError:
            unchanged = False
        if not unchanged:
            fail("params.yaml changed during the run; run again")
        outputs.commit()
    except OutputError as err:
        fail(str(err))
    except FileNotFoundError as err:  # an input no stage has made yet (`dvc repro -s` after a change)
        stage = _stage_name()
        fail(
            f"{err.filename} does not exist yet: `dvc repro {stage}` makes it first"
            f" (`dvc repro -s {stage}` runs this stage alone)"
        )
    finally:
        outputs.discard()


def _stage_name() -> str:
    """The DVC stage this program runs, from its module (`python -m stages.<name>`)."""
    spec = getattr(sys.modules["__main__"], "__spec__", None)
    return spec.name.removeprefix("stages.") if spec else "<stage>"
