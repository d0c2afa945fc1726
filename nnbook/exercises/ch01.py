"""Checks for the exercises of chapter 1, Structure of a network.

Book: chapter 1, Exercises.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._check import call, check_close, check_shape, fail, passed
from ._check import matches as _same

__all__ = ["check_dense", "check_param_count"]


def check_dense(my_dense: Callable) -> bool:
    """Check ``my_dense(x, W, b)`` against ``z = x @ W + b``, ``x`` (n, d_in), ``W`` (d_in, d_out).

    Book: chapter 1, Exercises (a layer's forward pass). Recognizes a transposed ``W``
    and a forgotten bias.
    """
    ex = "ex-ch01-dense"
    rng = np.random.default_rng(101)
    # A square W first: a transposed W then gives numbers (not a crash) we can recognize.
    x = rng.normal(size=(4, 3))
    W = rng.normal(size=(3, 3))
    b = rng.normal(size=3)
    z = check_shape(ex, "my_dense(x, W, b)", call(ex, my_dense, x, W, b), (4, 3))
    z = np.asarray(z, dtype=float)
    if _same(z, x @ W.T + b) or _same(z, x @ W.T):
        fail(ex, "W looks transposed: W[i, j] is the weight from input i to neuron j, "
                 "so z[:, j] = sum_i x[:, i] * W[i, j], i.e. z = x @ W + b (not x @ W.T)")
    if _same(z, x @ W):
        fail(ex, "you forgot the bias: z = x @ W + b, with b added to every row")
    check_close(ex, "my_dense(x, W, b)", z, x @ W + b, at="x (4, 3), W (3, 3)",
                hint="z = x @ W + b")

    # A layer that changes the width: (5, 3) @ (3, 2) + (2,) -> (5, 2).
    x = rng.normal(size=(5, 3))
    W = rng.normal(size=(3, 2))
    b = rng.normal(size=2)
    z = call(ex, my_dense, x, W, b)
    z = check_shape(ex, "my_dense(x, W, b) for x (5, 3), W (3, 2), b (2,)", z, (5, 2))
    check_close(ex, "my_dense(x, W, b)", z, x @ W + b, at="x (5, 3), W (3, 2)")

    # One sample is a batch of one row; a zero input must give exactly the bias.
    x1 = np.zeros((1, 3))
    z = check_shape(ex, "my_dense(zeros(1, 3), W, b)", call(ex, my_dense, x1, W, b), (1, 2))
    check_close(ex, "my_dense(zeros(1, 3), W, b)", z, b[None, :], at="x = 0",
                hint="with x = 0 the output is the bias b")
    return passed(ex, "z = x @ W + b for square, rectangular and one-row inputs")


def _reference_param_count(sizes) -> int:
    return int(sum(d_in * d_out + d_out for d_in, d_out in zip(sizes[:-1], sizes[1:])))


def check_param_count(my_param_count: Callable) -> bool:
    """Check ``my_param_count(sizes)`` against ``Σ_l (d_{l-1}·d_l + d_l)``.

    Book: chapter 1, Exercises (counting parameters). Recognizes forgotten biases, biases
    given to the input layer, and counting neurons instead of weights.
    """
    ex = "ex-ch01-param-count-code"
    cases = [[2, 3], [2, 3, 1], [4, 8, 8, 3], [784, 128, 64, 10], [1, 1]]
    for sizes in cases:
        got = call(ex, my_param_count, list(sizes))
        try:
            got_int = int(got)
        except (TypeError, ValueError):
            fail(ex, f"my_param_count({sizes}) returned {got!r}, expected an integer")
        if got_int != got:
            fail(ex, f"my_param_count({sizes}) returned {got!r}, expected a whole number")
        expected = _reference_param_count(sizes)
        if got_int == expected:
            continue
        weights_only = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        where = f"my_param_count({sizes}) is {got_int}, expected {expected}"
        if got_int == weights_only:
            fail(ex, f"{where}: you forgot the biases (one per neuron of every non-input layer)")
        if got_int == weights_only + sum(sizes):
            fail(ex, f"{where}: the input layer has no bias; only layers 1..L have one "
                     "bias per neuron")
        if got_int == sum(sizes):
            fail(ex, f"{where}: that is the number of neurons; count the weights W "
                     "(d_in * d_out per layer) and the biases")
        if got_int == sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:])):
            fail(ex, f"{where}: a layer has one bias per OUTPUT neuron (d_out), not per input")
        fail(ex, where)
    return passed(ex, "sum over layers of d_in * d_out + d_out")
