"""Stage `validate`: check all of params.yaml before any other stage runs.

Every stage that reads params depends on its marker, so DVC runs it first; the marker's
content never changes while params are valid, so DVC's early cut-off leaves the stages
downstream of an unchanged key alone.
"""

from nndl.pipeline.io import Outputs
from nndl.pipeline.params import Params
from nndl.pipeline.paths import PARAMS_OK
from nndl.pipeline.startup import run_stage

CONTENT = "params.yaml is valid\n"


def main(params: Params, out: Outputs) -> None:
    out.text(PARAMS_OK, CONTENT)


if __name__ == "__main__":
    run_stage(main)
