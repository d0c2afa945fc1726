"""Chapter 5: gradient norms per layer (vanishing and exploding gradients).

Book: chapter 5, Vanishing gradients.
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

__all__ = ["plot_grad_norms"]

# ---------------------------------------------------------------------------- gradient norms
def plot_grad_norms(
    grad_norms: np.ndarray | Mapping[str, np.ndarray],
    ax: Axes | None = None,
    log: bool = True,
    title: str | None = None,
) -> Axes:
    """Gradient size per layer, ``‖∂J/∂W⁽ˡ⁾‖``, to see gradients vanish (or explode).

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
    own = ax is None
    ax = _axes(ax)
    first = next(iter(groups.values()))
    if len(groups) == 1 and first.ndim == 2:
        epochs, L = first.shape
        colors = matplotlib.colormaps["viridis"](np.linspace(0, 0.9, L))
        for l in range(L):
            ax.plot(np.arange(1, epochs + 1), first[:, l], color=colors[l], label=f"layer {l + 1}")
        ax.set_xlabel("epoch")
        ax.legend(frameon=False, fontsize=10, ncol=2 if L > 4 else 1)
        last = first[-1]
        text = (f"Gradient norm of each of {L} layers over {epochs} epochs"
                f"{' (log scale)' if log else ''}: at the last epoch layer 1 has {_num(last[0])}"
                f" and layer {L} {_num(last[-1])}"
                + (f", from {_num(np.nanmin(last))} to {_num(np.nanmax(last))} across layers" if L > 2 else ""))
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
        clauses = [f"{label + ': ' if label else ''}{_num(n[0])} at layer 1, {_num(n[-1])} at layer "
                   f"{n.size} (ratio first/last {_num(n[0] / n[-1]) if n[-1] else 'undefined'})"
                   for label, n in groups.items()]
        text = (f"Gradient norm per layer, bars for layers 1 to {L}{' (log scale)' if log else ''}: "
                + "; ".join(clauses))
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(r"$\|\partial J / \partial W^{(l)}\|$")
    if title:
        ax.set_title(title)
    _style(ax)
    _describe(ax.figure, text, own, title)
    return ax

