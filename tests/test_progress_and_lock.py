"""Progress bars only for a person at a terminal, and dvc.lock tidied to what dvc.yaml defines."""

from __future__ import annotations

import io
import random

from ruamel.yaml import YAML

from nndl import lockfile, precision
from nndl.progress import MIN_TOTAL, progress
from tests.helpers import ROOT


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_job_shows_a_bar_on_a_terminal_and_nothing_elsewhere() -> None:
    for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
        advance, close = progress(MIN_TOTAL, "fit", stream)
        advance(MIN_TOTAL)
        close()
        assert ("fit" in stream.getvalue()) is shown


def test_a_short_job_shows_nothing_even_on_a_terminal() -> None:
    stream = Terminal()
    advance, close = progress(MIN_TOTAL - 1, "fit", stream)
    advance(10)
    close()
    assert stream.getvalue() == ""


def test_the_fit_reports_every_iteration_once_and_its_result_does_not_depend_on_it() -> None:
    rng = random.Random(0)
    stream = [(rng.gauss(0, 1), rng.gauss(0, 1)) for _ in range(2 * precision.CHUNK + 7)]
    s = precision.scatter(stream, (0.0, 0.0))
    done = []
    heard = precision.sgd_fit((1.0, 0.0, 1.0), stream, s, len(stream), 1e-4, advance=done.append)
    silent = precision.sgd_fit((1.0, 0.0, 1.0), stream, s, len(stream), 1e-4)
    assert sum(done) == len(stream) and heard == silent


def test_tidy_keeps_the_defined_stages_in_dvc_yaml_order_and_each_entry_as_dvc_wrote_it() -> None:
    lock = (ROOT / "dvc.lock").read_text()
    entries = YAML(typ="safe").load(lock)["stages"]
    names = list(entries)
    stale = lock.replace("  sgd_fit@0.0001-1:\n", "  sgd_fit@0.0002-1:\n")
    order = [n if n != "sgd_fit@0.0001-1" else "sgd_fit@0.0002-1" for n in names]
    shuffled = lockfile.tidy(stale, order[::-1])  # a stale entry, and every entry in another order
    assert list(YAML(typ="safe").load(shuffled)["stages"]) == order[::-1]
    tidy = lockfile.tidy(shuffled, names)
    parsed = YAML(typ="safe").load(tidy)["stages"]
    assert list(parsed) == [n for n in names if n != "sgd_fit@0.0001-1"]
    assert all(parsed[n] == entries[n] for n in parsed)
    assert lockfile.tidy(lock, names) == lock


def test_the_stages_dvc_yaml_defines_are_read_in_order() -> None:
    defined = lockfile.defined_stages((ROOT / "dvc.yaml").read_text())
    assert defined == list(YAML(typ="safe").load((ROOT / "dvc.yaml").read_text())["stages"])


def test_tidy_leaves_a_file_that_is_not_a_lock_alone() -> None:
    for text in ("", "not: a lock\n", "schema: '2.0'\nstages:\n    odd: indentation\n"):
        assert lockfile.tidy(text, ["validate"]) == text
