"""Stage `validate`: check all of params.yaml before any stage with outputs runs.

Every other stage depends on its marker file, so DVC runs it first; the marker is
`persist` (DVC never deletes it) and its content never changes while params are valid,
so DVC's early cut-off leaves the stages downstream of an unchanged key alone.
"""

from nndl.cli import run_stage
from nndl.io import write_text
from nndl.params import Params
from nndl.paths import PARAMS_OK as MARKER

CONTENT = "params.yaml is valid\n"


def main(params: Params) -> None:
    if not MARKER.exists() or MARKER.read_text(encoding="utf-8") != CONTENT:
        write_text(MARKER, CONTENT)


if __name__ == "__main__":
    run_stage(main)
