"""Chapter 10's figures: the LSTM cell, gradient profiles through time, accuracy against T.

Each function draws on ``ax`` (a new figure when None), attaches a default text alternative
with the key numbers (:func:`nnbook.figures.set_alt`) and returns the figure.

Book: chapter 10, Gated recurrence — the LSTM.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..figures import describe_number as _num
from ..figures import set_alt

__all__ = ["plot_lstm_cell", "plot_input_gradient_profiles", "plot_accuracy_by_length",
           "plot_training_runs", "SEQUENCE_MODEL_COLORS"]

#: One colour per recurrent model, shared by every figure of the chapter (Okabe–Ito).
SEQUENCE_MODEL_COLORS = {"rnn": "#D55E00", "lstm": "#0072B2"}
_EXTRA = ["#009E73", "#CC79A7", "#E69F00", "#000000"]
_NAMES = {"rnn": "RNN", "lstm": "LSTM"}


def _ax(ax: Axes | None, figsize=(7.0, 3.2)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _color(label: str, i: int) -> str:
    key = label.lower().split()[0].strip(",;:") if label else ""
    return SEQUENCE_MODEL_COLORS.get(key, _EXTRA[i % len(_EXTRA)])


def plot_lstm_cell(ax: Axes | None = None) -> Figure:
    """The LSTM cell: four gates from [h_{t−1}, x_t], the additive cell path c_{t−1} → c_t on top.

    Book: chapter 10, The LSTM cell.
    """
    ax = _ax(ax, (7.0, 3.6))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 5.2)
    ax.axis("off")
    arrow = dict(arrowstyle="->", lw=1.4, color="0.3")
    cell = dict(arrowstyle="->", lw=2.6, color=SEQUENCE_MODEL_COLORS["lstm"])

    def box(x, y, text, fc, size=12):
        ax.text(x, y, text, ha="center", va="center", fontsize=size,
                bbox=dict(boxstyle="round,pad=0.3", fc=fc, ec="0.3", lw=1.2))

    def op(x, y, text):
        ax.text(x, y, text, ha="center", va="center", fontsize=13,
                bbox=dict(boxstyle="circle,pad=0.15", fc="white", ec="0.3", lw=1.2))

    # the cell path along the top: c_{t-1} -> (x f) -> (+ i g) -> c_t
    box(0.6, 4.4, r"$c_{t-1}$", "#DDEEFF")
    box(9.4, 4.4, r"$c_t$", "#DDEEFF")
    op(3.0, 4.4, r"$\odot$")
    op(5.2, 4.4, r"$+$")
    ax.annotate("", (2.75, 4.4), (1.15, 4.4), arrowprops=cell)
    ax.annotate("", (4.95, 4.4), (3.25, 4.4), arrowprops=cell)
    ax.annotate("", (8.85, 4.4), (5.45, 4.4), arrowprops=cell)
    ax.text(4.1, 4.75, "cell path", fontsize=10, ha="center", color=SEQUENCE_MODEL_COLORS["lstm"])
    # the gates
    gates = [(3.0, r"$f_t = \sigma$", "#F8E3BF"), (4.4, r"$i_t = \sigma$", "#F8E3BF"),
             (5.8, r"$g_t = \tanh$", "#CCE8DE"), (7.3, r"$o_t = \sigma$", "#F8E3BF")]
    for x, text, fc in gates:
        box(x, 2.0, text, fc, size=11)
        ax.annotate("", (x, 1.7), (x, 1.05), arrowprops=arrow)
    ax.annotate("", (3.0, 4.15), (3.0, 2.3), arrowprops=arrow)  # f into the product
    op(5.2, 3.3, r"$\odot$")  # i ⊙ g
    ax.annotate("", (5.05, 3.2), (4.4, 2.3), arrowprops=arrow)
    ax.annotate("", (5.35, 3.2), (5.8, 2.3), arrowprops=arrow)
    ax.annotate("", (5.2, 4.15), (5.2, 3.55), arrowprops=arrow)
    # output: h_t = o ⊙ tanh(c_t)
    box(8.4, 3.4, r"$\tanh$", "#CCE8DE", size=11)
    ax.annotate("", (8.4, 3.7), (8.4, 4.15), arrowprops=arrow)
    op(8.4, 2.0, r"$\odot$")
    ax.annotate("", (8.4, 2.25), (8.4, 3.1), arrowprops=arrow)
    ax.annotate("", (8.15, 2.0), (7.85, 2.0), arrowprops=arrow)
    box(9.5, 1.3, r"$h_t$", "#CCDDEE")
    ax.annotate("", (9.25, 1.45), (8.6, 1.85), arrowprops=arrow)
    # inputs
    box(2.0, 0.7, r"$h_{t-1}$", "#CCDDEE")
    box(4.6, 0.7, r"$x_t$", "#CCE8DE")
    ax.plot([2.5, 7.3], [1.05, 1.05], color="0.3", lw=1.4)
    ax.text(5.3, 0.6, r"$[i\ f\ g\ o] = x_t W_x^{\top} + h_{t-1} W_h^{\top} + b$", fontsize=10,
            ha="left", va="center")
    fig = ax.figure
    set_alt(fig, "Diagram of one LSTM step. Along the top, the cell path runs from c_{t-1} "
                 "through a product with the forget gate f_t and a sum with i_t times g_t to c_t: "
                 "no weight matrix and no squashing function lies on it. Below, the previous "
                 "state h_{t-1} and the input x_t feed the four gates f, i, o (sigmoids) and g "
                 "(tanh); the output is h_t = o_t times tanh(c_t).")
    return fig


def plot_input_gradient_profiles(profiles: Mapping[str, Sequence[float]], ax: Axes | None = None,
                                 title: str | None = None,
                                 styles: Mapping[str, str] | None = None) -> Figure:
    """‖∂J/∂x_t‖ against the step t (log scale), one curve per model.

    ``profiles`` maps a label (e.g. "RNN, trained") to the T values of
    :func:`nnbook.sequence_training.input_gradient_norms`. Book: chapter 10, RNN against LSTM.
    """
    ax = _ax(ax)
    parts = []
    for k, (label, g) in enumerate(profiles.items()):
        g = np.asarray(g, dtype=float)
        t = np.arange(1, len(g) + 1)
        ls = (styles or {}).get(label, "-")
        ax.semilogy(t, np.maximum(g, 1e-300), ls, color=_color(label, k), lw=2, label=label)
        parts.append(f"{label}: {_num(g[0], 2)} at step 1 and {_num(g[-1], 2)} at step {len(g)}")
    ax.set_xlabel(r"input step $t$")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # steps are integers
    ax.set_ylabel(r"$\|\partial J / \partial x_t\|$")
    if title:
        ax.set_title(title, fontsize=11)
    ax.legend(frameon=False, fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    fig = ax.figure
    set_alt(fig, "Gradient norm of the loss with respect to each input x_t against the step t, "
                 "log scale. " + "; ".join(parts) + ".")
    return fig


def plot_accuracy_by_length(lengths: Sequence[int], accuracy: Mapping[str, Sequence],
                            chance: float | None = None, ax: Axes | None = None,
                            highlight: int | None = None) -> Figure:
    """Test accuracy against the sequence length T, one line per model (chance dotted).

    ``accuracy[model]`` holds one value per length, or one row per run (seed) of such values:
    the line is then the mean over the runs and every run is a dot.
    Book: chapter 10, RNN against LSTM.
    """
    ax = _ax(ax)
    lengths = list(lengths)
    parts = []
    for k, (label, acc) in enumerate(accuracy.items()):
        runs = np.atleast_2d(np.asarray(acc, dtype=float))
        mean = runs.mean(axis=0)
        color, name = _color(label, k), _NAMES.get(label, label)
        offset = (k - 0.5) * 0.25
        if len(runs) > 1:
            for row in runs:
                ax.plot(np.array(lengths) + offset, row, "o", color=color, ms=4, alpha=0.5)
        ax.plot(lengths, mean, "-", color=color, lw=2, label=name + (" (mean)" if len(runs) > 1 else ""))
        text = ", ".join(f"{a:.2f} at T = {T}" for T, a in zip(lengths, mean))
        if len(runs) > 1:
            text = (f"mean over {len(runs)} runs {text}; lowest run "
                    + ", ".join(f"{a:.2f}" for a in runs.min(axis=0)))
        parts.append(f"{name}: {text}")
    if chance is not None:
        ax.axhline(chance, color="0.5", ls=":", label="chance")
    if highlight is not None:
        ax.axvline(highlight, color="0.7", lw=6, alpha=0.4, zorder=0)
    ax.set_xlabel(r"sequence length $T$")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.05)
    ax.set_xticks(lengths)
    ax.legend(frameon=False, fontsize=10, loc="center left")
    fig = ax.figure
    set_alt(fig, "Test accuracy against the sequence length T. " + "; ".join(parts)
            + (f"; chance is {chance:.2f}" if chance is not None else "") + ".")
    return fig


def plot_training_runs(runs: Mapping[str, Mapping], axes: Sequence[Axes] | None = None,
                       reference: float | None = None) -> Figure:
    """Loss (left) and global gradient norm before clipping (right) per step, one line per run.

    ``runs`` maps a label to a history of :func:`nnbook.sequence_training.train_sequence_model`
    (keys ``loss``, ``grad_norm``, ``diverged``). Book: chapter 10, Exploding gradients.
    """
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.2), layout="constrained")
    ax_loss, ax_norm = axes
    parts = []
    for k, (label, hist) in enumerate(runs.items()):
        color = _EXTRA[k % len(_EXTRA)] if k else SEQUENCE_MODEL_COLORS["rnn"]
        loss, norm = np.asarray(hist["loss"]), np.asarray(hist["grad_norm"])
        steps = np.arange(1, len(loss) + 1)
        ax_loss.semilogy(steps, loss, color=color, lw=1.8, label=label)
        ax_norm.semilogy(steps, norm, color=color, lw=1.2, label=label)
        end = "stopped, diverged," if hist.get("diverged") else "ended"
        parts.append(f"{label}: {end} after {len(loss)} steps, loss {_num(loss[-1], 2)}, "
                     f"largest gradient norm {_num(norm.max(), 2)}")
    if reference is not None:
        ax_loss.axhline(reference, color="0.5", ls=":", label="predict the mean")
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel(r"loss $J$")
    ax_norm.set_xlabel("step")
    ax_norm.set_ylabel(r"gradient norm $\|\nabla J\|$")
    ax_loss.legend(frameon=False, fontsize=10)
    fig = ax_loss.figure
    set_alt(fig, "Left: training loss per step, log scale; right: the gradient norm before "
                 "clipping. " + "; ".join(parts) + ".")
    return fig
