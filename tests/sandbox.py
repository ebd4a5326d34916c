"""A throw-away copy of this repository with its own git history, and edits of its params.yaml:
where the functional tests and the benchmark run dvc, as a fresh clone would.

Test and benchmark support, not used by any stage: benchmarks/ imports it from here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # tests/ is at the top of the repository
BIN = str(Path(sys.executable).parent)
# the copy's own git identity: `dvc exp run` commits, and a user may have no global one
GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def run_env() -> dict[str, str]:
    """The environment a stage needs: this venv's python first on PATH, a git identity."""
    env = dict(os.environ, **GIT_ENV)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    return env


def user_env() -> dict[str, str]:
    """run_env() as a user's shell has it, where Python writes its bytecode caches: the
    benchmarks time what a user waits for, and with PYTHONDONTWRITEBYTECODE set every stage
    start in a fresh copy would compile the project's modules again (10 to 16 ms each)."""
    env = run_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=run_env()
    ).stdout


def project_files() -> list[str]:
    """What git would commit from this checkout: tracked files and untracked, unignored ones."""
    out = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard")
    return [p for p in out.splitlines() if (ROOT / p).is_file()]


def copy_project(dest: Path) -> Path:
    """The project's files in dest, committed in a fresh git history with its own identity."""
    for rel in project_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "config", "user.name", GIT_ENV["GIT_AUTHOR_NAME"])
    git(dest, "config", "user.email", GIT_ENV["GIT_AUTHOR_EMAIL"])
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "copy of the project")
    return dest


def replace_setting(text: str, old: str, new: str) -> str:
    """text with old replaced by new, the one way params.yaml is edited. Where old occurs
    once it is replaced as it stands; otherwise old is `key: [flow, list]`, and the key's list
    as DVC writes params.yaml (one `- item` a line) is what new replaces. `section.key: value`
    looks only inside that top-level section, for a key that several sections have."""
    qualified = re.match(r"([a-z_]+)\.(?=[a-z_]+: )", old)
    if qualified:
        start = re.search(rf"^{qualified.group(1)}:\n", text, flags=re.M)
        assert start, f"no section {qualified.group(1)!r} in params.yaml"
        end = re.search(r"^\S", text[start.end() :], flags=re.M)
        stop = start.end() + end.start() if end else len(text)
        inner = replace_setting(text[start.end() : stop], old[qualified.end() :], new)
        return text[: start.end()] + inner + text[stop:]
    if text.count(old) == 1:
        return text.replace(old, new)
    from ruamel.yaml import YAML

    m = re.fullmatch(r"(\w+): (.+)", old.strip("\n"), flags=re.S)
    assert m, f"{old!r} is not in params.yaml"
    key, want = m.group(1), YAML(typ="safe").load(m.group(2))
    found = []
    for block in re.finditer(rf"^( *){key}:[ \t]*(?:#.*)?\n(?:\1- .*\n|\1  +.*\n)+", text, flags=re.M):
        value = YAML(typ="safe").load(textwrap.dedent(block.group(0)))[key]
        if value == want:
            found.append((block, block.group(1)))
    assert len(found) == 1, f"{old!r}: {len(found)} matches in params.yaml"
    block, indent = found[0]
    replacement = textwrap.indent(new.strip("\n"), indent) + "\n" if new.strip() else ""
    return text[: block.start()] + replacement + text[block.end() :]


def set_params(repo: Path, old: str, new: str) -> None:
    """Edit repo's params.yaml: old replaced by new (see replace_setting)."""
    path = repo / "params.yaml"
    path.write_text(replace_setting(path.read_text(), old, new))
