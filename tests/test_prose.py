"""The report's number formats: what a sentence prints is what the number is."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from nndl.presentation.prose import ratio


def test_a_ratio_that_three_digits_would_print_as_one_shows_its_distance_from_one() -> None:
    assert ratio(1 + 2.5e-12) == "1 + 2.5e-12"
    assert ratio(1 - 1e-5) == "1 − 1e-05"
    assert ratio(1.0) == "1"
    assert ratio(2.345) == "2.35"
    assert ratio(0.5) == "0.5"


@given(st.floats(min_value=1e-6, max_value=1e6))
def test_a_ratio_printed_reads_back_as_the_ratio_to_its_digits(value: float) -> None:
    text = ratio(value)
    if text.startswith(("1 + ", "1 − ")):
        sign = 1.0 if text[2] == "+" else -1.0
        shown = 1.0 + sign * float(text[4:])
        assert math.isclose(shown - 1.0, value - 1.0, rel_tol=0.06)
    else:
        assert math.isclose(float(text), value, rel_tol=5e-3)
        assert text != "1" or value == 1.0
