"""The picture of a computational graph: nodes with their operation, value and adjoint.

Drawn with matplotlib from a :class:`~nnbook.autodiff.Tensor`'s ``parents`` (no Graphviz):
inputs on the left, the output on the right, one column per depth. Every node shows its
label (a name, or ``v1, v2, ...`` in topological order) with the operation that made it, its
forward value and, after ``backward()``, its adjoint ``∂J/∂v``.

Book: chapter 9, Computational graphs and automatic differentiation.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..autodiff import Tensor
from ..figures import set_alt
from .part1 import COLORS

__all__ = ["graph_nodes", "describe_graph", "draw_graph"]

_OP_SYMBOLS = {"-": "−", "*": "×", "neg": "−(·)"}  # typeset minus and times in the boxes


def _fmt(x: np.ndarray, fmt: str) -> str:
    if x.size == 1:
        return format(float(x.reshape(())) + 0.0, fmt).replace("-", "−")  # + 0.0: no "−0"
    return f"shape {x.shape}"


def graph_nodes(t: Tensor) -> list[dict]:
    """The graph of ``t`` as a list of dicts, one per node in topological order.

    Each dict has ``tensor``, ``label`` (its ``name``; a plain number for a one-element
    constant leaf; else ``v1, v2, ...``), ``op`` (``""`` for an input), ``parents`` (their
    indices in the list) and ``depth`` (0 for inputs, else 1 + the largest parent depth).
    Book: chapter 9, The graph of an expression.
    """
    if not isinstance(t, Tensor):
        raise ValueError(f"t must be a nnbook.autodiff.Tensor, got {type(t).__name__}")
    order = t.topological_order()
    index = {id(node): i for i, node in enumerate(order)}
    nodes: list[dict] = []
    counter = 0
    for node in order:
        parents = [index[id(p)] for p in node.parents]
        if node.name:
            label = node.name
        elif not node.parents and node.data.size == 1:
            label = _fmt(node.data, "g")
        else:
            counter += 1
            label = f"v{counter}"
        depth = 1 + max(nodes[p]["depth"] for p in parents) if parents else 0
        nodes.append({"tensor": node, "label": label, "op": node.op, "parents": parents,
                      "depth": depth})
    return nodes


def describe_graph(t: Tensor, fmt: str = ".3g") -> str:
    """A text alternative for :func:`draw_graph`: every node, its operation, value and adjoint.

    Book: chapter 9, The graph of an expression.
    """
    nodes = graph_nodes(t)
    parts = []
    for node in nodes:
        tensor = node["tensor"]
        if node["parents"]:
            args = [nodes[p]["label"] for p in node["parents"]]
            op = node["op"]
            expr = f"{op}({', '.join(args)})" if len(args) == 1 else f" {op} ".join(args)
            text = f"{node['label']} = {expr} = {_fmt(tensor.data, fmt)}"
        else:
            text = f"input {node['label']} = {_fmt(tensor.data, fmt)}"
        if tensor.grad is not None:
            text += f", adjoint {_fmt(tensor.grad, fmt)}"
        parts.append(text)
    n_inputs = sum(1 for node in nodes if not node["parents"])
    return (f"Computational graph with {len(nodes)} nodes ({n_inputs} inputs on the left, the "
            f"output {nodes[-1]['label']} on the right), each with its forward value and its "
            f"adjoint (the derivative of the output with respect to it): " + "; ".join(parts) + ".")


def _positions(nodes: list[dict]) -> tuple[np.ndarray, int]:
    """x = depth; inputs stacked in column 0, every other node at the mean height of its
    parents, moved down where needed to keep boxes of one column a row apart."""
    n_cols = max(node["depth"] for node in nodes) + 1
    pos = np.zeros((len(nodes), 2))
    for d in range(n_cols):
        col = [i for i, node in enumerate(nodes) if node["depth"] == d]
        if d == 0:
            ys = -np.arange(len(col), dtype=float)
        else:
            wanted = {i: np.mean([pos[p, 1] for p in nodes[i]["parents"]]) for i in col}
            col.sort(key=lambda i: -wanted[i])
            ys = np.array([wanted[i] for i in col])
            for k in range(1, len(ys)):
                ys[k] = min(ys[k], ys[k - 1] - 1.0)
        for i, y in zip(col, ys):
            pos[i] = (d, y)
    return pos, n_cols


def draw_graph(t: Tensor, ax: Axes | None = None, fmt: str = ".3g", title: str | None = None) -> Figure:
    """Draw the graph of ``t``: one box per node (label and operation, value ``v``, adjoint ``v̄``).

    Parameters
    ----------
    t : Tensor
        The output; call ``t.backward()`` first to see the adjoints.
    ax : matplotlib Axes, optional
        Where to draw; default a new figure sized to the graph (at most 7 inches wide).
    fmt : str
        Format of the numbers (one-element tensors; larger ones show their shape).
    title : str, optional

    Returns
    -------
    Figure
        With its text alternative (:func:`describe_graph`) attached by ``set_alt``.

    Notes
    -----
    Book: chapter 9, The graph of an expression.
    """
    nodes = graph_nodes(t)
    pos, n_cols = _positions(nodes)
    if ax is None:
        width = min(7.0, 1.35 * n_cols + 0.3)
        height = 0.95 * (pos[:, 1].max() - pos[:, 1].min() + 1) + (0.45 if title else 0.15)
        fig, ax = plt.subplots(figsize=(width, max(height, 1.4)))
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99 if not title else 0.88)
    fig = ax.figure
    box_w, box_h = 0.78, 0.78
    for i, node in enumerate(nodes):
        x, y = pos[i]
        for p in node["parents"]:
            px, py = pos[p]
            # an edge that skips a column bends (above the boxes between, for a higher start)
            bend = 0.0 if x - px < 2 else (-0.25 if py >= y else 0.25)
            ax.annotate("", xy=(x - box_w / 2, y), xytext=(px + box_w / 2, py),
                        arrowprops=dict(arrowstyle="-|>", color=COLORS["edge"], lw=1.1,
                                        shrinkA=0, shrinkB=1, connectionstyle=f"arc3,rad={bend}"),
                        zorder=1)
    for i, node in enumerate(nodes):
        x, y = pos[i]
        tensor = node["tensor"]
        leaf = not node["parents"]
        color = COLORS["input"] if leaf else (COLORS["output"] if i == len(nodes) - 1 else COLORS["hidden"])
        ax.add_patch(plt.Rectangle((x - box_w / 2, y - box_h / 2), box_w, box_h, facecolor="white",
                                   edgecolor=color, lw=1.8, zorder=2))
        op = _OP_SYMBOLS.get(node["op"], node["op"])
        head = node["label"] if leaf else f"{node['label']}: {op}"
        ax.text(x, y + 0.23, head, ha="center", va="center", fontsize=10, fontweight="bold",
                color="black", zorder=3)
        ax.text(x, y, f"{_fmt(tensor.data, fmt)}", ha="center", va="center", fontsize=10, zorder=3)
        if tensor.grad is not None:
            ax.text(x, y - 0.23, f"adj {_fmt(tensor.grad, fmt)}", ha="center", va="center",
                    fontsize=10, color="#A0336E", zorder=3)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(pos[:, 1].min() - 0.5, pos[:, 1].max() + 0.5)
    ax.set_aspect("auto")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)
    return set_alt(fig, describe_graph(t, fmt))
