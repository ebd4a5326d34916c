"""`python benchmarks/peak.py CMD`: run the shell command CMD, then print its seconds and the
peak resident MB of its process tree (wait4), as JSON.

wait4 counts in a child's peak the image of the process that started it, up to its exec; the
benchmark itself holds numpy, scipy and dvc, larger than most stages. Started from this small
process instead, a stage's peak is its own. `measured` is the same measurement for a caller
that is small itself (benchmarks/scale.py).
"""

import json
import os
import subprocess
import sys
import time
from typing import IO


def measured(
    cmd: str | list[str], *, stderr: int | IO = subprocess.DEVNULL, **popen
) -> tuple[float, float, int]:
    """(seconds, peak resident MB of it and the children it waited for, exit status) of cmd."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr, **popen)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def main(cmd: str) -> None:
    seconds, peak, code = measured(cmd, shell=True)
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "exit": code}))


if __name__ == "__main__":
    main(sys.argv[1])
