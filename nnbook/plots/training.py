"""Chapters 1–4: learning curves and decision boundaries (watching a network learn).

Book: chapter 1 (what hidden layers buy), chapters 3–4 (training, overfitting).
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

__all__ = ["plot_loss_curves", "plot_decision_boundary"]

# ---------------------------------------------------------------------------- loss curves
def _curves(history_or_dict: Any) -> dict[str, np.ndarray]:
    if isinstance(history_or_dict, Mapping):
        raw = dict(history_or_dict)
        rename = {"loss": "train", "val_loss": "validation"}
        raw = {rename.get(k, k): v for k, v in raw.items()}
    elif hasattr(history_or_dict, "loss") and hasattr(history_or_dict, "val_loss"):
        raw = {"train": history_or_dict.loss, "validation": history_or_dict.val_loss}
    else:
        raise ValueError(
            "history_or_dict must be a History or a dict of label -> per-epoch values, "
            f"got {type(history_or_dict).__name__}"
        )
    curves = {}
    for label, values in raw.items():
        values = np.asarray(values, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"history_or_dict[{label!r}] must be 1-D (one value per epoch), got {values.shape}")
        if values.size and not np.all(np.isnan(values)):
            curves[label] = values
    return curves


def plot_loss_curves(
    history_or_dict: Any,
    ax: Axes | None = None,
    log: bool = False,
    title: str | None = None,
    ylabel: str = r"loss $J(\theta)$",
) -> Axes:
    """Learning curves: the loss after each epoch, training and validation.

    Parameters
    ----------
    history_or_dict : History or dict
        A :class:`nnbook.network.History` (its ``loss`` and ``val_loss``), or a dict mapping a
        label to per-epoch values (keys ``"loss"``/``"val_loss"`` are shown as train /
        validation). Series that are empty or all ``nan`` are skipped.
    ax : Axes, optional
    log : bool
        Logarithmic loss axis.
    title, ylabel : str, optional

    Returns
    -------
    Axes

    Notes
    -----
    Book: chapter 3 (training), chapter 4 (overfitting: the validation curve turns up).
    """
    curves = _curves(history_or_dict)
    own = ax is None
    ax = _axes(ax)
    palette = {"train": COLORS["train"], "validation": COLORS["val"]}
    others = iter(CLASS_COLORS[2:] + CLASS_COLORS[:2])
    for label, values in curves.items():
        color = palette.get(label) or next(others)
        ax.plot(np.arange(1, values.size + 1), values, label=label, color=color, linewidth=1.8)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    _style(ax)
    if curves:
        ax.legend(frameon=False)
    epochs = max((v.size for v in curves.values()), default=0)
    names = " and ".join(curves) if curves else "No"
    what = "loss" if "loss" in ylabel or "J" in ylabel else "value"
    text = f"{names[0].upper()}{names[1:]} {what} over {epochs} epochs"
    if log:
        text += " (log scale)"
    _describe(ax.figure, text + ": " + "; ".join(_trend(k, v) for k, v in curves.items()), own, title)
    return ax


def _trend(label: str, values: np.ndarray) -> str:
    """One clause of a learning curve's description, e.g. ``"validation is lowest, 0.53, at
    epoch 7, then rises to 0.92"``."""
    finite = np.flatnonzero(np.isfinite(values))
    if finite.size == 0:
        return f"{label} has no finite value"
    v = values[finite]
    first, last, best = v[0], v[-1], int(np.argmin(v))
    spread = float(np.ptp(v)) or 1.0
    if best < v.size - 1 and last - v[best] > 0.05 * spread:
        return (f"{label} is lowest, {_num(v[best])}, at epoch {int(finite[best]) + 1}, then "
                f"rises to {_num(last)}")
    if last < first:
        return f"{label} falls from {_num(first)} to {_num(last)}"
    if last > first:
        return f"{label} rises from {_num(first)} to {_num(last)}"
    return f"{label} stays at {_num(last)}"


# ----------------------------------------------------------------------- decision boundary
def _scores(model_or_predict_fn: Any, grid: np.ndarray) -> np.ndarray:
    if hasattr(model_or_predict_fn, "forward"):
        out = model_or_predict_fn.forward(grid)
    elif callable(model_or_predict_fn):
        out = model_or_predict_fn(grid)
    else:
        raise ValueError(
            "model_or_predict_fn must be an MLP (with .forward) or a function of X, "
            f"got {type(model_or_predict_fn).__name__}"
        )
    return np.asarray(out, dtype=float)


def plot_decision_boundary(
    model_or_predict_fn: Any,
    X: np.ndarray,
    y: np.ndarray | None = None,
    ax: Axes | None = None,
    resolution: int = 100,
    margin: float = 0.5,
    title: str | None = None,
    colorbar: bool = True,
) -> Axes:
    """The regions a classifier assigns to each class, with the data points on top.

    The model is evaluated once, vectorized, on a ``resolution × resolution`` grid covering
    the data plus ``margin``. With two classes the colour shows ``p(class 1 | x)`` and a black
    line marks the decision boundary ``p = 1/2``, both explained by a colour bar (the 0.5
    contour marked on it); with more classes the colour shows the predicted class.

    Parameters
    ----------
    model_or_predict_fn : MLP or callable
        An object with ``forward(X)`` (e.g. :class:`nnbook.MLP`), or a function mapping an
        (m, 2) array to probabilities of class 1 (m,), class probabilities (m, K), or labels.
    X : ndarray, shape (n, 2)
    y : ndarray of int, shape (n,), optional
        Labels used to colour the points.
    ax : Axes, optional
    resolution : int
        Grid points per axis (``>= 2``).
    margin : float
        Extra space around the data.
    title : str, optional
    colorbar : bool
        With two classes, draw the colour bar of ``p(class 1 | x)`` beside the axes.

    Returns
    -------
    Axes

    Notes
    -----
    Book: chapter 1 (what hidden layers buy), chapters 3–5 (watching a network learn).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if y is not None:
        y = np.asarray(y)
        if y.shape not in ((X.shape[0],), (X.shape[0], 1)):
            raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
        y = y.reshape(-1).astype(int)
    if int(resolution) < 2:
        raise ValueError(f"resolution must be >= 2, got {resolution}")
    resolution = int(resolution)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    xx, yy = np.meshgrid(gx, gy)
    scores = _scores(model_or_predict_fn, np.column_stack([xx.ravel(), yy.ravel()]))
    m = xx.size
    if scores.ndim == 2 and scores.shape == (m, 2):
        scores = scores[:, 1]
    elif scores.ndim == 2 and scores.shape == (m, 1):
        scores = scores[:, 0]
    own = ax is None
    ax = _axes(ax, figsize=(4.4, 3.2) if colorbar else (3.6, 3.2))
    extent = (lo[0], hi[0], lo[1], hi[1])
    if scores.shape == (m,):  # probability of class 1 (or 0/1 labels)
        p = scores.reshape(xx.shape)
        cmap = matplotlib.colormaps["RdBu_r"]
        image = ax.imshow(p, origin="lower", extent=extent, cmap=cmap, vmin=0, vmax=1, alpha=0.55,
                          aspect="auto", interpolation="bilinear")
        crosses = p.min() < 0.5 < p.max()
        if crosses:
            ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.2)
        if colorbar:
            bar = ax.figure.colorbar(image, ax=ax, shrink=0.9, ticks=[0, 0.25, 0.5, 0.75, 1])
            bar.set_label(r"$p(\mathrm{class}\ 1 \mid x)$")
            bar.ax.axhline(0.5, color="k", linewidth=1.2)
        point_colors = ["#2166AC", "#B2182B"]
        text = (f"colour shows p(class 1 | x), from {_num(p.min())} to {_num(p.max())} "
                f"(blue near 0, red near 1" + (", a colour bar beside it" if colorbar else "") + ")"
                + ("; a black line marks the decision boundary p = 0.5" if crosses
                   else "; p never crosses 0.5, so there is no boundary in view"))
        predicted = None if y is None else (_scores(model_or_predict_fn, X).reshape(len(X), -1)[:, -1] > 0.5)
    elif scores.ndim == 2 and scores.shape[0] == m:  # class probabilities
        k = scores.shape[1]
        label = np.argmax(scores, axis=1).reshape(xx.shape)
        cmap = ListedColormap(CLASS_COLORS[:k])
        ax.imshow(label, origin="lower", extent=extent, cmap=cmap, vmin=-0.5, vmax=k - 0.5,
                  alpha=0.3, aspect="auto", interpolation="nearest")
        point_colors = CLASS_COLORS
        text = f"colour shows the predicted class among {k} (regions of {k} colours)"
        predicted = None if y is None else np.argmax(_scores(model_or_predict_fn, X), axis=1)
    else:
        raise ValueError(
            f"model_or_predict_fn must return shape ({m},) or ({m}, K) on a grid of {m} points, "
            f"got {scores.shape}"
        )
    if y is None:
        ax.scatter(X[:, 0], X[:, 1], s=12, c="k", edgecolors="white", linewidths=0.4)
    else:
        colors = np.array(point_colors * (1 + y.max() // len(point_colors)))[y]
        ax.scatter(X[:, 0], X[:, 1], s=14, c=colors, edgecolors="white", linewidths=0.5)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    where = (f"Decision regions over x1 from {_num(lo[0])} to {_num(hi[0])} and x2 from "
             f"{_num(lo[1])} to {_num(hi[1])}: ")
    if y is None:
        points = f"{len(X)} data points on top"
    else:
        counts = ", ".join(f"{int((y == c).sum())} of class {c}" for c in np.unique(y))
        points = f"{len(X)} data points on top ({counts})"
        if predicted is not None:
            points += f", {int((predicted.astype(int) == y).sum())} of them on the side of their class"
    _describe(ax.figure, where + text + "; " + points, own, title)
    return ax

