"""Each workflow the README documents, run as written, in a temporary copy of the repository
with its own git history."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import BIN, ROOT, git, reproduce, run_env, set_params
from tests.helpers import dvc as run_dvc

pytestmark = pytest.mark.func


def dvc_json(repo: Path, *args: str) -> dict | list:
    return json.loads(run_dvc(repo, *args, "--json").stdout)


STEPS = ("1e-05", "0.0001", "0.001")
SEEDS = (1, 2, 3)


def test_metrics_diff_after_a_param_change_names_exactly_the_changed_errors(repo: Path) -> None:
    set_params(repo, "init_seeds: [1, 2, 3]", "init_seeds: [1, 2, 4]")
    reproduce(repo)
    diff = dvc_json(repo, "metrics", "diff")
    # the sweep and the chains have their own seeds, and the MLE's error stays
    assert set(diff) == {f"metrics/sgd/{step}.json" for step in STEPS}
    for changes in diff.values():  # seed 3's fits are gone, seed 4's are new
        assert set(changes) == {"seed3", "seed4"}
        assert isinstance(changes["seed3"]["old"], float) and changes["seed3"]["new"] is None
        assert changes["seed4"]["old"] is None and isinstance(changes["seed4"]["new"], float)


def test_metrics_show_reads_every_metric_as_a_number_one_row_per_file(repo: Path) -> None:
    (shown,) = (rev["data"] for rev in dvc_json(repo, "metrics", "show").values())
    assert set(shown) == {
        *(f"metrics/sgd/{step}.json" for step in STEPS),
        "metrics/sgd/mle.json",
        *(f"metrics/ascent/start{i}.json" for i in (1, 2, 3)),
        "metrics/sgd_sweep.json",
        "metrics/sgd_stationary.json",
    }
    for step in STEPS:
        assert set(shown[f"metrics/sgd/{step}.json"]["data"]) == {f"seed{s}" for s in SEEDS}
    values = [v for row in shown.values() for v in row["data"].values()]
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def test_bare_metrics_show_fits_a_terminal_of_160_columns(repo: Path) -> None:
    table = run_dvc(repo, "metrics", "show").stdout.splitlines()
    assert len(table) == 10  # a header and a row per file
    assert max(len(line) for line in table) <= 160


def test_params_diff_shows_the_changed_key(repo: Path) -> None:
    set_params(repo, "  dpi: 150\n", "  dpi: 120\n")
    assert dvc_json(repo, "params", "diff") == {
        "params.yaml": {"ascent_figures.dpi": {"old": 150, "new": 120, "diff": -30}}
    }


CHARTS = {
    "SGD objective for the whole data set, by step size": "plots/sgd_objective.csv",
    "Iterations to converge against the step size, measured and predicted": "plots/ascent_search.csv",
    "f along each chosen trajectory of the gradient ascent": "plots/ascent_values.csv",
    "Estimation error against the SGD step size, over the replicas": "plots/sgd_sweep.csv",
}


def test_plots_show_holds_every_figure_and_every_chart_titled_for_a_reader(repo: Path) -> None:
    shown = dvc_json(repo, "plots", "show")
    assert "errors" not in shown
    pngs = {p.relative_to(repo).as_posix() for p in (repo / "plots").rglob("*.png")}
    assert set(shown["data"]) == pngs | set(CHARTS)
    assert len(pngs) == 3 + 6 + 1 + 1  # sgd, ascent, network, sweep
    for name, plots in shown["data"].items():
        assert {p["type"] for p in plots} == ({"image"} if name.endswith(".png") else {"vega"}), name
        for plot in plots:
            if plot["type"] == "vega":
                title = plot["content"]["title"]
                assert (title["text"] if isinstance(title, dict) else title) == name


def test_every_chart_file_parses_as_csv_to_its_headers_width_and_dvc_reads_whole_labels(
    repo: Path,
) -> None:
    for rel in CHARTS.values():
        with open(repo / rel, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
        assert rows, rel
        assert all(None not in row and None not in row.values() for row in rows), rel
        assert all(len(row) == len(reader.fieldnames) for row in rows), rel
    shown = dvc_json(repo, "plots", "show")
    search = next(iter(k for k, v in CHARTS.items() if v == "plots/ascent_search.csv"))
    values = shown["data"][search][0]["content"]["data"]["values"]
    starts = {"start 1 (0.2, 0.5)", "start 2 (0.5, 0.2)", "start 3 (1, 1)"}
    assert {v["run"] for v in values} == starts | {"stability bound 2/|λ_max|"}


def test_plots_diff_against_the_last_commit_shows_both_revisions(repo: Path) -> None:
    set_params(repo, "plot_every: 10", "plot_every: 20")  # the SGD plot data only
    reproduce(repo)
    diff = dvc_json(repo, "plots", "diff", "HEAD")
    values = diff["data"]["SGD objective for the whole data set, by step size"][0]["content"]["data"][
        "values"
    ]
    points = {
        rev: sum(1 for v in values if v["rev"] == rev and v["step_size"] == "0.001")
        for rev in ("HEAD", "workspace")
    }
    assert points == {"HEAD": 3 * 1001, "workspace": 3 * 501}  # 10,001 values, every 10th or 20th


def test_exp_run_with_set_param_runs_only_what_the_param_touches_and_changes_only_its_lines(
    repo: Path,
) -> None:
    # -S writes `1e-06`, which PyYAML (YAML 1.1) would read as a string: the loader reads it
    # as DVC does, a number, so the stages run and the figure is named as DVC names the fits
    proc = run_dvc(repo, "exp", "run", "-S", "sgd.step_sizes=[1e-06]")
    ran = {line.split("'")[1] for line in proc.stdout.splitlines() if line.startswith("Running stage")}
    assert ran == {
        "validate",
        "sgd_fit@1e-06-1",
        "sgd_fit@1e-06-2",
        "sgd_fit@1e-06-3",
        "sgd_summary",
        "sgd_figures@1e-06",
        "report",
    }
    # exp run first checks out the outputs dvc.lock knows: a new fit has none yet, DVC says so
    warned = re.findall(r"No file hash info found for '([^']+)'", proc.stdout + proc.stderr)
    assert sorted(Path(w).parts[-2:] for w in warned) == [("1e-06", f"{s}.json") for s in (1, 2, 3)]
    assert (repo / "plots/sgd/1e-06.png").is_file()
    diff = git(repo, "diff", "-U0", "--", "params.yaml").splitlines()
    removed = [line for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
    assert (removed, added) == (["-  - 1.0e-5", "-  - 1.0e-4", "-  - 1.0e-3"], ["+  - 1e-06"])


def start_queue_worker(repo: Path) -> None:
    """`dvc queue start`: its worker outlives the command, so its output goes nowhere a test
    would wait on (a pipe stays open as long as the worker runs)."""
    subprocess.run(
        [str(Path(BIN) / "dvc"), "queue", "start"],
        cwd=repo,
        env=run_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )


def end_queue_workers(repo: Path, grace: float = 30.0) -> None:
    """Wait for the workers this repo's queue started to exit (`dvc queue stop` asks them
    to), then kill any left: only a process whose pid file is in this repo and
    whose working directory is this repo, so never another user's worker."""
    pids = []
    for pid_file in (repo / ".dvc/tmp/exps/celery").glob("*.pid"):
        pid = int(pid_file.read_text().strip() or 0)
        try:
            if pid and Path(os.readlink(f"/proc/{pid}/cwd")).is_relative_to(repo):
                pids.append(pid)
        except OSError:
            pass  # already gone
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        pids = [p for p in pids if Path(f"/proc/{p}").exists() and not _is_zombie(p)]
        time.sleep(0.5)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readmes_queued_experiments_run_in_the_background_and_its_exp_show_fits_160_columns(
    repo: Path,
) -> None:
    queued = [line for line in README.splitlines() if line.startswith("dvc exp run --queue")]
    assert len(queued) == 2
    for line in queued:
        run_dvc(repo, *shlex.split(line)[1:])
    start_queue_worker(repo)
    try:
        # the worker's log says when each task ends: cheaper to watch than `dvc queue status`
        logs = repo / ".dvc/tmp/exps/celery"
        deadline = time.monotonic() + 240
        ended: list[str] = []
        while len(ended) < 2 and time.monotonic() < deadline:
            text = "".join(p.read_text() for p in logs.glob("dvc-exp-worker-*.out"))
            ended = re.findall(r"run_exp\[[^]]+\] (succeeded|raised|failed)", text)
            time.sleep(0.2)
        assert ended == ["succeeded", "succeeded"], text
    finally:
        run_dvc(repo, "queue", "stop", check=False)
        end_queue_workers(repo)
    shown = dvc_json(repo, "exp", "show")
    head = next(r for r in shown if r["rev"] != "workspace")
    runs = [e["revs"][0] for e in head["experiments"]]
    assert [r["error"] for r in runs] == [None, None]
    steps = {r["data"]["params"]["params.yaml"]["data"]["sgd_stationary"]["step_size"] for r in runs}
    assert steps == {3.0e-4, 3.0e-3}
    (show,) = [line for line in README.splitlines() if line.startswith("dvc exp show")]
    table = subprocess.run(
        [str(Path(BIN) / "dvc"), *shlex.split(show)[1:], "--no-pager"],
        cwd=repo,
        env=run_env() | {"COLUMNS": "160"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert max(len(line) for line in table) <= 160 and "…" not in "".join(table)
    assert table[1].split() == ["Experiment", "spread", "sgd_stationary.step_size"]
    assert len(table) == 8  # rules, the header, the workspace, main and the two experiments


def test_push_and_pull_through_a_local_remote_restore_outputs_without_recomputing(
    repo: Path, tmp_path: Path
) -> None:
    run_dvc(repo, "remote", "add", "--local", "-d", "local", str(tmp_path / "remote"))
    run_dvc(repo, "push")
    cached = [str(p.relative_to(repo)) for p in (repo / "data").rglob("*") if p.is_file()]
    before = {p: (repo / p).read_bytes() for p in cached}
    for p in cached:
        (repo / p).unlink()
    shutil.rmtree(repo / ".dvc/cache")
    run_dvc(repo, "pull")
    assert {p: (repo / p).read_bytes() for p in cached} == before
    assert "up to date" in run_dvc(repo, "status").stdout
    assert reproduce(repo) == []
    assert git(repo, "status", "--porcelain") == ""


def test_a_clean_clone_pulls_from_the_committed_remote_and_has_nothing_to_run(
    repo: Path, tmp_path: Path
) -> None:
    run_dvc(repo, "remote", "add", "-d", "storage", str(tmp_path / "storage"))
    git(repo, "add", ".dvc/config")
    git(repo, "commit", "-q", "-m", "share results through a default remote")
    run_dvc(repo, "push")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    assert not (clone / "data/samples.csv").exists()
    pulled = run_dvc(clone, "pull")
    assert "data/samples.csv" in pulled.stdout
    assert reproduce(clone) == []
    assert git(clone, "status", "--porcelain") == ""
    for rel in ("data/samples.csv", "data/sgd/0.001/1.json", "data/ascent/search.json"):
        assert (clone / rel).read_bytes() == (repo / rel).read_bytes(), rel
