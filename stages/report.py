"""Stage `report`: REPORT.md, the whole written submission, from the template and the results.

Every number comes from the metrics and data files; the text around them is in
nndl/templates/report.md, with `{{ name }}` where a generated part goes.
"""

from __future__ import annotations

import itertools
import math
import re

from nndl.io import read_curve, read_json, write_text
from nndl.params import Params, run_stage
from nndl.paths import (
    ASCENT_DISCUSSION,
    ASCENT_FIGURES,
    ASCENT_METRICS,
    ASCENT_SEARCH,
    ASCENT_THEORY,
    REPORT,
    REPORT_TEMPLATE,
    SGD_METRICS,
    SGD_PLOTS,
    SGD_STATIONARY,
    SGD_SWEEP,
    SGD_SWEEP_METRICS,
    network_curve_path,
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


def ascent_criterion(params: Params, theory: dict) -> str:
    a = params.ascent
    low, high = a.region
    return (
        f"Each run stops when $\\lVert \\nabla f(\\mathbf{{w}}) \\rVert < {a.tolerance:g}$, the condition a maximum "
        f"must meet. A run that leaves $[{low:g}, {high:g}]^2$ or is still going after {a.max_iterations} steps is "
        f"stopped and counted as not converged. The square is a bound on where a run may go, not a test of "
        f"convergence: the gradient test alone passes wherever $f$ is flat, and on "
        f"{100 * theory['flat_share']:.1f} % of a grid over the square itself it passes more than {theory['far']:g} "
        f"away from every critical point. Where each chosen run ended is checked against the critical points in (f). "
        f"The chosen step for a start is the one that converges in the fewest iterations."
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
        "$\\mathbf{P}_{\\mathrm{MLE}} = (\\mathbf{S}/N)^{-1}$ on the same sample, the maximiser of the objective, "
        f"has error {fmt_error(mle)}. With a fixed step SGD does not converge to it: it keeps fluctuating around "
        "it (see (e))."
    )
    if any(key.startswith("diverged_at_") for key in metrics):
        text += (
            " A run that diverged stopped at the first iteration whose $\\mathbf{P}$ was not positive definite; "
            "its error is that of its last positive-definite $\\mathbf{P}$."
        )
    return text


def sgd_factors(metrics: dict, runs: dict, params: Params) -> str:
    """How far each step size brought the error down: initial over final error, per run."""
    lines = []
    for lab in params.sgd.step_labels:
        factors = [
            runs[lab, s]["initial_error"] / metrics[f"error_{run_key(lab, s)}"]
            for s in params.sgd.init_seeds
            if f"diverged_at_{run_key(lab, s)}" not in metrics and metrics[f"error_{run_key(lab, s)}"] > 0
        ]
        if factors:
            lines.append(
                f"- step {lab}: the error fell by a factor of {min(factors):.3g} to {max(factors):.3g} "
                f"(initial error over final error, {len(factors)} run{'s' if len(factors) != 1 else ''})."
            )
    return "\n".join(lines)


def nearest_row(rows: list[dict], step: float) -> dict:
    return min(rows, key=lambda r: abs(math.log(r["step_size"] / step)))


def sgd_sweep_text(sweep: dict, sweep_metrics: dict, params: Params) -> str:
    rows = sweep["rows"]
    s, w = params.sgd, params.sgd_sweep
    sheet = [(lab, nearest_row(rows, step)) for step, lab in zip(s.step_sizes, s.step_labels, strict=True)]
    shown = [(lab, r) for lab, r in sheet if r["median"] is not None]
    best_sheet = min(shown, key=lambda lr: lr[1]["median"]) if shown else None
    lines = [
        f"The same SGD for {w.replicas} replicas at each of {len(rows)} step sizes from {rows[0]['step_size']:g} "
        f"to {rows[-1]['step_size']:g} ({w.steps_per_decade} per decade), {s.iterations} iterations each, on the "
        "same sample. Each replica has its own random $\\mathbf{P}_0$ and its own stream of points, the same at "
        "every step size, so the step sizes differ by the step alone.",
        "",
        "![Median error after the iterations against the step size, with the 10 % to 90 % band](plots/sgd_sweep.png)",
        "",
    ]
    for lab, r in sheet:
        if r["median"] is None:
            lines.append(f"- step {lab}: more than half of the replicas diverged.")
        else:
            lines.append(
                f"- step {lab}: median error {r['median']:.3g} (10 % to 90 %: {r['q10']:.3g} to {r['q90']:.3g})"
                + (f", {100 * r['fraction_diverged']:.0f} % diverged" if r["fraction_diverged"] else "")
                + "."
            )
    lines.append("")
    if "best_step" not in sweep_metrics:
        lines.append("At every step size of the grid more than half of the replicas diverged.")
        return "\n".join(lines)
    best = sweep_metrics["best_step"]
    text = (
        f"Over the whole grid the median error is smallest at step {best:g} "
        f"({sweep_metrics['best_median_error']:.3g})"
    )
    if best_sheet is not None:
        text += f"; of the sheet's steps, {best_sheet[0]} is best for {s.iterations} iterations"
    text += "."
    diverging = sweep_metrics.get("smallest_diverging_step")
    all_gone = [r["step_size"] for r in rows if r["fraction_diverged"] == 1.0]
    medians = [r["median"] for r in rows if r["median"] is not None]
    i = medians.index(min(medians))
    u_shaped = 0 < i < len(medians) - 1 and medians[0] > medians[i] < medians[-1]
    if not u_shaped:
        return "\n".join(
            [
                *lines,
                text
                + " Over this grid the median error does not rise again on both sides of its smallest value.",
            ]
        )
    text += (
        " The error is U-shaped in the step size. Too small a step has not moved far from $\\mathbf{P}_0$ in "
        "the iterations given: the error is the distance still to go (bias), and it falls as the step grows. "
        "Too large a step gets to the optimum fast but then jumps around it, each step a random kick of size "
        "proportional to the step (variance), and the error rises again."
    )
    if diverging is not None:
        text += (
            f" Beyond that, steps leave the positive-definite matrices: from step {diverging:.3g} some replicas "
            "diverge" + (f", and from {min(all_gone):g} every one does." if all_gone else ".")
        )
    lines.append(text)
    return "\n".join(lines)


def sgd_below_mle_text(sweep: dict, params: Params) -> str:
    """Why runs of the sheet's largest step end nearer the truth than the MLE: from the sweep."""
    s = params.sgd
    step, lab = max(zip(s.step_sizes, s.step_labels, strict=True))
    r = nearest_row(sweep["rows"], step)
    if r["fraction_below_mle"] is None or r["mean_eigenvalues"] is None:
        return ""
    (t_low, t_high), (m_low, m_high) = sweep["truth_eigenvalues"], sweep["mle_eigenvalues"]
    p_low, p_high = sweep["p0_eigenvalue_range"]
    text = (
        f"At step {lab}, {100 * r['fraction_below_mle']:.0f} % of the {params.sgd_sweep.replicas} replicas end with "
        f"an error below the MLE's ({fmt_error(sweep['mle_error'])})."
    )
    eta = step * (params.gaussian.n if s.gradient == "sum" else 1)
    end_high = r["mean_eigenvalues"][1]
    excess = (m_high - t_high) ** 2
    if (
        r["fraction_below_mle"] >= 0.5
        and m_high > t_high
        and p_high < m_high
        and excess > 0.5 * sweep["mle_error"]
        and abs(end_high - t_high) < abs(end_high - m_high)
    ):
        text += (
            f" That is not chance. This sample's MLE overestimates the large eigenvalue of "
            f"$\\boldsymbol{{\\Sigma}}^{{-1}}$ ({m_high:.3f} against the truth's {t_high:.3f}; the small one: "
            f"{m_low:.3f} against {t_low:.3f}), and that excess alone, $({m_high:.3f} - {t_high:.3f})^2 = {excess:.3f}$, "
            f"is most of the MLE's error. Every replica starts below it, with eigenvalues between {p_low:.3f} and "
            f"{p_high:.3f}, and the large eigenvalue's direction is SGD's slowest near the MLE: the mean gradient's "
            f"Jacobian there has its smallest rate, {sweep['slowest_rate']:.3f}, along it, so after {s.iterations} "
            f"iterations a share $e^{{-{eta:g} \\cdot {sweep['slowest_rate']:.3f} \\cdot {s.iterations}}} = "
            f"{r['slow_remaining']:.2f}$ of the initial distance is still to go in the linearised SGD. The replicas' "
            f"large eigenvalue ends at {end_high:.3f} on average, short of the MLE's {m_high:.3f} and nearer the "
            f"truth's: they are stopped on their way, nearer the truth than the MLE. With more iterations they move "
            f"on to the MLE and fluctuate around it, as (e) shows."
        )
    return text


def sgd_stationary_text(stat: dict, params: Params) -> str:
    c = params.sgd_stationary
    if "error" not in stat:
        return (
            f"At the step {c.step_size:g}, {stat['diverged_chains']} of the {stat['diverged_chains'] + stat['chains']} "
            "chains started at the MLE left the positive-definite matrices: this step has no stationary "
            "distribution to show."
        )
    e = stat["error"]
    z = (stat["spread_measured"] - stat["spread_predicted"]) / stat["spread_standard_error"]
    return (
        f"SGD with the fixed step {c.step_size:g} does not converge to a point. {stat['chains']} chains started at "
        f"the MLE, run for {c.burn_in} iterations to forget the start and then {c.iterations} more, every "
        f"{c.record_every}th iterate kept ({stat['samples']} in all), give its stationary distribution: the "
        f"error $\\lVert \\boldsymbol{{\\Sigma}}^{{-1}} - \\mathbf{{P}} \\rVert^2$ has mean {e['mean']:.4g}, "
        f"standard deviation {e['std']:.3g}, median {e['median']:.4g} and 10 % to 90 % quantiles "
        f"{e['q10']:.4g} to {e['q90']:.4g}, around the MLE's {fmt_error(stat['mle_error'])}."
        + (
            f" ({stat['diverged_chains']} chains diverged and are left out.)"
            if stat["diverged_chains"]
            else ""
        )
        + "\n\n"
        "The spread around the MLE follows from the SGD linearised there. In coordinates "
        "$(P_{11}, P_{12}, P_{22})$ the error $\\mathbf{e} = \\mathbf{P} - \\mathbf{P}_{\\mathrm{MLE}}$ moves as "
        "$\\mathbf{e} \\leftarrow (\\mathbf{I} + \\eta \\mathbf{J})\\mathbf{e} + \\eta \\boldsymbol{\\xi}$, with "
        "$\\mathbf{J}$ the Jacobian of the mean gradient $\\frac{1}{2}(\\mathbf{P}^{-1} - \\mathbf{S}/N)$ at "
        "$\\mathbf{P}_{\\mathrm{MLE}}$ and $\\boldsymbol{\\xi} = \\frac{1}{2}(\\mathbf{S}/N - \\mathbf{x}\\mathbf{x}^T)$ the "
        "noise of one point, of covariance $\\mathbf{Q}$ over the sample; its stationary covariance solves the "
        "discrete Lyapunov equation $\\mathbf{C} = \\mathbf{A}\\mathbf{C}\\mathbf{A}^T + \\eta^2 \\mathbf{Q}$, "
        "$\\mathbf{A} = \\mathbf{I} + \\eta\\mathbf{J}$. It predicts "
        f"$E\\lVert \\mathbf{{P}} - \\mathbf{{P}}_{{\\mathrm{{MLE}}}} \\rVert^2 = {stat['spread_predicted']:.4g}$; the chains "
        f"measure {stat['spread_measured']:.4g} (standard error {stat['spread_standard_error']:.2g} from the "
        f"chains' means, a difference of {abs(z):.1f} standard errors)."
    )


def network_comment(params: Params, curves: dict[tuple[str, int], list[tuple[float, float]]]) -> str:
    """What the plotted curves show, from the curves: lines, kinks, and whether tanh levels off."""
    n = params.network
    parts = []
    if "linear" in n.activations:
        parts.append(
            "The linear networks' curves are straight lines: the network is $\\mathbf{y} = \\mathbf{M}\\mathbf{x}$"
            + (", " if not n.bias else " plus a constant, ")
            + "so $y_1 = m_{11} x_1 + \\text{const}$ (exercise 3)."
        )
    if "relu" in n.activations:
        parts.append(
            "The ReLU networks' curves are piecewise linear, with a kink wherever a neuron switches on or off."
        )
    tanh = [(seed, curves["tanh", seed]) for seed in n.weight_seeds if ("tanh", seed) in curves]
    if tanh:
        still = [seed for seed, points in tanh if changing_at_an_end(points)]
        bound = "|y_1| < 1" if n.output_activation else "a linear output of values in $(-1, 1)$"
        text = f"The tanh networks' curves are smooth and bounded ({bound})."
        if still:
            text += (
                f" Within [{n.x1_range[0]:g}, {n.x1_range[1]:g}], {len(still)} of the {len(tanh)} (weight seeds "
                f"{', '.join(str(s) for s in still)}) still change at an end of the range, with a slope there of "
                "at least 1 % of their steepest: the plotted range does not show them level off."
            )
        else:
            text += (
                f" Within [{n.x1_range[0]:g}, {n.x1_range[1]:g}] each levels off towards both ends, with a slope "
                "there below 1 % of its steepest."
            )
        parts.append(text)
    return " ".join(parts)


def changing_at_an_end(points: list[tuple[float, float]]) -> bool:
    """Whether the slope at either end of the curve is at least 1 % of its steepest."""
    slopes = [abs((y2 - y1) / (x2 - x1)) for (x1, y1), (x2, y2) in itertools.pairwise(points)]
    steepest = max(slopes)
    return steepest > 0 and max(slopes[0], slopes[-1]) >= 0.01 * steepest


def ascent_theory(metrics: dict, theory: dict, params: Params) -> str:
    if "stability_bound" not in metrics:
        return "$f$ has no maximum in the plotted square, so there is no step-size theory to compare with."
    chosen = sorted({metrics[f"step_size_start{i}"] for i in range(1, len(params.ascent.starts) + 1)})
    rates = [metrics[f"local_rate_start{i}"] for i in range(1, len(params.ascent.starts) + 1)]
    text = (
        "**Predicted against measured.** Near a maximum $\\mathbf{w}^*$ the gradient is "
        "$\\nabla f(\\mathbf{w}) \\approx \\mathbf{H}(\\mathbf{w} - \\mathbf{w}^*)$, so one step multiplies the error "
        "along each eigenvector of the Hessian $\\mathbf{H}$ by $1 - \\eta|\\lambda_i|$. "
        + ("At both maxima the " if theory["maxima_alike"] else "At the highest maximum the ")
        + f"eigenvalues are $-{metrics['curvature_stiff']:.4f}$ and $-{metrics['curvature_soft']:.4f}$. Hence:\n\n"
        f"- the stability bound $2/|\\lambda_{{max}}| = {metrics['stability_bound']:.5f}$, the largest step that "
        "still converges near the maximum;\n"
        f"- the best fixed step $2/(|\\lambda_{{max}}| + |\\lambda_{{min}}|) = {metrics['best_fixed_step']:.4f}$, "
        "which makes the slowest direction shrink fastest;\n"
        f"- the local rate $\\rho(\\eta) = \\max_i |1 - \\eta|\\lambda_i||$, the factor the error shrinks by per step: "
        f"{min(rates):.4f}"
        + (f" to {max(rates):.4f}" if max(rates) != min(rates) else "")
        + f" at the chosen step{'s' if len(chosen) > 1 else ''} "
        f"({', '.join(f'{c:g}' for c in chosen)}), against "
        f"{(metrics['curvature_stiff'] - metrics['curvature_soft']) / (metrics['curvature_stiff'] + metrics['curvature_soft']):.4f} "
        "at the best fixed step.\n\n"
        f"Between $1/|\\lambda_{{max}}| = {metrics['overshoot_step']:.4f}$ and the bound, $1 - \\eta|\\lambda_{{max}}|$ "
        "is negative: the error along the stiff direction flips sign every step and still shrinks, so the "
        "iterates zig-zag into the maximum. Above the bound it grows instead and the run does not converge."
    )
    if "last_step_converging_from_every_start" in metrics and "next_step_tried" in metrics:
        text += (
            f" The search brackets the bound: {metrics['last_step_converging_from_every_start']:g} converges from "
            f"every start, {metrics['next_step_tried']:g} does not from at least one."
        )
    text += (
        " The figure shows the iterations each step took against those the local rate predicts from the "
        "gradient at the start, $\\lceil \\log(\\text{tolerance}/\\lVert\\nabla f(\\mathbf{w}_0)\\rVert) / "
        "\\log\\rho(\\eta) \\rceil$:\n\n"
        "![Iterations to converge against the step size, measured and predicted](plots/ascent/ascent_search.png)"
    )
    return text


def read_curves(params: Params) -> dict[tuple[str, int], list[tuple[float, float]]]:
    n = params.network
    return {
        (act, seed): read_curve(network_curve_path(act, seed))
        for act in n.activations
        for seed in n.weight_seeds
    }


def main(params: Params) -> None:
    metrics = read_json(SGD_METRICS)
    ascent_metrics = read_json(ASCENT_METRICS)
    sweep = read_json(SGD_SWEEP)
    runs = {(lab, s): read_json(sgd_run_path(lab, s)) for _, lab, s in params.sgd.runs()}
    parts = {
        "network_settings": network_settings(params),
        "network_comment": network_comment(params, read_curves(params)),
        "ascent_contour": ascent_contour(params),
        "ascent_criterion": ascent_criterion(params, read_json(ASCENT_THEORY)),
        "ascent_search_table": ascent_search_table(read_json(ASCENT_SEARCH), params),
        "ascent_theory": ascent_theory(ascent_metrics, read_json(ASCENT_THEORY), params),
        "ascent_figures": ascent_figures(params),
        "ascent_discussion": ASCENT_DISCUSSION.read_text(encoding="utf-8"),
        "sgd_settings": sgd_settings(params),
        "sgd_figures": sgd_figures(params),
        "sgd_error_table": sgd_error_table(metrics, runs, params),
        "sgd_comment": sgd_comment(metrics, params),
        "sgd_factors": sgd_factors(metrics, runs, params),
        "sgd_sweep": sgd_sweep_text(sweep, read_json(SGD_SWEEP_METRICS), params),
        "sgd_below_mle": sgd_below_mle_text(sweep, params),
        "sgd_stationary": sgd_stationary_text(read_json(SGD_STATIONARY), params),
    }
    write_text(REPORT, render(REPORT_TEMPLATE.read_text(encoding="utf-8"), parts))


if __name__ == "__main__":
    run_stage(main)
