"""Where the pipeline's files live; dvc.yaml names the same paths."""

from pathlib import Path

PARAMS_OK = Path("data/params.ok")
SAMPLES = Path("data/samples.csv")
SGD_DIR = Path("data/sgd")
SGD_METRICS = Path("metrics/sgd.json")
SGD_PLOTS = Path("plots/sgd")


def sgd_run_path(step_label: str, init_seed: int) -> Path:
    """data/sgd/<step>_<seed>.json, as `${item.step}_${item.seed}` expands in dvc.yaml."""
    return SGD_DIR / f"{step_label}_{init_seed}.json"
