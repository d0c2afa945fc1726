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


def _answer(ex: str, fn: Callable, z: np.ndarray, name: str) -> np.ndarray:
    got = check_shape(ex, f"{name}(z) for z of shape {z.shape}", call(ex, fn, z.copy()), z.shape)
    return np.asarray(got, dtype=float)


def check_sigmoid_grad(my_sigmoid_grad: Callable) -> bool:
    """Check ``my_sigmoid_grad(z)`` against ``σ'(z) = σ(z)(1 − σ(z))``, elementwise.

    Book: chapter 2, Exercises. Recognizes ``σ(1 + σ)``, ``z(1 − z)`` (the formula applied
    to ``z`` instead of ``σ(z)``), ``σ(z)`` itself, and overflow to nan for large ``|z|``.
    """
    ex = "ex-ch02-sigmoid-grad"
    z = _POINTS
    got = _answer(ex, my_sigmoid_grad, z, "my_sigmoid_grad")
    s = sigmoid(z)
    if _matches(got, s * (1 + s)):
        fail(ex, "that is σ(1 + σ); the derivative is σ(z)(1 − σ(z)), at most 1/4 at z = 0")
    if _matches(got, z * (1 - z)):
        fail(ex, "you applied s(1 − s) to z itself; it must be applied to s = σ(z)")
    if _matches(got, s):
        fail(ex, "that is σ(z); the exercise asks for its derivative σ'(z) = σ(z)(1 − σ(z))")
    check_close(ex, "my_sigmoid_grad(z)", got, sigmoid_grad(z), at=f"z = {z.tolist()}",
                hint="σ'(z) = σ(z)(1 − σ(z)); σ'(0) = 1/4")

    grid = np.linspace(-4.0, 4.0, 12).reshape(3, 4)
    got = _answer(ex, my_sigmoid_grad, grid, "my_sigmoid_grad")
    check_close(ex, "my_sigmoid_grad(z)", got, sigmoid_grad(grid), at="a (3, 4) array z",
                hint="work elementwise on any shape")

    far = np.array([-800.0, 800.0])
    with np.errstate(all="ignore"):  # a naive formula may overflow; we only judge the result
        got = _answer(ex, my_sigmoid_grad, far, "my_sigmoid_grad")
    if not np.all(np.isfinite(got)):
        fail(ex, "my_sigmoid_grad([-800, 800]) is not finite: e^{-z} overflows there. "
                 "Compute s = σ(z) with a stable sigmoid (e.g. nnbook.sigmoid) and return s(1 − s)")
    check_close(ex, "my_sigmoid_grad([-800, 800])", got, np.zeros(2), at="|z| = 800",
                atol=1e-12, hint="σ saturates: its derivative is 0 to machine precision")
    return passed(ex, "σ'(z) = σ(z)(1 − σ(z)), finite for any finite z")


def check_relu_grad(my_relu_grad: Callable) -> bool:
    """Check ``my_relu_grad(z)`` against ``ReLU'(z) = 1 if z > 0 else 0``, with ``ReLU'(0) = 0``.

    Book: chapter 2, Exercises. Recognizes ``ReLU'(0) = 1`` (or 1/2), ``ReLU(z)`` itself
    and a reversed step.
    """
    ex = "ex-ch02-relu-grad"
    z = np.array([-3.0, -1e-3, 0.0, 1e-3, 3.0])
    got = _answer(ex, my_relu_grad, z, "my_relu_grad")
    if _matches(got, relu(z)):
        fail(ex, "that is ReLU(z) = max(0, z); the exercise asks for its derivative")
    if _matches(got, (z < 0).astype(float)) or _matches(got, (z <= 0).astype(float)):
        fail(ex, "the step is reversed: ReLU'(z) is 1 for z > 0 and 0 for z < 0")
    at_zero = got[2]
    if at_zero != 0.0 and _matches(np.delete(got, 2), np.delete(relu_grad(z), 2)):
        fail(ex, f"my_relu_grad(0) is {at_zero:g}; ReLU has no derivative at 0, and this book "
                 "(like nnbook.relu_grad) uses the convention ReLU'(0) = 0: use z > 0, not z >= 0")
    check_close(ex, "my_relu_grad(z)", got, relu_grad(z), at=f"z = {z.tolist()}",
                hint="1 where z > 0, 0 where z <= 0")

    grid = np.array([[-2.0, 0.0, 2.0], [0.5, -0.5, 0.0]])
    got = _answer(ex, my_relu_grad, grid, "my_relu_grad")
    check_close(ex, "my_relu_grad(z)", got, relu_grad(grid), at="a (2, 3) array z",
                hint="work elementwise on any shape")
    return passed(ex, "ReLU'(z) = 1 for z > 0, 0 for z <= 0 (book convention ReLU'(0) = 0)")


def check_tanh_from_sigmoid(my_tanh: Callable) -> bool:
    """Check ``my_tanh(z)`` against ``tanh(z) = 2σ(2z) − 1``, elementwise.

    Book: chapter 2, Exercises. Recognizes ``2σ(z) − 1`` (which is ``tanh(z/2)``) and a
    sign error.
    """
    ex = "ex-ch02-tanh-from-sigmoid"
    z = _POINTS
    got = _answer(ex, my_tanh, z, "my_tanh")
    if _matches(got, 2 * sigmoid(z) - 1):
        fail(ex, "2σ(z) − 1 equals tanh(z/2), not tanh(z): the argument of σ must be 2z")
    if _matches(got, -tanh(z)) or _matches(got, 1 - 2 * sigmoid(2 * z)):
        fail(ex, "the sign is reversed: tanh is increasing, tanh(2) > 0")
    check_close(ex, "my_tanh(z)", got, tanh(z), at=f"z = {z.tolist()}",
                hint="tanh(z) = 2σ(2z) − 1")
    with np.errstate(all="ignore"):
        got = _answer(ex, my_tanh, np.array([-800.0, 800.0]), "my_tanh")
    check_close(ex, "my_tanh([-800, 800])", got, np.array([-1.0, 1.0]), at="|z| = 800",
                hint="tanh saturates at ±1; use a stable σ")
    return passed(ex, "tanh(z) = 2σ(2z) − 1")
