"""The one loader of params.yaml: every stage calls `load_params` before any work.

Every value is checked here, so that a bad value stops the pipeline with one line
naming the key and the value, before a stage has touched any output.

params.yaml is read the way DVC reads it (ruamel.yaml's safe loader, YAML 1.2, duplicate
keys refused), so that what passes here is exactly what DVC expands into stage names and
file names: `010` is 10 for both, `1e-06` a number for both. The values DVC names stages
and files by (`sgd.step_sizes`, `sgd.init_seeds`) must be YAML numbers, spelt by DVC as
Python's str() of them; elsewhere a string that is a plain ASCII number counts as that
number. Every size is bounded by what the numerics carry in finite floats and in memory.

Why hand-written checks rather than a schema library. Measured here (Python 3.11, a warm
disk): importing this module, reading and checking params.yaml takes about 42 ms per stage
start; pydantic's import alone 83 to 114 ms, msgspec's about 22 ms. msgspec would state the
types and simple bounds declaratively (`Meta(gt=0)`, `forbid_unknown_fields`), but that is
the small part of this file: its errors are English text with a JSON path ("Expected `float`
>= 1e-06 - at `$.sgd.init_eigenvalues[0]`") that would have to be parsed back into the
one-line "key = value: reason" message, and what most of the lines here do is outside what a
schema states: the YAML-number rule for the values DVC names stages by, strings that parse as
numbers, the covariance's symmetry and eigenvalues, repeated seeds, work bounds that multiply
fields of two sections, and a bounded repr of hostile values. One small set of typed checkers
(`real`, `integer`, `seed`, `items`, ...) and one builder per section state each rule once.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import reprlib
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from nndl.pipeline.paths import label

PARAMS_FILE = Path("params.yaml")

# Bounds that refuse absurd sizes up front instead of running out of memory or time.
MAX_FILE_BYTES = 64 * 1024  # params.yaml is about 3 KB
MAX_VALUES = 10_000  # values in the document, aliases expanded
MAX_SAMPLES = 1_000_000
MAX_ITERATIONS = 1_000_000  # burn-in, chains, thinning: arrays of this length in memory
MAX_FIT_ITERATIONS = 10_000_000  # a fit streams its draws and keeps a bounded objective
MAX_ASCENT_ITERATIONS = 100_000  # every candidate run keeps its whole path
MAX_SEED = 2**32 - 1
MAX_GRID = 2_000
MAX_POINTS = 100_000
MAX_LIST = 100
MAX_RUNS = 10  # step sizes, seeds, starts, weight sets: each one a DVC stage, a file or a panel
MAX_SWEEP_WORK = 200_000_000  # sweep step sizes x replicas x iterations: a few seconds of numpy
MAX_CHAIN_WORK = 50_000_000  # stationary chains: replicas x (burn-in + iterations)
MAX_RECORDED = 10_000_000  # stationary chains: replicas x records kept, ~80 bytes each at the peak
MIN_X_SPACING = 1e-6  # network: neighbouring x1 apart by this much of the range's magnitude
MAX_ASCENT_WORK = 2_000_000  # starts x step sizes x max_iterations: a few seconds of ascent
# Scales the float arithmetic carries with room to spare: squares, products of three
# 5x5 layers and sums over 10^6 samples stay far from overflow and underflow.
MAX_MEAN = 1e6  # |mu_i|; x - mu keeps the sample's own digits
MIN_SCALE, MAX_SCALE = 1e-6, 1e6  # covariance and P0 eigenvalues
MAX_X1 = 1e6
MAX_REGION = 1e3
GRADIENTS = ("sample", "sum")
ACTIVATIONS = ("tanh", "relu", "linear")


class ParamsError(ValueError):
    """A value in params.yaml that the pipeline refuses; str() is the one-line message."""

    def __init__(self, key: str, value: Any, reason: str) -> None:
        self.key, self.value, self.reason = key, value, reason
        shown = "" if reason == "missing" else f" = {_show(value)}"
        super().__init__(f"params.yaml: {key}{shown}: {reason}")

    @classmethod
    def of_file(cls, reason: str, where: str | None = None) -> ParamsError:
        """What is wrong with the file as a whole, with where if known: `params.yaml: line 6: ...`."""
        err = cls.__new__(cls)
        err.key, err.value, err.reason = "params.yaml", where, reason
        ValueError.__init__(err, f"params.yaml: {where}: {reason}" if where else f"params.yaml: {reason}")
        return err

    @classmethod
    def of_keys(cls, section: str, values: dict[str, Any], reason: str) -> ParamsError:
        """Several keys of one section that are each valid but refused together (a bound on their
        product): all are named, since any of them may be the one just changed.
        `params.yaml: s.{a, b} = 1, 2: a * b must be at most 1`."""
        err = cls.__new__(cls)
        err.key, err.value, err.reason = f"{section}.{{{', '.join(values)}}}", tuple(values.values()), reason
        shown = ", ".join(_show(v) for v in values.values())
        ValueError.__init__(err, f"params.yaml: {err.key} = {shown}: {reason}")
        return err


class _YamlRepr(reprlib.Repr):
    """reprlib's bounded repr, with YAML's spelling of true, false and null."""

    def repr_bool(self, value: bool, level: int) -> str:
        return "true" if value else "false"

    def repr_NoneType(self, value: None, level: int) -> str:  # the name reprlib dispatches to
        return "null"


_REPR = _YamlRepr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 3, 6, 4, 40, 40


def _show(value: Any) -> str:
    """A bounded repr: a huge or deeply aliased value is never printed whole."""
    text = _REPR.repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


_MISSING = object()


class _Section:
    """A mapping read key by key, so that missing and unknown keys are both reported."""

    def __init__(self, key: str, value: Any) -> None:
        if not isinstance(value, Mapping):
            raise ParamsError(key, value, "must be a mapping")
        self.key, self.value, self.read = key, value, set()

    def __call__(self, name: str) -> tuple[str, Any]:
        key = f"{self.key}.{name}" if self.key else name
        value = self.value.get(name, _MISSING)
        if value is _MISSING:
            # a look-alike key in name's place (a Cyrillic е in `sееd`) is named, not `seed`
            odd = [k for k in self.value if isinstance(k, str) and not k.isascii()]
            near = difflib.get_close_matches(name, odd, n=1, cutoff=0.4)
            # and a misspelling in its place (`seeed`): the key written is named with its value
            unread = [k for k in self.value if isinstance(k, str) and k not in self.read]
            near = near or difflib.get_close_matches(name, unread, n=1, cutoff=0.8)
            if near:
                shown = f"{self.key}.{_visible(near[0])}" if self.key else _visible(near[0])
                raise ParamsError(shown, self.value[near[0]], f"unknown key (did you mean {name!r}?)")
            raise ParamsError(key, None, "missing")
        self.read.add(name)
        return key, value

    def section(self, name: str) -> _Section:
        return _Section(*self(name))

    def done(self) -> None:
        for name in self.value:
            if name not in self.read:
                shown = _visible(str(name))
                key = f"{self.key}.{shown}" if self.key else shown
                near = difflib.get_close_matches(str(name), sorted(self.read), n=1, cutoff=0.6)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise ParamsError(key, self.value[name], f"unknown key{hint}")


def _visible(name: str) -> str:
    """name with every character outside printable ASCII written as its escape: a look-alike
    key (a Cyrillic е in `sееd`) shows which letters are not the ones it looks like."""
    return "".join(
        ch if ch.isascii() and ch.isprintable() else ch.encode("unicode_escape").decode() for ch in name
    )


def _number(key: str, value: Any, reason: str) -> float:
    """A YAML number, or a string that is a plain ASCII number ('1e-3', not ' 1e-3' or '１e-3')."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ParamsError(key, value, reason)
    if isinstance(value, str) and (not value.isascii() or value != value.strip()):
        raise ParamsError(key, value, reason)
    try:
        return float(value)
    except (ValueError, OverflowError):
        raise ParamsError(key, value, reason) from None


def real(
    key: str,
    value: Any,
    *,
    gt: float | None = None,
    ge: float | None = None,
    lt: float | None = None,
    le: float | None = None,
) -> float:
    """A finite number; a string that parses as one counts (`dvc exp run -S x=1e-06`
    writes 1e-06, which PyYAML reads as a string)."""
    number = _number(key, value, "must be a number")
    if not math.isfinite(number):
        raise ParamsError(key, value, "must be finite")
    for bound, ok, word in (
        (gt, lambda b: number > b, ">"),
        (ge, lambda b: number >= b, ">="),
        (lt, lambda b: number < b, "<"),
        (le, lambda b: number <= b, "<="),
    ):
        if bound is not None and not ok(bound):
            raise ParamsError(key, value, f"must be {word} {bound:g}")
    return number


def integer(key: str, value: Any, *, ge: int, le: int) -> int:
    """A whole number written as one (1e4 and '10000' count; 2.5 and true do not)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        as_float = _number(key, value, "must be an integer")
        if not math.isfinite(as_float):
            raise ParamsError(key, value, "must be finite")
        if not as_float.is_integer():
            raise ParamsError(key, value, "must be an integer")
        number = int(as_float)
    if not ge <= number <= le:
        raise ParamsError(key, value, f"must be between {ge} and {le}")
    return number


def seed(key: str, value: Any) -> int:
    """A seed, written as a YAML integer so that DVC names its stage and file the same way."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParamsError(key, value, "must be an integer")
    return integer(key, value, ge=0, le=MAX_SEED)


def matrix_number(key: str, value: Any) -> float:
    """A value DVC names a stage and a file by: a YAML number, since DVC spells a string as
    written ('1E-3', '0.001 ') while the stage reads it as a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamsError(key, value, "must be a YAML number (DVC names the fit stages and files by it)")
    return float(value)


def items(
    key: str, value: Any, *, length: int | None = None, max_len: int = MAX_LIST
) -> list[tuple[str, Any]]:
    """The (key, value) pairs of a non-empty list, for per-element checks."""
    if not isinstance(value, list):
        raise ParamsError(key, value, "must be a list")
    if length is not None and len(value) != length:
        raise ParamsError(key, value, f"must have {length} entries")
    if not 1 <= len(value) <= max_len:
        raise ParamsError(key, value, f"must have 1 to {max_len} entries")
    return [(f"{key}[{i}]", v) for i, v in enumerate(value)]


def unique(key: str, raw: Any, values: list[Any]) -> tuple[Any, ...]:
    if len(set(values)) != len(values):
        raise ParamsError(key, raw, "must not repeat a value")
    return tuple(values)


def choice(key: str, value: Any, options: tuple[str, ...]) -> str:
    if value not in options:
        raise ParamsError(key, value, f"must be one of {', '.join(options)}")
    return value


def flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ParamsError(key, value, "must be true or false")
    return value


def interval(
    key: str, value: Any, *, gt: float | None = None, ge: float | None = None, le: float | None = None
) -> tuple[float, float]:
    """Two numbers, low then high, low < high."""
    low, high = (real(k, v, gt=gt, ge=ge, le=le) for k, v in items(key, value, length=2))
    if not low < high:
        raise ParamsError(key, value, "must be [low, high] with low < high")
    return low, high


# --- sections -------------------------------------------------------------------------


class Gaussian(NamedTuple):
    seed: int
    n: int
    mean: tuple[float, float]
    cov: tuple[float, float, float]  # (s11, s12, s22) of the symmetric 2x2 covariance


class Sgd(NamedTuple):
    step_sizes: tuple[float, ...]
    step_labels: tuple[str, ...]
    init_seeds: tuple[int, ...]
    iterations: int
    gradient: str
    init_eigenvalues: tuple[float, float]

    def runs(self) -> list[tuple[float, str, int]]:
        """(step size, its label, init seed) for every fit, in params order."""
        return [
            (step, lab, s)
            for step, lab in zip(self.step_sizes, self.step_labels, strict=True)
            for s in self.init_seeds
        ]


class SgdFigures(NamedTuple):
    plot_every: int
    dpi: int


class Ascent(NamedTuple):
    starts: tuple[tuple[float, float], ...]
    step_sizes: tuple[float, ...]
    tolerance: float
    max_iterations: int
    region: tuple[float, float]


class AscentFigures(NamedTuple):
    grid: int
    levels: int
    dpi: int
    arrow_width: float
    head_width: float
    head_length: float


class Network(NamedTuple):
    weight_seeds: tuple[int, ...]
    activations: tuple[str, ...]
    weight_std: float
    output_activation: bool
    bias: bool
    x1_range: tuple[float, float]
    points: int
    fixed_inputs_seed: int


class NetworkFigures(NamedTuple):
    dpi: int


class SgdSweep(NamedTuple):
    step_range: tuple[float, float]
    steps_per_decade: int
    replicas: int
    iterations: int
    sheet_steps: tuple[float, ...]
    seed: int


class SgdStationary(NamedTuple):
    step_size: float
    replicas: int
    burn_in: int
    iterations: int
    record_every: int
    seed: int


class SgdSweepFigures(NamedTuple):
    dpi: int


class Params(NamedTuple):
    gaussian: Gaussian
    sgd: Sgd
    sgd_figures: SgdFigures
    sgd_sweep: SgdSweep
    sgd_stationary: SgdStationary
    sgd_sweep_figures: SgdSweepFigures
    ascent: Ascent
    ascent_figures: AscentFigures
    network: Network
    network_figures: NetworkFigures


def _gaussian(s: _Section) -> Gaussian:
    return Gaussian(
        seed=seed(*s("seed")),
        n=integer(*s("n"), ge=2, le=MAX_SAMPLES),
        mean=tuple(real(k, v, ge=-MAX_MEAN, le=MAX_MEAN) for k, v in items(*s("mean"), length=2)),
        cov=_covariance(*s("cov")),
    )


def _covariance(key: str, value: Any) -> tuple[float, float, float]:
    rows = [[real(k, v) for k, v in items(rk, rv, length=2)] for rk, rv in items(key, value, length=2)]
    (s11, s12), (s21, s22) = rows
    if s12 != s21:
        raise ParamsError(key, value, "must be symmetric")
    if not (s11 > 0 and s11 * s22 - s12 * s12 > 0):
        raise ParamsError(key, value, "must be positive definite")
    low, high = eigenvalues((s11, s12, s22))
    if not MIN_SCALE <= low <= high <= MAX_SCALE:
        raise ParamsError(
            key,
            value,
            f"must have eigenvalues between {MIN_SCALE:g} and {MAX_SCALE:g} (has {low:.3g}, {high:.3g})",
        )
    return s11, s12, s22


def eigenvalues(sym: tuple[float, float, float]) -> tuple[float, float]:
    """The eigenvalues of [[a, b], [b, c]], ascending, in closed form."""
    a, b, c = sym
    mid, radius = 0.5 * (a + c), math.hypot(0.5 * (a - c), b)
    return mid - radius, mid + radius


def _sgd(s: _Section) -> Sgd:
    key, raw = s("step_sizes")
    steps = [
        (k, v, real(k, matrix_number(k, v), gt=0.0, le=1e3)) for k, v in items(key, raw, max_len=MAX_RUNS)
    ]
    unique(key, raw, [step for _, _, step in steps])
    key_s, raw_s = s("init_seeds")
    seeds = unique(key_s, raw_s, [seed(k, v) for k, v in items(key_s, raw_s, max_len=MAX_RUNS)])
    return Sgd(
        step_sizes=tuple(step for _, _, step in steps),
        step_labels=tuple(label(v) for _, v, _ in steps),
        init_seeds=seeds,
        iterations=integer(*s("iterations"), ge=1, le=MAX_FIT_ITERATIONS),
        gradient=choice(*s("gradient"), GRADIENTS),
        init_eigenvalues=interval(*s("init_eigenvalues"), ge=MIN_SCALE, le=MAX_SCALE),
    )


def _sgd_figures(s: _Section) -> SgdFigures:
    return SgdFigures(
        plot_every=integer(*s("plot_every"), ge=1, le=MAX_ITERATIONS),
        dpi=integer(*s("dpi"), ge=20, le=600),
    )


def _sgd_sweep(s: _Section) -> SgdSweep:
    return SgdSweep(
        step_range=interval(*s("step_range"), ge=1e-9, le=1e3),
        steps_per_decade=integer(*s("steps_per_decade"), ge=1, le=20),
        replicas=integer(*s("replicas"), ge=1, le=1000),
        iterations=integer(*s("iterations"), ge=1, le=MAX_ITERATIONS),
        sheet_steps=_sheet_steps(*s("sheet_steps")),
        seed=seed(*s("seed")),
    )


def _sheet_steps(key: str, raw: Any) -> tuple[float, ...]:
    return unique(key, raw, [real(k, v, gt=0.0, le=1e3) for k, v in items(key, raw, max_len=MAX_RUNS)])


def _sgd_stationary(s: _Section) -> SgdStationary:
    w = SgdStationary(
        step_size=real(*s("step_size"), gt=0.0, le=1e3),
        replicas=integer(*s("replicas"), ge=2, le=1000),
        burn_in=integer(*s("burn_in"), ge=0, le=MAX_ITERATIONS),
        iterations=integer(*s("iterations"), ge=1, le=MAX_ITERATIONS),
        record_every=integer(*s("record_every"), ge=1, le=MAX_ITERATIONS),
        seed=seed(*s("seed")),
    )
    if w.replicas * (w.burn_in + w.iterations) > MAX_CHAIN_WORK:
        raise ParamsError.of_keys(
            "sgd_stationary",
            {"replicas": w.replicas, "burn_in": w.burn_in, "iterations": w.iterations},
            f"replicas * (burn_in + iterations) must be at most {MAX_CHAIN_WORK}",
        )
    if w.replicas * (w.iterations // w.record_every) > MAX_RECORDED:
        raise ParamsError.of_keys(
            "sgd_stationary",
            {"replicas": w.replicas, "iterations": w.iterations, "record_every": w.record_every},
            f"replicas * (iterations // record_every), the iterates kept, must be at most {MAX_RECORDED}",
        )
    if w.iterations // w.record_every < 1:
        raise ParamsError.of_keys(
            "sgd_stationary",
            {"iterations": w.iterations, "record_every": w.record_every},
            "record_every must be at most iterations",
        )
    return w


def _sgd_sweep_figures(s: _Section) -> SgdSweepFigures:
    return SgdSweepFigures(dpi=integer(*s("dpi"), ge=20, le=600))


def _ascent(s: _Section) -> Ascent:
    key, raw = s("starts")
    starts = [
        tuple(real(k, v) for k, v in items(sk, sv, length=2)) for sk, sv in items(key, raw, max_len=MAX_RUNS)
    ]
    key_st, raw_st = s("step_sizes")
    steps = unique(key_st, raw_st, [real(k, v, gt=0.0, le=1e3) for k, v in items(key_st, raw_st)])
    region = interval(*s("region"), ge=-MAX_REGION, le=MAX_REGION)
    for (k, _), start in zip(items(key, raw), starts, strict=True):
        if not all(region[0] <= x <= region[1] for x in start):
            name = k.removeprefix("ascent.")
            raise ParamsError.of_keys(
                "ascent", {name: list(start), "region": list(region)}, f"{name} must lie in the region"
            )
    a = Ascent(
        starts=tuple(starts),
        step_sizes=steps,
        tolerance=real(*s("tolerance"), gt=0.0, le=1.0),
        max_iterations=integer(*s("max_iterations"), ge=1, le=MAX_ASCENT_ITERATIONS),
        region=region,
    )
    work = len(a.starts) * len(a.step_sizes) * a.max_iterations
    if work > MAX_ASCENT_WORK:
        raise ParamsError.of_keys(
            "ascent",
            {"starts": len(a.starts), "step_sizes": len(a.step_sizes), "max_iterations": a.max_iterations},
            f"(number of starts) * (number of step sizes) * max_iterations must be at most {MAX_ASCENT_WORK}",
        )
    return a


def _ascent_figures(s: _Section) -> AscentFigures:
    return AscentFigures(
        grid=integer(*s("grid"), ge=2, le=MAX_GRID),
        levels=integer(*s("levels"), ge=1, le=200),
        dpi=integer(*s("dpi"), ge=20, le=600),
        arrow_width=real(*s("arrow_width"), gt=0.0, le=1.0),
        head_width=real(*s("head_width"), ge=0.0, le=1.0),
        head_length=real(*s("head_length"), ge=0.0, le=1.0),
    )


def _network(s: _Section) -> Network:
    key_s, raw_s = s("weight_seeds")
    key_a, raw_a = s("activations")
    n = Network(
        weight_seeds=unique(key_s, raw_s, [seed(k, v) for k, v in items(key_s, raw_s, max_len=MAX_RUNS)]),
        activations=unique(key_a, raw_a, [choice(k, v, ACTIVATIONS) for k, v in items(key_a, raw_a)]),
        weight_std=real(*s("weight_std"), gt=0.0, le=1e3),
        output_activation=flag(*s("output_activation")),
        bias=flag(*s("bias")),
        x1_range=interval(*s("x1_range"), ge=-MAX_X1, le=MAX_X1),
        points=integer(*s("points"), ge=2, le=MAX_POINTS),
        fixed_inputs_seed=seed(*s("fixed_inputs_seed")),
    )
    (low, high), points = n.x1_range, n.points
    if (high - low) / (points - 1) < MIN_X_SPACING * max(1.0, abs(low), abs(high)):
        raise ParamsError.of_keys(
            "network",
            {"x1_range": list(n.x1_range), "points": points},
            f"neighbouring x1 must be at least {MIN_X_SPACING:g} of the range's magnitude apart,"
            " or a curve's slopes lose their digits",
        )
    return n


def _network_figures(s: _Section) -> NetworkFigures:
    return NetworkFigures(dpi=integer(*s("dpi"), ge=20, le=600))


_SECTIONS: dict[str, Callable[[_Section], Any]] = {
    "gaussian": _gaussian,
    "sgd": _sgd,
    "sgd_figures": _sgd_figures,
    "sgd_sweep": _sgd_sweep,
    "sgd_stationary": _sgd_stationary,
    "sgd_sweep_figures": _sgd_sweep_figures,
    "ascent": _ascent,
    "ascent_figures": _ascent_figures,
    "network": _network,
    "network_figures": _network_figures,
}


def _whole(section: _Section, build: Callable[[_Section], Any]) -> Any:
    """A section built from its keys, then refused if it has a key the builder did not read."""
    built = build(section)
    section.done()
    return built


def parse_params(raw: Any) -> Params:
    """Validate the parsed YAML document as a whole; raise ParamsError at the first bad value."""
    if not isinstance(raw, Mapping):
        raise ParamsError.of_file("must be a mapping of sections")
    top = _Section("", raw)
    sections = {name: _whole(top.section(name), build) for name, build in _SECTIONS.items()}
    top.done()
    params = Params(**sections)
    sweep = params.sgd_sweep
    steps = sweep_grid_size(sweep.step_range, sweep.steps_per_decade)
    if steps < 2:
        raise ParamsError.of_keys(
            "sgd_sweep",
            {"step_range": list(sweep.step_range), "steps_per_decade": sweep.steps_per_decade},
            f"the grid 10^(k/steps_per_decade) in the range must hold at least 2 step sizes (holds {steps})",
        )
    if steps * sweep.replicas * sweep.iterations > MAX_SWEEP_WORK:
        raise ParamsError.of_keys(
            "sgd_sweep",
            {
                "step_range": list(sweep.step_range),
                "steps_per_decade": sweep.steps_per_decade,
                "replicas": sweep.replicas,
                "iterations": sweep.iterations,
            },
            f"the grid's {steps} step sizes * replicas * iterations must be at most {MAX_SWEEP_WORK}",
        )
    return params


def sweep_grid_size(step_range: tuple[float, float], per_decade: int) -> int:
    """How many step sizes nndl.numerics.sweep.log_grid makes of the range (one per 1/per_decade decade)."""
    first, last = math.log10(step_range[0]), math.log10(step_range[1])
    return int(math.floor(last * per_decade + 1e-9) - math.ceil(first * per_decade - 1e-9)) + 1


def load_params(path: Path = PARAMS_FILE) -> Params:
    """Read params.yaml as DVC does, refusing what cannot be read safely, and validate it."""
    return parse_params(parse_document(read_bytes(path)))


def read_document(path: Path = PARAMS_FILE) -> Any:
    """The parsed YAML document of the file at path."""
    return parse_document(read_bytes(path))


def read_bytes(path: Path = PARAMS_FILE) -> bytes:
    """The file's bytes, if it is a regular file of bounded size (a FIFO would block a
    reader, /dev/zero never end)."""
    name = "params.yaml"
    try:
        info = os.stat(path)
    except OSError as err:
        raise ParamsError(name, str(path), f"cannot be read ({err.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ParamsError(name, str(path), "must be a regular file")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ParamsError(name, str(path), f"cannot be read ({err.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ParamsError(name, str(path), f"must be at most {MAX_FILE_BYTES} bytes")
    return data


def parse_document(data: bytes) -> Any:
    """The YAML document in data: UTF-8, YAML 1.2 by DVC's own loader, no duplicate keys, and
    aliases that expand to a bounded number of values."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ParamsError(
            "params.yaml", f"byte {data[err.start]:#04x} at offset {err.start}", "is not UTF-8 text"
        ) from None
    doc = _parse_yaml(text)
    if doc is None:
        raise ParamsError.of_file("is empty")
    _count_values(doc)
    return doc


def _parse_yaml(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe").load(text)
    except DuplicateKeyError as err:
        key = re.match(r'found duplicate key "(.*?)" with value', err.problem or "")
        reason = f"repeats the key {key.group(1)!r}" if key else "repeats a key"
        raise ParamsError.of_file(reason, f"line {err.problem_mark.line + 1}") from None
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise ParamsError.of_file("is not valid YAML", mark and f"line {mark.line + 1}") from None
    except RecursionError:
        raise ParamsError.of_file("is nested too deeply") from None
    except ValueError:  # an integer past Python's limit on the digits it converts
        limit = sys.get_int_max_str_digits()
        line = next(
            (
                i
                for i, text_line in enumerate(text.splitlines(), start=1)
                if re.search(rf"\d{{{limit + 1}}}", text_line)
            ),
            None,
        )
        raise ParamsError.of_file(
            f"holds a number of more than {limit} digits", line and f"line {line}"
        ) from None


def _count_values(doc: Any) -> None:
    """Refuse a document whose aliases expand past MAX_VALUES values, before anything walks
    it whole (a few hundred bytes of nested aliases expand to billions)."""
    stack, seen = [doc], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise ParamsError.of_file(f"has more than {MAX_VALUES} values once its aliases are expanded")
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


if __name__ == "__main__":  # `make repro`, before DVC reads params.yaml: the one-line message
    import sys

    try:
        load_params()
    except ParamsError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        print("interrupted: run again", file=sys.stderr)
        raise SystemExit(130) from None
