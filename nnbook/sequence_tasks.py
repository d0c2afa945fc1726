"""Long-range sequence tasks made in code from a seed: the answer depends on an input T steps back.

Book: chapter 10, A task that needs a long memory (and chapter 11, which reuses it).

Both generators return inputs in the package's layout, ``x`` of shape ``(N, T, D)``:

* :func:`make_recall_task` — a marked symbol at the first step, ``T − 1`` random distractor
  symbols after it; the label is the marked symbol (classification, chance ``1/K``);
* :func:`make_adding_problem` — Hochreiter and Schmidhuber's adding problem: random values,
  two of them marked, one near the start; the target is their sum (regression).
"""
from __future__ import annotations

import numpy as np

from ._validate import check_int

__all__ = ["make_recall_task", "make_adding_problem", "adding_accuracy"]


def make_recall_task(
    n: int, T: int, n_symbols: int = 4, distractors: bool = True, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """x_1 = (one-hot s, 1), x_t = (one-hot random symbol, 0) for t > 1; the label is s.

    The network reads ``T`` steps and must name, at the end, the symbol it saw at step 1
    (the only step whose marker channel is 1). Everything after step 1 is noise it must
    ignore, so the gradient that teaches it has to travel back ``T − 1`` steps.

    Parameters
    ----------
    n : int
        Number of sequences N.
    T : int
        Sequence length (>= 1).
    n_symbols : int
        K >= 2, the number of symbols (classes).
    distractors : bool
        True: steps 2 … T carry random symbols; False: they are all zero.
    seed : int
        Same seed, same data.

    Returns
    -------
    x : ndarray, shape (N, T, K + 1), float64
        K one-hot channels and the marker channel (the last).
    labels : ndarray, shape (N,), int64
        The symbol at step 1, in [0, K).

    Notes
    -----
    Book: chapter 10, A task that needs a long memory.
    """
    n, T = check_int(n, "n"), check_int(T, "T")
    K = check_int(n_symbols, "n_symbols", minimum=2)
    if not isinstance(distractors, (bool, np.bool_)):
        raise ValueError(f"distractors must be True or False, got {distractors!r}")
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, K, size=(n, T))
    x = np.zeros((n, T, K + 1))
    rows, steps = np.meshgrid(np.arange(n), np.arange(T), indexing="ij")
    x[rows, steps, symbols] = 1.0
    if not distractors:
        x[:, 1:] = 0.0
    x[:, 0, K] = 1.0  # the marker: remember this step
    return x, symbols[:, 0].astype(np.int64)


def make_adding_problem(n: int, T: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """y = Σ_t v_t m_t: values v_t ~ U(0, 1), markers m_t on one step in the first tenth
    (at least step 1) and one in the second half; the target is the sum of the two marked values.

    Predicting the mean, y = 1, gives the mean squared error 1/6 (the variance of the sum).

    Returns
    -------
    x : ndarray, shape (N, T, 2)
        Channel 0 the values, channel 1 the markers.
    y : ndarray, shape (N, 1)

    Notes
    -----
    ``T >= 2``. Book: chapter 10, A task that needs a long memory.
    """
    n, T = check_int(n, "n"), check_int(T, "T", minimum=2)
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, T))
    first = rng.integers(0, max(1, T // 10), size=n)
    second = rng.integers(max(1, T // 2), T, size=n)
    markers = np.zeros((n, T))
    markers[np.arange(n), first] = 1.0
    markers[np.arange(n), second] = 1.0
    x = np.stack([values, markers], axis=-1)
    y = (values * markers).sum(axis=1, keepdims=True)
    return x, y


def adding_accuracy(y_hat: np.ndarray, y: np.ndarray, tol: float = 0.04) -> float:
    """The fraction of sequences with ``|ŷ − y| < tol`` (0.04, the usual criterion for the adding problem).

    Book: chapter 10, A task that needs a long memory.
    """
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat must have the shape of y {y.shape}, got {y_hat.shape}")
    return float(np.mean(np.abs(y_hat - y) < tol))
