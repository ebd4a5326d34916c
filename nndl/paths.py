"""Where the pipeline's files live, and how runs are named: in file names, stage names,
metrics keys, plot series and figure titles. dvc.yaml names the same paths."""

from pathlib import Path

Point = tuple[float, float]

PARAMS_OK = Path("data/params.ok")
SAMPLES = Path("data/samples.csv")
SGD_DIR = Path("data/sgd")
SGD_METRICS = Path("metrics/sgd.json")
SGD_PLOTS = Path("plots/sgd")
# what each of plots/sgd's figures was drawn from (nndl.memo), so that the summary may keep it
SGD_FIGURE_MEMO = Path("data/sgd_figures.json")


def sgd_run_path(step_label: str, init_seed: int) -> Path:
    """data/sgd/<step>_<seed>.json, as `${item.step}_${item.seed}` expands in dvc.yaml."""
    return SGD_DIR / f"{step_label}_{init_seed}.json"


def run_key(step_label: str, init_seed: int) -> str:
    """A fit's name in metrics/sgd.json: error_<key>, diverged_at_<key>."""
    return f"step{step_label}_seed{init_seed}"


def sgd_figure(step_label: str) -> Path:
    """plots/sgd/<step>.png: one step size's objectives."""
    return SGD_PLOTS / f"{step_label}.png"


def sgd_plot_data(step_label: str) -> Path:
    """plots/sgd/<step>.csv: the same as DVC plot data."""
    return SGD_PLOTS / f"{step_label}.csv"


def fit_series(init_seed: int) -> str:
    """A fit's name in its step size's figure and plot data: "init seed 1"."""
    return f"init seed {init_seed}"


def label(value: float | int) -> str:
    """The text DVC puts in a stage name and output path for this value (`${item}`):
    Python's str() of what its YAML 1.2 loader reads, so 1.0e-5 gives 1e-05."""
    return str(value)


def start_name(index: int, start: Point) -> str:
    """How figures, tables and plot data name a start of the ascent: "start 1 (0.2, 0.5)"."""
    return f"start {index} ({start[0]:g}, {start[1]:g})"


ASCENT_DIR = Path("data/ascent")
ASCENT_SEARCH = ASCENT_DIR / "search.json"
ASCENT_CRITICAL = ASCENT_DIR / "critical_points.json"
ASCENT_DISCUSSION = ASCENT_DIR / "discussion.md"
ASCENT_METRICS = Path("metrics/ascent.json")
ASCENT_SEARCH_PLOT = Path("plots/ascent_search.csv")
ASCENT_VALUES_PLOT = Path("plots/ascent_values.csv")
ASCENT_FIGURES = Path("plots/ascent")


ASCENT_VALUES_FIGURE = ASCENT_FIGURES / "ascent_values.png"


def trajectory_figure(index: int) -> Path:
    """plots/ascent/ascent_<start index>.png: one start's trajectory over the contours."""
    return ASCENT_FIGURES / f"ascent_{index}.png"


def ascent_run_path(index: int) -> Path:
    """data/ascent/<start index>.json, counting the starts from 1 as the report does."""
    return ASCENT_DIR / f"{index}.json"


NETWORK_DIR = Path("data/network")
NETWORK_FIGURE = Path("plots/network.png")


def network_curve_path(activation: str, weight_seed: int) -> Path:
    """data/network/<activation>_<seed>.csv."""
    return NETWORK_DIR / f"{activation}_{weight_seed}.csv"


REPORT = Path("REPORT.md")
REPORT_TEMPLATE = Path("nndl/templates/report.md")

SGD_SWEEP = Path("data/sgd_sweep.json")
SGD_SWEEP_METRICS = Path("metrics/sgd_sweep.json")
SGD_SWEEP_PLOT = Path("plots/sgd_sweep.csv")
SGD_SWEEP_FIGURE = Path("plots/sgd_sweep.png")
SGD_STATIONARY = Path("data/sgd_stationary.json")
SGD_STATIONARY_METRICS = Path("metrics/sgd_stationary.json")
ASCENT_THEORY = ASCENT_DIR / "theory.json"
ASCENT_SEARCH_FIGURE = Path("plots/ascent/ascent_search.png")
