"""What the browser tests share: Debian's chromium, headless, with every connection refused, and
the programs of poppler-utils that read a PDF. Absent, a test that needs one is skipped, with
the package to install; in CI (`CI` set), where .ci/run installs them, it fails instead."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

OFFLINE = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",  # nothing listens there: every request fails
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=30000",
]


def require(program: str, package: str) -> str:
    """The path of program; skipped (failed in CI) where Debian's package is not installed."""
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed; .ci/run installs Debian's package {package}")
        pytest.skip(f"the test needs {program}, of Debian's package {package} (apt-get install {package})")
    return path


@pytest.fixture
def chromium(tmp_path: Path):
    """run(page, *args): chromium's stdout for page, opened offline with a profile of its own."""
    program = require("chromium", "chromium")
    home = tmp_path / "chromium-home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home), XDG_CACHE_HOME=str(home))

    def run(page: Path, *args: str) -> str:
        proc = subprocess.run(
            [program, *OFFLINE, f"--user-data-dir={home / 'profile'}", *args, page.as_uri()],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return proc.stdout

    return run


@pytest.fixture
def poppler() -> dict[str, str]:
    """The paths of pdfinfo and pdftotext."""
    return {program: require(program, "poppler-utils") for program in ("pdfinfo", "pdftotext")}
