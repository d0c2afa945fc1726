"""Chapter 8's figures: minibatch noise, paths on a 2-D loss surface, error and loss curves.

Each function draws on ``ax`` (a new figure when None), attaches a default text alternative
with the key numbers (:func:`nnbook.figures.set_alt`) and returns the figure.

Book: chapter 8, Optimization.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..figures import describe_number as _num
from ..figures import set_alt
from ._style import FIGSIZE

__all__ = ["plot_gradient_variance", "plot_valley_paths", "plot_error_curves", "plot_named_curves",
           "OPTIMIZER_COLORS"]

#: One colour per optimizer (Okabe–Ito), shared by every figure of the chapter.
OPTIMIZER_COLORS = {"sgd": "#0072B2", "momentum": "#D55E00", "rmsprop": "#009E73", "adam": "#CC79A7"}
_EXTRA = ["#E69F00", "#56B4E9", "#000000", "#888888"]


def _ax(ax: Axes | None, figsize=FIGSIZE) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _color(label: str, i: int) -> str:
    for name, color in OPTIMIZER_COLORS.items():
        if label.lower().startswith(name):
            return color
    return _EXTRA[i % len(_EXTRA)]


def plot_gradient_variance(result: Mapping, ax: Axes | None = None) -> Figure:
    """E‖g_B − ∇J‖² against B (log–log, dots) with the prediction σ²/B (line).

    ``result`` is what :func:`nnbook.descent.minibatch_gradient_variance` returns.
    Book: chapter 8, Minibatch SGD.
    """
    ax = _ax(ax, (4.2, 3.0))
    B = np.array(sorted(result["variance"]))
    measured = np.array([result["variance"][b] for b in B])
    grid = np.geomspace(B[0], B[-1], 50)
    ax.loglog(grid, result["sigma2"] / grid, color="#888888", lw=1.5, label=r"$\sigma^2/B$")
    ax.loglog(B, measured, "o", color=OPTIMIZER_COLORS["sgd"], label="measured")
    ax.set_xlabel("minibatch size $B$")
    ax.set_ylabel(r"$E\,\|g_B - \nabla J\|^2$")
    ax.legend(frameon=False)
    ax.grid(True, which="major", alpha=0.3)
    fig = ax.figure
    set_alt(fig, "Log-log plot of the mean squared distance between a minibatch gradient and the "
                 f"full gradient against the batch size B from {B[0]} to {B[-1]}: the measured points "
                 f"fall from {_num(measured[0])} to {_num(measured[-1])} on the line sigma squared over B "
                 f"(sigma squared = {_num(result['sigma2'])}).")
    return fig


def plot_valley_paths(quadratic, paths: Mapping[str, np.ndarray], ax: Axes | None = None,
                      extent: Sequence[float] = (-2.0, 2.2, -1.5, 2.5), title: str | None = None,
                      labels: Sequence[str] = ("$w$", "$c$")) -> Figure:
    """Contours of a 2-D :class:`~nnbook.descent.Quadratic` with the iterates of each path.

    Book: chapter 8, The optimizers on a 2-D surface.
    """
    ax = _ax(ax, (4.0, 3.4))
    x0, x1, y0, y1 = extent
    gw, gc = np.meshgrid(np.linspace(x0, x1, 90), np.linspace(y0, y1, 90))
    J = quadratic.loss(np.stack([gw, gc], axis=-1))
    J_min = float(quadratic.loss(quadratic.w_star))
    ax.contour(gw, gc, J, levels=np.geomspace(J_min + 0.005, J.max(), 12), colors="#bbbbbb",
               linewidths=0.8)
    ax.plot(*quadratic.w_star, marker="*", color="black", ms=10, ls="none", label="minimum")
    parts = []
    for i, (label, path) in enumerate(paths.items()):
        path = path[np.all(np.isfinite(path), axis=1)]
        ax.plot(path[:, 0], path[:, 1], "-o", ms=2.5, lw=1.2, color=_color(label, i), label=label)
        end = quadratic.loss(path[-1]) - J_min
        with np.errstate(over="ignore"):
            distance = float(np.sqrt(np.sum((path[-1] - quadratic.w_star) ** 2)))
        parts.append(f"{label} ends {_num(distance)} from the minimum "
                     f"(J above its minimum by {_num(end)})")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(frameon=False, fontsize=10, loc="upper right")
    fig = ax.figure
    set_alt(fig, "Contours of a narrow elliptical valley with the iterates drawn on them: "
                 + "; ".join(parts) + ".")
    return fig


def plot_error_curves(errors: Mapping[str, np.ndarray], rates: Mapping[str, float] | None = None,
                      ax: Axes | None = None, ylabel: str = r"$\|w_t - w^\ast\|$") -> Figure:
    """Errors per step on a log scale; a dashed line of slope ``rates[label]`` per curve.

    Book: chapter 8, Momentum.
    """
    ax = _ax(ax)
    parts = []
    for i, (label, err) in enumerate(errors.items()):
        err = np.asarray(err, dtype=float)
        color = _color(label, i)
        ax.semilogy(np.arange(len(err)), err, color=color, lw=1.8, label=label)
        if rates and label in rates:
            t = np.arange(len(err))
            ax.semilogy(t, err[0] * rates[label] ** t, color=color, lw=1, ls="--")
            finite = err[np.isfinite(err) & (err > 0)]
            mean_rate = (finite[-1] / finite[0]) ** (1.0 / max(len(finite) - 1, 1))
            parts.append(f"{label} falls from {_num(err[0])} to {_num(err[-1])} in {len(err) - 1} steps, "
                         f"{_num(mean_rate)} per step on average (predicted rate {_num(rates[label])})")
        else:
            parts.append(f"{label} falls from {_num(err[0])} to {_num(err[-1])}")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=10)
    ax.grid(True, alpha=0.3)
    fig = ax.figure
    set_alt(fig, "Distance to the minimum per step, log scale (dashed lines: predicted rates): "
                 + "; ".join(parts) + ".")
    return fig


def plot_named_curves(curves: Mapping[str, Sequence[float]], ax: Axes | None = None, xlabel: str = "epoch",
                ylabel: str = "training loss $J$", log: bool = True, x: Sequence[float] | None = None,
                title: str | None = None) -> Figure:
    """One line per labelled curve (e.g. the loss of each run); log scale by default.

    Book: chapter 8, Learning-rate schedules; The optimizers side by side.
    """
    ax = _ax(ax)
    parts = []
    for i, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        xs = np.arange(1, len(values) + 1) if x is None else np.asarray(x)[: len(values)]
        ax.plot(xs, values, lw=1.8, color=_color(label, i), label=label)
        parts.append(f"{label} from {_num(values[0])} to {_num(values[-1])}")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(frameon=False, fontsize=10)
    ax.grid(True, alpha=0.3)
    fig = ax.figure
    set_alt(fig, f"{ylabel.replace('$', '')} against {xlabel}: " + "; ".join(parts) + ".")
    return fig
