"""How a stage program starts and stops: params validated first, then the stage's work; a
bad value or an output the stage refuses to write stops it with one line and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from nndl.params import PARAMS_FILE, Params, ParamsError, load_params


def fail(message: str) -> NoReturn:
    """Stop a stage with one line on stderr and exit status 2."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def run_stage(main: Callable[[Params], None], path: Path = PARAMS_FILE) -> None:
    """Validate params, then run a stage; a bad value stops it before any output is written,
    and an output it refuses to write (a NaN) stops it with one line too."""
    from nndl.io import OutputError

    try:
        params = load_params(path)
    except ParamsError as err:
        fail(str(err))
    try:
        main(params)
    except OutputError as err:
        fail(str(err))
