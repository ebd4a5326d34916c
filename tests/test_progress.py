"""Progress bars only for a person at a terminal."""

from __future__ import annotations

import io
import random

from nndl.numerics import precision
from nndl.pipeline.progress import MIN_TOTAL, progress


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
