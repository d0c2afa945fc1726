"""Chapter 6: images — digits and convolution kernels.

Book: chapter 6, Convolutional networks.
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

__all__ = ["plot_digits", "plot_filters"]

# ------------------------------------------------------------------------------ images
def _mosaic(images: np.ndarray, ncols: int, pad: int = 1) -> np.ndarray:
    """Tile images (k, h, w) into one array, ``nan`` between tiles (drawn as background)."""
    k, h, w = images.shape
    nrows = -(-k // ncols)
    canvas = np.full((nrows * (h + pad) - pad, ncols * (w + pad) - pad), np.nan)
    for i in range(k):  # a loop over tiles, not pixels
        r, c = divmod(i, ncols)
        canvas[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = images[i]
    return canvas


def plot_digits(
    X: np.ndarray,
    y: np.ndarray | None = None,
    n: int = 16,
    ncols: int = 8,
    predicted: np.ndarray | None = None,
) -> Figure:
    """Show the first ``n`` images of ``X`` (rows of 64 = 8 × 8 pixels) in a grid.

    Parameters
    ----------
    X : ndarray, shape (m, h·w) with a square image size (e.g. 64), or (m, h, w)
    y : ndarray of int, shape (m,), optional
        True labels, written above each image.
    n : int
        Number of images shown (at most ``m``).
    ncols : int
        Images per row.
    predicted : ndarray of int, shape (m,), optional
        Predicted labels; shown as "true→predicted", in red when wrong.

    Returns
    -------
    Figure

    Notes
    -----
    Book: chapter 6, Convolutional networks (the digits data set).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim == 2:
        side = int(round(np.sqrt(X.shape[1])))
        if side * side != X.shape[1]:
            raise ValueError(f"X must have square images (e.g. 64 = 8×8 columns), got {X.shape[1]} columns")
        X = X.reshape(-1, side, side)
    if X.ndim != 3 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (m, h*w) or (m, h, w) with m >= 1, got {X.shape}")
    n = min(int(n), X.shape[0])
    if n < 1 or ncols < 1:
        raise ValueError(f"n and ncols must be >= 1, got n={n}, ncols={ncols}")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    h, w = X.shape[1:]
    canvas = _mosaic(X[:n], ncols, pad=2)
    fig, ax = plt.subplots(figsize=(min(7.0, 0.85 * ncols + 0.2), 0.95 * nrows + 0.1), layout="constrained")
    ax.imshow(canvas, cmap="gray_r", interpolation="nearest")
    ax.axis("off")
    for i in range(n):
        if y is None and predicted is None:
            break
        r, c = divmod(i, ncols)
        if predicted is None:
            text, color = f"{y[i]}", "black"
        elif y is None:
            text, color = f"{predicted[i]}", "black"
        else:
            text = f"{y[i]}→{predicted[i]}"
            color = "black" if y[i] == predicted[i] else COLORS["negative"]
        ax.text(c * (w + 2) + w / 2 - 0.5, r * (h + 2) - 0.7, text, ha="center", va="bottom",
                fontsize=10, color=color)
    text = f"{n} digit image{'s' if n > 1 else ''} of {h}×{w} pixels in {nrows} row{'s' if nrows > 1 else ''}"
    if y is not None and predicted is None:
        text += ", labelled " + " ".join(str(int(v)) for v in np.asarray(y)[:n])
    elif predicted is not None and y is None:
        text += ", predicted " + " ".join(str(int(v)) for v in np.asarray(predicted)[:n])
    elif predicted is not None:
        yt, yp = np.asarray(y)[:n], np.asarray(predicted)[:n]
        wrong = [f"{int(a)} read as {int(b)}" for a, b in zip(yt, yp) if a != b]
        text += (f", true→predicted labels above each: {n - len(wrong)} of {n} correct"
                 + (f" (wrong, in red: {', '.join(wrong)})" if wrong else ""))
    _describe(fig, text, own=True)
    return fig


def plot_filters(
    w: np.ndarray,
    title: str | None = None,
    annotate: bool | None = None,
    max_filters: int = 32,
) -> Figure:
    """Show convolution kernels ``w`` of shape (F, C, KH, KW): one row per filter, one column
    per input channel, blue positive, red negative, white zero.

    Parameters
    ----------
    w : ndarray, shape (F, C, KH, KW), (F, KH, KW) or (KH, KW)
    title : str, optional
    annotate : bool, optional
        Write each weight's value in its cell (default: when there are few, ≤ 3 kernels of
        at most 5 × 5).
    max_filters : int
        Show at most this many filters.

    Returns
    -------
    Figure

    Notes
    -----
    Book: chapter 6, Convolutional networks (kernels such as edge detectors).
    """
    w = np.asarray(w, dtype=float)
    if w.ndim == 2:
        w = w[None, None]
    elif w.ndim == 3:
        w = w[:, None]
    if w.ndim != 4 or w.size == 0:
        raise ValueError(f"w must have shape (F, C, KH, KW), (F, KH, KW) or (KH, KW), got {w.shape}")
    w = w[:max_filters]
    F, C, KH, KW = w.shape
    # filters side by side, channels stacked vertically
    tiles = w.transpose(1, 0, 2, 3).reshape(C * F, KH, KW)
    canvas = _mosaic(tiles, ncols=F, pad=1)
    if annotate is None:
        annotate = F * C <= 3 and KH <= 5 and KW <= 5
    scale = np.nanmax(np.abs(canvas)) or 1.0
    cell = 0.35 if annotate else 0.18
    fig, ax = plt.subplots(
        figsize=(min(7.0, max(1.6, cell * (F * (KW + 1)) + 0.9)), min(6.0, max(1.2, cell * C * (KH + 1) + 0.5))),
        layout="constrained",
    )
    image = ax.imshow(canvas, cmap="RdBu", vmin=-scale, vmax=scale, interpolation="nearest")
    fig.colorbar(image, ax=ax, shrink=0.8)
    if annotate:
        for (i, j), value in np.ndenumerate(canvas):
            if np.isfinite(value):
                ax.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=10,
                        color="white" if abs(value) > 0.6 * scale else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    if C > 1:
        ax.set_ylabel("input channel ↓")
    if F > 1:
        ax.set_xlabel("filter →")
    if title:
        ax.set_title(title)
    text = (f"{F} convolution kernel{'s' if F > 1 else ''} of {KH}×{KW} weights"
            + (f" over {C} input channels" if C > 1 else "")
            + f", blue positive, red negative, white zero: weights from {_num(np.nanmin(w))} to "
            f"{_num(np.nanmax(w))}")
    if annotate and F * C == 1:
        text += "; rows: " + "; ".join(" ".join(f"{v:.2g}" for v in row) for row in w[0, 0])
    _describe(fig, text, own=True, title=title)
    return fig
