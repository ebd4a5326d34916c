"""Stage `report`: REPORT.md, the whole written submission, from the template and the results.

Every number comes from the metrics and data files; the text around them is in
nndl/templates/report.md, with `{{ name }}` where a generated part goes.
"""

from __future__ import annotations

import re

from nndl.io import read_json, write_text
from nndl.params import Params, run_stage
from nndl.paths import (
    ASCENT_DISCUSSION,
    ASCENT_FIGURES,
    ASCENT_SEARCH,
    REPORT,
    REPORT_TEMPLATE,
    SGD_METRICS,
    SGD_PLOTS,
    run_key,
    sgd_run_path,
)

PLACEHOLDER = re.compile(r"\{\{ *([a-z_]+) *\}\}")


def render(template: str, parts: dict[str, str]) -> str:
    """Fill every `{{ name }}`; a placeholder without a part, or a part without a place, is an error."""
    names = set(PLACEHOLDER.findall(template))
    if names != parts.keys():
        raise KeyError(f"template and parts differ: {sorted(names ^ parts.keys())}")
    return PLACEHOLDER.sub(lambda m: parts[m.group(1)].strip(), template)


def fmt_error(x: float) -> str:
    return f"{x:.6g}"


def network_settings(params: Params) -> str:
    n = params.network
    output = (
        "after the output layer too"
        if n.output_activation
        else "after every hidden layer; the output layer is linear"
    )
    return (
        f"A fully connected `torch.nn` network with three 5×5 layers of weights "
        f"({'with' if n.bias else 'without'} biases), the activation {output}. "
        f"The weight sets are drawn from N(0, {n.weight_std:g}²) with the seeds "
        f"{', '.join(str(s) for s in n.weight_seeds)}; each set is used with every activation. "
        f"x1 runs over [{n.x1_range[0]:g}, {n.x1_range[1]:g}] in {n.points} points; x2…x5 are fixed to one "
        f"N(0, 1) draw (seed {n.fixed_inputs_seed}) shared by all nine networks. "
        "Rows: activation; columns: weight set."
    )


def ascent_criterion(params: Params) -> str:
    a = params.ascent
    return (
        f"Each run stops when $\\lVert \\nabla f(\\mathbf{{w}}) \\rVert < {a.tolerance:g}$, the condition a maximum "
        f"must meet. A run that leaves $[{a.region[0]:g}, {a.region[1]:g}]^2$ (where $f$ is so flat that the "
        f"test would pass far from any maximum) or is still going after {a.max_iterations} steps is not "
        f"converged. The chosen step for a start is the one that converges in the fewest iterations."
    )


def ascent_contour(params: Params) -> str:
    low, high = params.ascent.region
    n = params.ascent_figures.grid
    return (
        f"The isocontours of $f$ on the sheet's ${n} \\times {n}$ grid over $[{low:g}, {high:g}]^2$ are the "
        "background of the trajectory figures in (d). Our `f` takes the whole `np.stack((W1, W2), axis=2)` "
        'array at once, giving the same values as the sheet\'s `np.vectorize(f, signature="(n)->()")`.'
    )


def ascent_search_table(rows: list[dict], params: Params) -> str:
    starts = params.ascent.starts
    head = "| step size | " + " | ".join(f"start ({s[0]:g}, {s[1]:g})" for s in starts) + " |"
    lines = [head, "| --- |" + " --- |" * len(starts)]
    for step in params.ascent.step_sizes:
        cells = []
        for i in range(1, len(starts) + 1):
            (row,) = [r for r in rows if r["start_index"] == i and r["step_size"] == step]
            cell = str(row["iterations"]) if row["converged"] else f"— ({row['reason']})"
            cells.append(f"**{cell}**" if row["chosen"] else cell)
        lines.append(f"| {step:g} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ascent_figures(params: Params) -> str:
    return "\n\n".join(
        f"![Trajectory from start {i} ({s[0]:g}, {s[1]:g}) over the contour plot of f]"
        f"({(ASCENT_FIGURES / f'ascent_{i}.png').as_posix()})"
        for i, s in enumerate(params.ascent.starts, start=1)
    )


def sgd_settings(params: Params) -> str:
    g, s = params.gaussian, params.sgd
    reading = (
        "one point's gradient $\\frac{1}{2}(\\mathbf{P}^{-1} - \\mathbf{x}\\mathbf{x}^T)$"
        if s.gradient == "sample"
        else "$N$ times one point's gradient, $\\frac{N}{2}(\\mathbf{P}^{-1} - \\mathbf{x}\\mathbf{x}^T)$, "
        "the unbiased estimate of eq. (9)'s sum"
    )
    return (
        f"N = {g.n} points drawn with `scipy.stats.multivariate_normal.rvs` (seed {g.seed}). Each fit "
        f"starts from a random $\\mathbf{{P}}_0 = \\mathbf{{R}} \\operatorname{{diag}}(\\lambda_1, \\lambda_2) \\mathbf{{R}}^T$ "
        f"with eigenvalues drawn from [{s.init_eigenvalues[0]:g}, {s.init_eigenvalues[1]:g}], away from 0 so that the "
        f"$\\mathbf{{P}}^{{-1}}$ term of the gradient stays bounded and the first steps stay in the positive-definite "
        f"matrices, and a random rotation $\\mathbf{{R}}$; the init seeds are "
        f"{', '.join(str(x) for x in s.init_seeds)}. Each of the {s.iterations} iterations draws one point at random "
        f"and steps $\\mathbf{{P}} \\leftarrow \\mathbf{{P}} + \\eta \\mathbf{{g}}$ along {reading}. The objective is the "
        f"log-likelihood of the whole sample, $\\frac{{N}}{{2}}\\log\\det\\mathbf{{P}} - \\frac{{1}}{{2}}"
        f"\\operatorname{{tr}}(\\mathbf{{P}}\\mathbf{{S}}) - N\\log 2\\pi$ with the scatter matrix $\\mathbf{{S}}$, computed in "
        f"O(1) at every iteration."
    )


def sgd_figures(params: Params) -> str:
    return "\n\n".join(
        f"![Objective against iteration, step size {lab}]({(SGD_PLOTS / f'{lab}.png').as_posix()})"
        for lab in params.sgd.step_labels
    )


def sgd_error_table(metrics: dict, runs: dict, params: Params) -> str:
    seeds = params.sgd.init_seeds
    lines = [
        "| step size | " + " | ".join(f"init seed {s}" for s in seeds) + " |",
        "| --- |" + " --- |" * len(seeds),
    ]
    for lab in params.sgd.step_labels:
        cells = []
        for s in seeds:
            key = run_key(lab, s)
            cell = fmt_error(metrics[f"error_{key}"])
            if f"diverged_at_{key}" in metrics:
                cell += f" (diverged at iteration {metrics[f'diverged_at_{key}']})"
            cells.append(cell)
        lines.append(f"| {lab} | " + " | ".join(cells) + " |")
    lines.append(
        "| initial error | "
        + " | ".join(fmt_error(runs[params.sgd.step_labels[0], s]["initial_error"]) for s in seeds)
        + " |"
    )
    return "\n".join(lines)


def sgd_comment(metrics: dict, params: Params) -> str:
    mle = metrics["mle_error"]
    text = (
        "The last row is each run's error at $\\mathbf{P}_0$, the same for every step size since the init seed "
        "fixes $\\mathbf{P}_0$. For comparison, the closed-form maximum-likelihood estimate "
        "$(\\mathbf{S}/N)^{-1}$ on the same sample, the point every fit converges to as the iterations grow, "
        f"has error {fmt_error(mle)}."
    )
    below = [
        f"step {lab}, seed {s}"
        for _, lab, s in params.sgd.runs()
        if metrics[f"error_{run_key(lab, s)}"] < mle and f"diverged_at_{run_key(lab, s)}" not in metrics
    ]
    if any(key.startswith("diverged_at_") for key in metrics):
        text += (
            " A run that diverged stopped at the first iteration whose $\\mathbf{P}$ was not positive definite; "
            "its error is that of its last positive-definite $\\mathbf{P}$."
        )
    if below:
        text += (
            f" The runs that end below it ({'; '.join(below)}) have not reached the MLE yet: on their way from "
            "$\\mathbf{P}_0$ they pass nearer to the true $\\boldsymbol{\\Sigma}^{-1}$ than this sample's MLE lies. "
            "Run longer, and their errors settle at the MLE's."
        )
    return text


def main(params: Params) -> None:
    metrics = read_json(SGD_METRICS)
    runs = {(lab, s): read_json(sgd_run_path(lab, s)) for _, lab, s in params.sgd.runs()}
    parts = {
        "network_settings": network_settings(params),
        "ascent_contour": ascent_contour(params),
        "ascent_criterion": ascent_criterion(params),
        "ascent_search_table": ascent_search_table(read_json(ASCENT_SEARCH), params),
        "ascent_figures": ascent_figures(params),
        "ascent_discussion": ASCENT_DISCUSSION.read_text(encoding="utf-8"),
        "sgd_settings": sgd_settings(params),
        "sgd_figures": sgd_figures(params),
        "sgd_error_table": sgd_error_table(metrics, runs, params),
        "sgd_comment": sgd_comment(metrics, params),
    }
    write_text(REPORT, render(REPORT_TEMPLATE.read_text(encoding="utf-8"), parts))


if __name__ == "__main__":
    run_stage(main)
