"""Where the pipeline's files live, and how runs are named in file names, stage names, metrics,
plot series and figure titles. dvc.yaml names the same paths.

data/ holds what the compute stages write (DVC-cached); metrics/, plots/, REPORT.md and REPORT.html
what the presentation stages make of it (git-tracked).
"""

from pathlib import Path

Point = tuple[float, float]


def label(value: float | int) -> str:
    """The text DVC puts in a stage name and output path for this value (`${item}`):
    Python's str() of what its YAML 1.2 loader reads, so 1.0e-5 gives 1e-05."""
    return str(value)


def start_name(index: int, start: Point) -> str:
    """How figures, tables and plot data name a start of the ascent: "start 1 (0.2, 0.5)"."""
    return f"start {index} ({start[0]:g}, {start[1]:g})"


def fit_series(init_seed: int) -> str:
    """A fit's name in its step size's figure and plot data: "init seed 1"."""
    return f"init seed {init_seed}"


# --- data/: the compute stages' outputs ----------------------------------------------------

PARAMS_OK = Path("data/params.ok")
SAMPLES = Path("data/samples.csv")
SGD_DIR = Path("data/sgd")
SGD_SWEEP = Path("data/sgd_sweep.json")
SGD_STATIONARY = Path("data/sgd_stationary.json")
ASCENT_DIR = Path("data/ascent")
ASCENT_SEARCH = ASCENT_DIR / "search.json"
ASCENT_CRITICAL = ASCENT_DIR / "critical_points.json"
ASCENT_THEORY = ASCENT_DIR / "theory.json"
NETWORK_DIR = Path("data/network")
NETWORK_TANH_BOUNDS = NETWORK_DIR / "tanh_bounds.json"  # per weight seed, a bound on |y1| with tanh


def sgd_step_dir(step_label: str) -> Path:
    """data/sgd/<step>/: one step size's fits, what its figure stage depends on."""
    return SGD_DIR / step_label


def sgd_run_path(step_label: str, init_seed: int) -> Path:
    """data/sgd/<step>/<seed>.json, as `${item.step}/${item.seed}` expands in dvc.yaml."""
    return sgd_step_dir(step_label) / f"{init_seed}.json"


def ascent_run_path(index: int) -> Path:
    """data/ascent/<start index>.json, counting the starts from 1 as the report does."""
    return ASCENT_DIR / f"{index}.json"


def network_curve_path(activation: str, weight_seed: int) -> Path:
    """data/network/<activation>_<seed>.csv."""
    return NETWORK_DIR / f"{activation}_{weight_seed}.csv"


# --- metrics/: one row of `dvc metrics show` per file ----------------------------------------

SGD_METRICS = Path("metrics/sgd")
SGD_MLE_METRICS = SGD_METRICS / "mle.json"
ASCENT_METRICS = Path("metrics/ascent")
SGD_SWEEP_METRICS = Path("metrics/sgd_sweep.json")
SGD_STATIONARY_METRICS = Path("metrics/sgd_stationary.json")


def sgd_metrics_path(step_label: str) -> Path:
    """metrics/sgd/<step>.json: one step size's errors, a key per init seed."""
    return SGD_METRICS / f"{step_label}.json"


def ascent_metrics_path(index: int) -> Path:
    """metrics/ascent/start<index>.json: one start's chosen step and its iterations."""
    return ASCENT_METRICS / f"start{index}.json"


# --- plots/: figures (PNG) and the data of DVC's charts (CSV) --------------------------------

SGD_FIGURES = Path("plots/sgd")
SGD_OBJECTIVE_PLOT = Path("plots/sgd_objective.csv")
SGD_SWEEP_FIGURE = Path("plots/sgd_sweep.png")
SGD_SWEEP_PLOT = Path("plots/sgd_sweep.csv")
ASCENT_FIGURES = Path("plots/ascent")
ASCENT_CONTOURS_FIGURE = ASCENT_FIGURES / "contours.png"
ASCENT_VALUES_FIGURE = ASCENT_FIGURES / "ascent_values.png"
ASCENT_SEARCH_FIGURE = ASCENT_FIGURES / "ascent_search.png"
ASCENT_SEARCH_PLOT = Path("plots/ascent_search.csv")
ASCENT_VALUES_PLOT = Path("plots/ascent_values.csv")
NETWORK_FIGURE = Path("plots/network.png")


def sgd_figure(step_label: str) -> Path:
    """plots/sgd/<step>.png: one step size's objectives."""
    return SGD_FIGURES / f"{step_label}.png"


def trajectory_figure(index: int) -> Path:
    """plots/ascent/ascent_<start index>.png: one start's trajectory over the contours."""
    return ASCENT_FIGURES / f"ascent_{index}.png"


REPORT = Path("REPORT.md")
REPORT_HTML = Path("REPORT.html")  # the same text, its math and figures in one offline page
