"""Chapter 11: attention weights as a heat map.

Book: chapter 11, Attention, residual connections and layer normalization.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.axes import Axes

from ._style import _axes, _describe, _num

__all__ = ["plot_attention_map"]


def plot_attention_map(
    weights: np.ndarray, ax: Axes | None = None, title: str | None = None,
    row_label: str = r"query $t$", col_label: str = r"key $s$",
    rows: Sequence[str] | None = None, marks: Sequence[int] | None = None,
    colorbar: bool = True,
) -> Axes:
    r"""Attention weights A (rows sum to 1) as a heat map: row = query (or example), column = key.

    Parameters
    ----------
    weights : array, shape (R, Tk)
        One row of weights per query (or per example, for one query each).
    ax : Axes, optional
    title : str, optional
    row_label, col_label : str
        Axis labels (mathtext allowed).
    rows : sequence of str, optional
        Tick labels of the rows (default 1 … R).
    marks : sequence of int, optional
        For each row, a key index to outline (e.g. the step that holds the answer).
    colorbar : bool
        Draw a colour bar labelled "attention weight".

    Returns
    -------
    Axes
        The figure carries a default text alternative: where each row puts most weight.

    Notes
    -----
    Keys are numbered from 1 on the axis, as the book numbers time steps.
    Book: chapter 11, A transformer block.
    """
    A = np.asarray(weights, dtype=float)
    if A.ndim != 2 or A.size == 0:
        raise ValueError(f"weights must have shape (R, Tk) with R, Tk >= 1, got {A.shape}")
    own = ax is None
    ax = _axes(ax)
    R, Tk = A.shape
    image = ax.imshow(A, cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto",
                      extent=(0.5, Tk + 0.5, R + 0.5, 0.5), interpolation="nearest")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(col_label)
    ax.set_ylabel(row_label)
    ax.set_yticks(np.arange(1, R + 1), labels=list(rows) if rows is not None else None)
    if marks is not None:
        for r, s in enumerate(marks, start=1):
            ax.add_patch(_box(s + 1, r))
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="attention weight", fraction=0.05, pad=0.02)
    peaks = A.argmax(axis=1) + 1
    text = (f"heat map of attention weights, {R} rows by {Tk} keys (colour 0 to 1); the largest "
            f"weight per row is at key(s) {', '.join(str(int(p)) for p in peaks[:12])}"
            f"{' …' if R > 12 else ''}, with values from {_num(A.max(axis=1).min())} to "
            f"{_num(A.max(axis=1).max())}")
    if marks is not None:
        hit = float(np.mean(peaks == np.asarray(marks) + 1))
        text += f"; outlined: the marked key of each row, the peak in {hit:.0%} of rows"
    _describe(ax.figure, text, own, title)
    return ax


def _box(s: int, r: int):
    from matplotlib.patches import Rectangle

    return Rectangle((s - 0.5, r - 0.5), 1, 1, fill=False, edgecolor="#D55E00", linewidth=1.5)
