"""The style every figure of the book shares: palette, default size, axes helpers, and the
default text alternative each figure function attaches (see :mod:`nnbook.figures`).

Book: every chapter's figures.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._mathtext import plain
from ..figures import describe_number, get_alt, set_alt

__all__ = ["COLORS", "CLASS_COLORS", "FIGSIZE"]

#: The book's palette (colour-blind friendly, from the Okabe–Ito set).
COLORS = {
    "input": "#009E73",
    "hidden": "#0072B2",
    "output": "#E69F00",
    "train": "#0072B2",
    "val": "#D55E00",
    "positive": "#0072B2",
    "negative": "#D55E00",
    "grad": "#CC79A7",
    "edge": "#888888",
}
#: Colours of classes 0, 1, 2, ... in scatter plots and decision regions.
CLASS_COLORS = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FIGSIZE = (7.0, 3.2)


def _axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _style(ax: Axes) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, alpha=0.25, linewidth=0.6)


def _num(value: float) -> str:
    return describe_number(value, 3)


def _describe(fig: Figure, text: str, own: bool, title: str | None = None) -> None:
    """Attach ``text`` as ``fig``'s default alt. A figure function that drew into a caller's
    ``ax`` (``own=False``) adds its description to what the figure already says, so a
    multi-panel figure drawn with several calls is described panel by panel."""
    if title:
        try:
            title = plain(title)
        except ValueError:  # a title in mathtext this module cannot spell: keep its words
            title = title.replace("$", "").replace("\\", "")
        text = f"{title}: {text}"
    existing = get_alt(fig)
    if not own and existing:
        text = f"{existing.rstrip('.')}. Next panel: {text}"
    set_alt(fig, text)
