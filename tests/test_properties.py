"""Property-based tests (hypothesis) of the params loader and of the gradient formulas."""

from __future__ import annotations

import copy
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from nndl.numerics import ascent
from nndl.numerics import precision as pr
from nndl.pipeline.params import ParamsError, parse_params, read_document
from tests.helpers import ROOT

GOOD = read_document(ROOT / "params.yaml")
LEAVES = [(section, key) for section, body in GOOD.items() for key in body]

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.one_of(st.integers(), st.floats(), st.text(max_size=4)), max_size=4),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(leaf=st.sampled_from(LEAVES), value=junk)
def test_any_value_at_any_key_is_accepted_or_refused_naming_that_key(
    leaf: tuple[str, str], value: object
) -> None:
    doc = copy.deepcopy(GOOD)
    section, key = leaf
    doc[section][key] = value
    try:
        parse_params(doc)
    except ParamsError as err:
        message = str(err)
        assert f"{section}.{key}" in named_keys(message), message
        assert "\n" not in message


def named_keys(message: str) -> set[str]:
    """The keys a refusal names: `s.k` or `s.k[1]` (as s.k), or each of `s.{a, b[0]}`."""
    named = message.removeprefix("params.yaml: ").split(" = ")[0].split(":")[0]
    section, _, rest = named.partition(".")
    keys = rest.strip("{}").split(", ") if rest.startswith("{") else [rest]
    return {f"{section}.{k.split('[')[0]}" for k in keys}


@settings(max_examples=100, deadline=None)
@given(
    steps=st.lists(st.floats(min_value=1e-9, max_value=1e3), min_size=1, max_size=5, unique=True),
    seeds=st.lists(st.integers(min_value=0, max_value=2**32 - 1), min_size=1, max_size=5, unique=True),
)
def test_valid_step_sizes_and_seeds_load_as_given_and_are_named_as_dvc_names_them(
    steps: list[float], seeds: list[int]
) -> None:
    doc = copy.deepcopy(GOOD)
    doc["sgd"]["step_sizes"] = steps
    doc["sgd"]["init_seeds"] = seeds
    p = parse_params(doc)
    assert p.sgd.step_sizes == tuple(steps)
    assert p.sgd.step_labels == tuple(str(s) for s in steps)  # DVC's ${item.step}
    assert len(p.sgd.runs()) == len(steps) * len(seeds)


@settings(max_examples=50, deadline=None)
@given(steps=st.lists(st.floats(min_value=1e-9, max_value=1e3), min_size=1, max_size=5, unique=True))
def test_a_step_size_written_as_text_is_refused_since_dvc_would_name_files_by_its_spelling(
    steps: list[float],
) -> None:
    doc = copy.deepcopy(GOOD)
    doc["sgd"]["step_sizes"] = [repr(s) for s in steps]
    try:
        parse_params(doc)
    except ParamsError as err:
        assert str(err).startswith("params.yaml: sgd.step_sizes[0] = ")
        assert "must be a YAML number" in str(err)
    else:
        raise AssertionError("accepted a step size written as text")


spd = st.tuples(
    st.floats(min_value=0.05, max_value=20.0),
    st.floats(min_value=-0.95, max_value=0.95),
    st.floats(min_value=0.05, max_value=20.0),
).map(lambda t: (t[0], t[1] * math.sqrt(t[0] * t[2]), t[2]))
point = st.tuples(st.floats(min_value=-5, max_value=5), st.floats(min_value=-5, max_value=5))


def point_log_density(p: pr.Sym2, x: tuple[float, float]) -> float:
    """½ log det P − ½ xᵀPx, with P's three entries as separate variables (b counted twice)."""
    a, b, c = p
    return 0.5 * math.log(a * c - b * b) - 0.5 * (a * x[0] ** 2 + 2 * b * x[0] * x[1] + c * x[1] ** 2)


@settings(max_examples=200, deadline=None)
@given(p=spd, x=point)
def test_sample_gradient_matches_central_differences(p: pr.Sym2, x: tuple[float, float]) -> None:
    g = pr.sample_gradient(p, x)
    a, b, c = p
    h = 1e-6 * min(a, c)
    fd_a = (point_log_density((a + h, b, c), x) - point_log_density((a - h, b, c), x)) / (2 * h)
    fd_c = (point_log_density((a, b, c + h), x) - point_log_density((a, b, c - h), x)) / (2 * h)
    # b stands for both off-diagonal entries, so its derivative is twice one entry's
    fd_b = (point_log_density((a, b + h, c), x) - point_log_density((a, b - h, c), x)) / (2 * h) / 2
    scale = 1.0 + max(abs(v) for v in g) + 1.0 / pr.det(p)
    for exact, approx in ((g[0], fd_a), (g[1], fd_b), (g[2], fd_c)):
        assert abs(exact - approx) <= 1e-4 * scale


@settings(max_examples=200, deadline=None)
@given(w=st.tuples(st.floats(min_value=-2, max_value=3), st.floats(min_value=-2, max_value=3)))
def test_ascent_gradient_and_hessian_match_central_differences(w: tuple[float, float]) -> None:
    h = 1e-6
    g = ascent.gradient(*w)
    fd = (
        (ascent.value(w[0] + h, w[1]) - ascent.value(w[0] - h, w[1])) / (2 * h),
        (ascent.value(w[0], w[1] + h) - ascent.value(w[0], w[1] - h)) / (2 * h),
    )
    assert all(abs(e - a) < 1e-8 for e, a in zip(g, fd, strict=True))
    hess = ascent.hessian(*w)
    for j, dw in enumerate(((h, 0.0), (0.0, h))):
        gp = ascent.gradient(w[0] + dw[0], w[1] + dw[1])
        gm = ascent.gradient(w[0] - dw[0], w[1] - dw[1])
        for i in range(2):
            assert abs(hess[i, j] - (gp[i] - gm[i]) / (2 * h)) < 1e-7
