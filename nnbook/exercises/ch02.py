"""Checks for the exercises of chapter 2, Activation functions.

Book: chapter 2, Exercises.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..activations import relu, relu_grad, sigmoid, sigmoid_grad, tanh
from ._check import call, check_close, check_shape, fail, passed
from ._check import matches as _matches

__all__ = ["check_sigmoid_grad", "check_relu_grad", "check_tanh_from_sigmoid"]

# Points on both sides of 0, including where sigma saturates.
_POINTS = np.array([-30.0, -5.0, -2.0, -0.5, 0.0, 0.5, 2.0, 5.0, 30.0])


def _answer(ex: str, fn: Callable, x: np.ndarray, name: str) -> np.ndarray:
    got = check_shape(ex, f"{name}(x) for x of shape {x.shape}", call(ex, fn, x.copy()), x.shape)
    return np.asarray(got, dtype=float)


def check_sigmoid_grad(my_sigmoid_grad: Callable) -> bool:
    """Check ``my_sigmoid_grad(x)`` against ``σ'(x) = σ(x)(1 − σ(x))``, elementwise.

    Book: chapter 2, Exercises. Recognizes ``σ(1 + σ)``, ``x(1 − x)`` (the formula applied
    to ``x`` instead of ``σ(x)``), ``σ(x)`` itself, and overflow to nan for large ``|x|``.
    """
    ex = "ex-ch02-sigmoid-grad"
    x = _POINTS
    got = _answer(ex, my_sigmoid_grad, x, "my_sigmoid_grad")
    s = sigmoid(x)
    if _matches(got, s * (1 + s)):
        fail(ex, "that is σ(1 + σ); the derivative is σ(x)(1 − σ(x)), at most 1/4 at x = 0")
    if _matches(got, x * (1 - x)):
        fail(ex, "you applied s(1 − s) to x itself; it must be applied to s = σ(x)")
    if _matches(got, s):
        fail(ex, "that is σ(x); the exercise asks for its derivative σ'(x) = σ(x)(1 − σ(x))")
    check_close(ex, "my_sigmoid_grad(x)", got, sigmoid_grad(x), at=f"x = {x.tolist()}",
                hint="σ'(x) = σ(x)(1 − σ(x)); σ'(0) = 1/4")

    grid = np.linspace(-4.0, 4.0, 12).reshape(3, 4)
    got = _answer(ex, my_sigmoid_grad, grid, "my_sigmoid_grad")
    check_close(ex, "my_sigmoid_grad(x)", got, sigmoid_grad(grid), at="a (3, 4) array x",
                hint="work elementwise on any shape")

    far = np.array([-800.0, 800.0])
    with np.errstate(all="ignore"):  # a naive formula may overflow; we only judge the result
        got = _answer(ex, my_sigmoid_grad, far, "my_sigmoid_grad")
    if not np.all(np.isfinite(got)):
        fail(ex, "my_sigmoid_grad([-800, 800]) is not finite: e^{-x} overflows there. "
                 "Compute s = σ(x) with a stable sigmoid (e.g. nnbook.sigmoid) and return s(1 − s)")
    check_close(ex, "my_sigmoid_grad([-800, 800])", got, np.zeros(2), at="|x| = 800",
                atol=1e-12, hint="σ saturates: its derivative is 0 to machine precision")
    return passed(ex, "σ'(x) = σ(x)(1 − σ(x)), finite for any finite x")


def check_relu_grad(my_relu_grad: Callable) -> bool:
    """Check ``my_relu_grad(x)`` against ``ReLU'(x) = 1 if x > 0 else 0``, with ``ReLU'(0) = 0``.

    Book: chapter 2, Exercises. Recognizes ``ReLU'(0) = 1`` (or 1/2), ``ReLU(x)`` itself
    and a reversed step.
    """
    ex = "ex-ch02-relu-grad"
    x = np.array([-3.0, -1e-3, 0.0, 1e-3, 3.0])
    got = _answer(ex, my_relu_grad, x, "my_relu_grad")
    if _matches(got, relu(x)):
        fail(ex, "that is ReLU(x) = max(0, x); the exercise asks for its derivative")
    if _matches(got, (x < 0).astype(float)) or _matches(got, (x <= 0).astype(float)):
        fail(ex, "the step is reversed: ReLU'(x) is 1 for x > 0 and 0 for x < 0")
    at_zero = got[2]
    if at_zero != 0.0 and _matches(np.delete(got, 2), np.delete(relu_grad(x), 2)):
        fail(ex, f"my_relu_grad(0) is {at_zero:g}; ReLU has no derivative at 0, and this book "
                 "(like nnbook.relu_grad) uses the convention ReLU'(0) = 0: use x > 0, not x >= 0")
    check_close(ex, "my_relu_grad(x)", got, relu_grad(x), at=f"x = {x.tolist()}",
                hint="1 where x > 0, 0 where x <= 0")

    grid = np.array([[-2.0, 0.0, 2.0], [0.5, -0.5, 0.0]])
    got = _answer(ex, my_relu_grad, grid, "my_relu_grad")
    check_close(ex, "my_relu_grad(x)", got, relu_grad(grid), at="a (2, 3) array x",
                hint="work elementwise on any shape")
    return passed(ex, "ReLU'(x) = 1 for x > 0, 0 for x <= 0 (book convention ReLU'(0) = 0)")


def check_tanh_from_sigmoid(my_tanh: Callable) -> bool:
    """Check ``my_tanh(x)`` against ``tanh(x) = 2σ(2x) − 1``, elementwise.

    Book: chapter 2, Exercises. Recognizes ``2σ(x) − 1`` (which is ``tanh(x/2)``) and a
    sign error.
    """
    ex = "ex-ch02-tanh-from-sigmoid"
    x = _POINTS
    got = _answer(ex, my_tanh, x, "my_tanh")
    if _matches(got, 2 * sigmoid(x) - 1):
        fail(ex, "2σ(x) − 1 equals tanh(x/2), not tanh(x): the argument of σ must be 2x")
    if _matches(got, -tanh(x)) or _matches(got, 1 - 2 * sigmoid(2 * x)):
        fail(ex, "the sign is reversed: tanh is increasing, tanh(2) > 0")
    check_close(ex, "my_tanh(x)", got, tanh(x), at=f"x = {x.tolist()}",
                hint="tanh(x) = 2σ(2x) − 1")
    with np.errstate(all="ignore"):
        got = _answer(ex, my_tanh, np.array([-800.0, 800.0]), "my_tanh")
    check_close(ex, "my_tanh([-800, 800])", got, np.array([-1.0, 1.0]), at="|x| = 800",
                hint="tanh saturates at ±1; use a stable σ")
    return passed(ex, "tanh(x) = 2σ(2x) − 1")
