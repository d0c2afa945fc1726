"""Chapter 2: activation functions and their derivatives.

Book: chapter 2, Activation functions.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from ._style import CLASS_COLORS, COLORS, FIGSIZE, _axes, _describe, _num, _style

from ..activations import get_activation

__all__ = ["plot_activations"]

# ------------------------------------------------------------------------------ activations
def plot_activations(
    names: Sequence[str] = ("sigmoid", "relu", "tanh"),
    with_grad: bool = True,
    x: np.ndarray | None = None,
) -> Figure:
    """One panel per activation ``φ``, with its derivative ``φ′`` dashed.

    Where the derivative jumps (ReLU at 0) the dashed line is broken: a filled dot marks the
    value taken (``ReLU′(0) = 0``), an open circle the other one-sided limit. Every panel has
    both axes labelled; the figure's default text alternative gives each function's range and
    its derivative's maximum.

    Parameters
    ----------
    names : sequence of str
        Activation names understood by :func:`nnbook.activations.get_activation`.
    with_grad : bool
        Also draw ``f'(x)``.
    x : ndarray, optional
        Points to evaluate at (default: 401 points in [-5, 5]).

    Returns
    -------
    Figure

    Notes
    -----
    Book: chapter 2, Activation functions.
    """
    names = [names] if isinstance(names, str) else list(names)
    if not names:
        raise ValueError("names must list at least one activation")
    pairs = [get_activation(name) for name in names]
    x = np.linspace(-5, 5, 401) if x is None else np.sort(np.asarray(x, dtype=float).ravel())
    fig, axes = plt.subplots(1, len(names), figsize=(min(7.0, 2.3 * len(names) + 0.4), 2.8),
                             layout="constrained", squeeze=False)
    parts = []
    for ax, name, (f, f_grad) in zip(axes[0], names, pairs):
        sym = _SYMBOL.get(name, r"\phi")
        fx, gx = f(x), f_grad(x)
        ax.axhline(0, color="#999999", linewidth=0.8)
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.plot(x, fx, color=COLORS["hidden"], linewidth=2, label=f"${sym}(x)$")
        text = f"{name}(x) rises from {_num(fx[0])} to {_num(fx[-1])}"
        if with_grad:
            jumps = _plot_with_jumps(ax, x, gx, f_grad, label=f"${sym}'(x)$")
            text += f", its derivative (dashed) is at most {_num(gx.max())}"
            for x0, value, other in jumps:
                text += (f" and jumps at x = {_num(x0)}, where it equals {_num(value)} "
                         f"(filled dot; an open circle at {_num(other)} marks the other one-sided limit)")
        ax.set_title(name)
        ax.set_xlabel("$x$")
        ax.set_ylabel(f"${sym}(x)$" + (f", ${sym}'(x)$" if with_grad else ""))
        _style(ax)
        ax.legend(fontsize=10, loc="best", frameon=False)
        parts.append(text)
    _describe(fig, (f"{len(names)} panel{'s' if len(names) > 1 else ''}, x from {_num(x[0])} to "
                    f"{_num(x[-1])}: " + "; ".join(parts)), own=True)
    return fig


_SYMBOL = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}


def _plot_with_jumps(ax: Axes, x: np.ndarray, y: np.ndarray, func, label: str) -> list:
    """Plot ``y = func(x)`` dashed, breaking the line where it jumps (no vertical segment).

    At a jump the value taken there is a filled dot and the other one-sided limit an open
    circle (ReLU′(0) = 0: a filled dot at (0, 0), an open circle at (0, 1)).
    Returns ``[(x0, value, other limit), ...]``.
    """
    style = dict(color=COLORS["grad"], linewidth=1.6, linestyle="--")
    span = float(np.ptp(y)) or 1.0
    jumps = []  # (x0, left limit, value, right limit)
    for i in np.flatnonzero(np.abs(np.diff(y)) > 0.25 * span):
        x0 = 0.0 if x[i] <= 0 <= x[i + 1] else 0.5 * (x[i] + x[i + 1])
        tiny = 1e-9 * max(1.0, abs(x0))
        left, value, right = (float(func(np.array([v]))[0]) for v in (x0 - tiny, x0, x0 + tiny))
        jumps.append((x0, left, value, right))
    bounds = [-np.inf] + [j[0] for j in jumps] + [np.inf]
    for k in range(len(bounds) - 1):
        lo, hi = bounds[k], bounds[k + 1]
        inside = (x > lo) & (x < hi)
        px, py = list(x[inside]), list(y[inside])
        if k > 0:  # start at the jump on the left, with its right-hand limit
            px.insert(0, lo)
            py.insert(0, jumps[k - 1][3])
        if k < len(jumps):  # end at the jump on the right, with its left-hand limit
            px.append(hi)
            py.append(jumps[k][1])
        ax.plot(px, py, label=label if k == 0 else None, **style)
    out = []
    for x0, left, value, right in jumps:
        other = right if value == left else left
        ax.plot([x0], [value], "o", color=COLORS["grad"], markersize=6, zorder=4)
        ax.plot([x0], [other], "o", markerfacecolor="white", markeredgecolor=COLORS["grad"],
                markeredgewidth=1.5, markersize=6, zorder=4)
        out.append((x0, value, other))
    return out
