"""Figures for the book: network diagrams, activations, learning curves, decision boundaries,
gradient norms, digits and convolution filters.

Every function draws with matplotlib in one consistent style and is fast enough to be called
inside an interactive knob's ``draw`` (tens of milliseconds). Functions that draw into a single
``ax`` take ``ax=None`` (a new figure of about 7 × 3.2 inches is made) and return the Axes
(``ax.figure`` is its Figure); functions that lay out several panels return the Figure.

This module imports matplotlib; ``nnbook`` loads it lazily (``from nnbook.plots import ...``).
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

from ..activations import get_activation

__all__ = [
    "COLORS",
    "draw_network",
    "plot_activations",
    "plot_loss_curves",
    "plot_decision_boundary",
    "plot_grad_norms",
    "plot_digits",
    "plot_filters",
]

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
            ax.text(l, -tallest / 2 + 0.1, f"{name}\n{sizes[l]}", ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-tallest / 2 - (1.0 if labels else 0.1), tallest / 2 - 0.1)
    ax.set_aspect("auto")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


# ------------------------------------------------------------------------------ activations
def plot_activations(
    names: Sequence[str] = ("sigmoid", "relu", "tanh"),
    with_grad: bool = True,
    x: np.ndarray | None = None,
) -> Figure:
    """One panel per activation ``f``, with its derivative ``f'`` dashed.

    Parameters
    ----------
    names : sequence of str
        Activation names understood by :func:`nnbook.get_activation`.
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
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=float)
    fig, axes = plt.subplots(1, len(names), figsize=(min(7.0, 2.4 * len(names) + 0.4), 2.6),
                             layout="constrained", squeeze=False)
    for ax, name, (f, f_grad) in zip(axes[0], names, pairs):
        ax.axhline(0, color="#999999", linewidth=0.8)
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.plot(x, f(x), color=COLORS["hidden"], linewidth=2, label=f"{name}(x)")
        if with_grad:
            ax.plot(x, f_grad(x), color=COLORS["grad"], linewidth=1.6, linestyle="--", label=f"{name}'(x)")
        ax.set_title(name)
        ax.set_xlabel("x")
        _style(ax)
        ax.legend(fontsize=8, loc="upper left", frameon=False)
    return fig


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
    return ax


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
) -> Axes:
    """The regions a classifier assigns to each class, with the data points on top.

    The model is evaluated once, vectorized, on a ``resolution × resolution`` grid covering
    the data plus ``margin``. With two classes the colour shows ``p(class 1 | x)`` and a black
    line marks the decision boundary ``p = 1/2``; with more classes it shows the predicted
    class.

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
    ax = _axes(ax, figsize=(3.6, 3.2))
    extent = (lo[0], hi[0], lo[1], hi[1])
    if scores.shape == (m,):  # probability of class 1 (or 0/1 labels)
        p = scores.reshape(xx.shape)
        cmap = matplotlib.colormaps["RdBu_r"]
        ax.imshow(p, origin="lower", extent=extent, cmap=cmap, vmin=0, vmax=1, alpha=0.55,
                  aspect="auto", interpolation="bilinear")
        if p.min() < 0.5 < p.max():
            ax.contour(xx, yy, p, levels=[0.5], colors="k", linewidths=1.2)
        point_colors = ["#2166AC", "#B2182B"]
    elif scores.ndim == 2 and scores.shape[0] == m:  # class probabilities
        k = scores.shape[1]
        label = np.argmax(scores, axis=1).reshape(xx.shape)
        cmap = ListedColormap(CLASS_COLORS[:k])
        ax.imshow(label, origin="lower", extent=extent, cmap=cmap, vmin=-0.5, vmax=k - 0.5,
                  alpha=0.3, aspect="auto", interpolation="nearest")
        point_colors = CLASS_COLORS
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
    return ax


# ---------------------------------------------------------------------------- gradient norms
def plot_grad_norms(
    grad_norms: np.ndarray | Mapping[str, np.ndarray],
    ax: Axes | None = None,
    log: bool = True,
    title: str | None = None,
) -> Axes:
    """Gradient size per layer, ``‖∂J/∂W_l‖``, to see gradients vanish (or explode).

    Parameters
    ----------
    grad_norms : array or dict
        * 1-D, shape (L,): one bar per layer;
        * 2-D, shape (epochs, L) (``History.grad_norms``): one line per layer over epochs;
        * dict label -> 1-D array of length L: grouped bars, one colour per label (e.g. to
          compare sigmoid with ReLU).
    ax : Axes, optional
    log : bool
        Logarithmic norm axis (the natural scale: norms shrink geometrically with depth).
    title : str, optional

    Returns
    -------
    Axes

    Notes
    -----
    Book: chapter 5, Vanishing gradients.
    """
    if isinstance(grad_norms, Mapping):
        groups = {str(k): np.asarray(v, dtype=float) for k, v in grad_norms.items()}
    else:
        groups = {"": np.asarray(grad_norms, dtype=float)}
    if not groups:
        raise ValueError("grad_norms must not be empty")
    ax = _axes(ax)
    first = next(iter(groups.values()))
    if len(groups) == 1 and first.ndim == 2:
        epochs, L = first.shape
        colors = matplotlib.colormaps["viridis"](np.linspace(0, 0.9, L))
        for l in range(L):
            ax.plot(np.arange(1, epochs + 1), first[:, l], color=colors[l], label=f"layer {l + 1}")
        ax.set_xlabel("epoch")
        ax.legend(frameon=False, fontsize=8, ncol=2 if L > 4 else 1)
    else:
        for label, norms in groups.items():
            if norms.ndim != 1 or norms.size == 0:
                raise ValueError(f"grad_norms[{label!r}] must be a non-empty 1-D array (one norm per layer), got {norms.shape}")
        L = max(v.size for v in groups.values())
        width = 0.8 / len(groups)
        for g, (label, norms) in enumerate(groups.items()):
            offset = (g - (len(groups) - 1) / 2) * width
            color = CLASS_COLORS[g % len(CLASS_COLORS)] if label else COLORS["hidden"]
            ax.bar(np.arange(1, norms.size + 1) + offset, norms, width=width * 0.95,
                   color=color, label=label or None)
        ax.set_xticks(np.arange(1, L + 1))
        ax.set_xlabel("layer l (1 = closest to the input)")
        if len(groups) > 1 or next(iter(groups)):
            ax.legend(frameon=False)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(r"$\|\partial J / \partial W_l\|$")
    if title:
        ax.set_title(title)
    _style(ax)
    return ax


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
                fontsize=8, color=color)
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
                ax.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=8,
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
    return fig
