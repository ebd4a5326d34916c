"""`make repro`'s first step: repair what an interrupted DVC leaves behind, which would stop
every later `dvc repro` and `dvc status` until a person repaired it.

DVC writes dvc.lock and .dvc/tmp/rwlock in place; killed or interrupted in the middle, it
leaves them empty or cut off mid-entry, and DVC then refuses to start ("validation failed",
"Unable to read RWLock-file"). When no DVC process holds the repository's lock, a dvc.lock
that is empty or that DVC's own lock-file schema refuses is restored
from the last commit (DVC then re-runs what changed since) or removed if git has none, and
an empty or unreadable rwlock is removed. Each repair is said in one line.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import subprocess
import sys
from pathlib import Path

from nndl.pipeline.io import Outputs

DVC_LOCK = Path("dvc.lock")
REPO_LOCK = Path(".dvc/tmp/lock")  # held by a running dvc (zc.lockfile: flock)
RWLOCK = Path(".dvc/tmp/rwlock")


def dvc_is_running(repo_lock: Path = REPO_LOCK) -> bool:
    """True while another process holds DVC's repository lock."""
    try:
        f = open(repo_lock, "a")  # noqa: SIM115 - closed below, after the probe
    except OSError:
        return False
    with f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)
        return False


def readable_lock(text: str) -> bool:
    """Whether DVC can read text as dvc.lock: YAML that DVC's lock-file schema accepts (a lock
    cut off mid-entry parses, but leaves a key without its value)."""
    from dvc.schema import COMPILED_LOCKFILE_SCHEMA
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from voluptuous import Invalid

    try:
        COMPILED_LOCKFILE_SCHEMA(YAML(typ="safe").load(text))
    except (YAMLError, Invalid):
        return False
    return True


def committed_lock() -> str | None:
    proc = subprocess.run(["git", "show", f"HEAD:{DVC_LOCK}"], capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 and proc.stdout else None


def repair() -> list[str]:
    """Repair what can be repaired; one line for each repair."""
    said = []
    if dvc_is_running():
        return said
    if DVC_LOCK.is_file() and not readable_lock(DVC_LOCK.read_text(encoding="utf-8", errors="replace")):
        state = "empty" if DVC_LOCK.stat().st_size == 0 else "cut off or unreadable"
        committed = committed_lock()
        if committed is not None:
            out = Outputs()  # renamed into place: whole or not at all
            out.text(DVC_LOCK, committed)
            out.commit()
            said.append(f"repaired: dvc.lock was {state} (an interrupted dvc run); restored it from git")
        else:
            DVC_LOCK.unlink()
            said.append(f"repaired: dvc.lock was {state} (an interrupted dvc run); removed it")
    if RWLOCK.is_file():
        try:
            json.loads(RWLOCK.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            state = "empty" if RWLOCK.stat().st_size == 0 else "unreadable"
            with contextlib.suppress(FileNotFoundError):
                RWLOCK.unlink()
            said.append(f"repaired: {RWLOCK} was {state} (an interrupted dvc run); removed it")
    return said


if __name__ == "__main__":
    try:
        for line in repair():
            print(line, file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted: run again", file=sys.stderr)
        sys.exit(130)
