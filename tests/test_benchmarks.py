"""The benchmark's null pipeline: the same DAG as dvc.yaml, commands that only write outputs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from benchmarks.__main__ import null_pipeline
from tests.helpers import ROOT


def test_the_null_pipeline_keeps_every_stage_dependency_param_and_output(tmp_path: Path) -> None:
    shutil.copy(ROOT / "dvc.yaml", tmp_path / "dvc.yaml")
    null_pipeline(tmp_path)
    real = yaml.safe_load((ROOT / "dvc.yaml").read_text())
    null = yaml.safe_load((tmp_path / "dvc.yaml").read_text())
    assert null["plots"] == real["plots"] and list(null["stages"]) == list(real["stages"])
    for name, entry in real["stages"].items():
        stage, other = entry.get("do", entry), null["stages"][name].get("do", null["stages"][name])
        assert {k: v for k, v in other.items() if k != "cmd"} == {
            k: v for k, v in stage.items() if k != "cmd"
        }
        assert other["cmd"].startswith("python benchmarks/null_stage.py --deps ")


def test_a_null_stage_writes_each_output_and_a_new_digest_when_what_it_reads_changes(tmp_path: Path) -> None:
    (tmp_path / "params.yaml").write_text("s:\n  a: 1\n  b: 2\n")
    (tmp_path / "in.txt").write_text("x")
    script = str(ROOT / "benchmarks/null_stage.py")
    cmd = [
        sys.executable,
        script,
        "--deps",
        "in.txt",
        "params.yaml",
        "--params",
        "s.a",
        "--outs",
        "out.json",
        "folder",
    ]

    def output() -> str:
        subprocess.run(cmd, cwd=tmp_path, check=True)
        return (tmp_path / "out.json").read_text()

    first = output()
    assert (tmp_path / "folder/null").read_text() == first
    (tmp_path / "params.yaml").write_text("s:\n  a: 1\n  b: 3\n")  # a key it does not read
    assert output() == first
    (tmp_path / "params.yaml").write_text("s:\n  a: 5\n  b: 3\n")
    second = output()
    assert second != first
    (tmp_path / "in.txt").write_text("y")
    assert output() != second
