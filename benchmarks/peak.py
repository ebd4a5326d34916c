"""`python benchmarks/peak.py CMD`: run the shell command CMD, then print its seconds and the
peak resident MB of its process tree (wait4), as JSON.

wait4 counts in a child's peak the image of the process that started it, up to its exec; the
benchmark itself holds numpy, scipy and dvc, larger than most stages. Started from this small
process instead, a stage's peak is its own.
"""

import json
import os
import subprocess
import sys
import time


def main(cmd: str) -> None:
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024.0, "exit": code}))


if __name__ == "__main__":
    main(sys.argv[1])
