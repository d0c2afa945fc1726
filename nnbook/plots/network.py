"""Chapter 1: the diagram of a fully connected network.

Book: chapter 1, Structure of a network.
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

__all__ = ["draw_network"]

# --------------------------------------------------------------------------- network diagram
def _shown_neurons(n: int, max_neurons: int) -> tuple[np.ndarray, bool]:
    """Indices of the neurons drawn for a layer of width n, and whether some are elided."""
    if n <= max_neurons:
        return np.arange(n), False
    top = (max_neurons - 1) // 2 + (max_neurons - 1) % 2
    bottom = max_neurons - 1 - top
    return np.concatenate([np.arange(top), np.arange(n - bottom, n)]), True


def draw_network(
    sizes: Sequence[int],
    ax: Axes | None = None,
    weights: Sequence[np.ndarray] | Mapping[str, np.ndarray] | None = None,
    max_neurons: int = 8,
    labels: bool = True,
    title: str | None = None,
) -> Axes:
    """Draw a fully connected network with layer widths ``sizes = (d_0, ..., d_L)``.

    Input neurons are green, hidden blue, output orange; every neuron of a layer connects to
    every neuron of the next (``W_l[i, j]`` joins neuron ``i`` to neuron ``j``). A layer wider
    than ``max_neurons`` is drawn with its first and last neurons and a vertical ellipsis.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, at least two.
    ax : Axes, optional
    weights : list of arrays ``W_l`` of shape (d_{l-1}, d_l), or a params dict, optional
        If given, line width grows with ``|w_ij|`` and the colour shows the sign
        (blue positive, red negative).
    max_neurons : int
        Largest number of neurons drawn per layer (``>= 3``).
    labels : bool
        Name each layer and give its width below it.
    title : str, optional

    Returns
    -------
    Axes

    Notes
    -----
    Book: chapter 1, Structure of a network.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must hold at least two positive layer widths, got {sizes}")
    if max_neurons < 3:
        raise ValueError(f"max_neurons must be >= 3, got {max_neurons}")
    if isinstance(weights, Mapping):
        weights = [weights[f"W{l}"] for l in range(1, len(sizes))]
    if weights is not None:
        weights = [np.asarray(W) for W in weights]
        expected = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        if [W.shape for W in weights] != expected:
            raise ValueError(
                f"weights must have shapes {expected} to match sizes, got {[W.shape for W in weights]}"
            )
    own = ax is None
    ax = _axes(ax, figsize=(max(3.0, 1.6 * len(sizes)), 3.2))

    shown = [_shown_neurons(n, max_neurons) for n in sizes]
    tallest = max(len(idx) + elided for idx, elided in shown)
    positions = []  # per layer: y coordinate of every drawn neuron
    gaps = []  # per layer: y coordinate of the ellipsis, or None
    for idx, elided in shown:
        slots = len(idx) + elided
        ys = (slots - 1) / 2 - np.arange(slots, dtype=float)
        gap = None
        if elided:  # leave the slot after the top neurons for the ellipsis
            half = (len(idx) + 1) // 2
            gap = ys[half]
            ys = np.concatenate([ys[:half], ys[half + 1 :]])
        positions.append(ys)
        gaps.append(gap)

    # edges, one LineCollection for speed
    segments, widths, colors = [], [], []
    w_max = max((np.abs(W).max() for W in weights), default=1.0) if weights is not None else 1.0
    for l in range(len(sizes) - 1):
        y0, y1 = positions[l], positions[l + 1]
        start = np.column_stack([np.full(len(y0), l), y0])
        end = np.column_stack([np.full(len(y1), l + 1), y1])
        seg = np.stack(np.broadcast_arrays(start[:, None, :], end[None, :, :]), axis=2)
        segments.append(seg.reshape(-1, 2, 2))
        if weights is not None:
            w = weights[l][np.ix_(shown[l][0], shown[l + 1][0])].ravel()
            widths.append(0.3 + 3.0 * np.abs(w) / (w_max or 1.0))
            colors.extend(np.where(w >= 0, COLORS["positive"], COLORS["negative"]))
    segments = np.concatenate(segments)
    if weights is None:
        lines = LineCollection(segments, colors=COLORS["edge"], linewidths=0.6, alpha=0.5, zorder=1)
    else:
        lines = LineCollection(segments, colors=colors, linewidths=np.concatenate(widths), alpha=0.7, zorder=1)
    ax.add_collection(lines)

    kinds = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
    # marker diameter ≈ 60% of the vertical space of one neuron (figure height in points)
    marker_area = (0.6 * ax.figure.get_figheight() * 72 / (tallest + 2)) ** 2
    for l, (ys, kind) in enumerate(zip(positions, kinds)):
        ax.scatter(np.full(len(ys), l), ys, s=marker_area, c=COLORS[kind],
                   edgecolors="white", linewidths=1.0, zorder=2)
        if gaps[l] is not None:  # vertical ellipsis: three small dots
            ax.scatter([l] * 3, gaps[l] + np.array([-0.25, 0.0, 0.25]), s=4, c="#444444", zorder=3)
        if labels:
            name = "input" if kind == "input" else "output" if kind == "output" else f"hidden {l}"
            ax.text(l, -tallest / 2 + 0.1, f"{name}\n{sizes[l]}", ha="center", va="top", fontsize=10)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-tallest / 2 - (1.0 if labels else 0.1), tallest / 2 - 0.1)
    ax.set_aspect("auto")
    ax.axis("off")
    if title:
        ax.set_title(title)
    hidden = sizes[1:-1]
    text = (f"Diagram of a fully connected network with {len(sizes)} layers of widths "
            f"{', '.join(map(str, sizes))}: {sizes[0]} inputs, "
            + (f"{len(hidden)} hidden layer{'s' if len(hidden) > 1 else ''} of "
               f"{', '.join(map(str, hidden))} neurons, " if hidden else "no hidden layer, ")
            + f"{sizes[-1]} output{'s' if sizes[-1] > 1 else ''}; every neuron feeds every "
            f"neuron of the next layer ({sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))} weights)")
    if any(n > max_neurons for n in sizes):
        text += f"; layers wider than {max_neurons} are drawn with an ellipsis"
    if weights is not None:
        allw = np.concatenate([W.ravel() for W in weights])
        text += (f". Line width shows |w|, largest {_num(np.abs(allw).max())}; blue positive "
                 f"({int((allw >= 0).sum())}), red negative ({int((allw < 0).sum())})")
    _describe(ax.figure, text, own, title)
    return ax

