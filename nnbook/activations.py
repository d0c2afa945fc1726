"""Activation functions and their derivatives (book: chapter 2, Activation functions).

Every activation ``f`` comes with ``f_grad``, its derivative with respect to the input,
evaluated at the same ``x``: ``f_grad(x) = f'(x)``. All functions work elementwise on arrays
of any shape, keep a floating dtype (float32 stays float32; integers become float64) and are
finite for every finite input. Being elementwise, they follow IEEE arithmetic like NumPy's own
functions, rather than refuse non-finite entries: a NaN entry gives NaN (in the derivatives
too), and ±inf give the limits (σ(∞) = 1, σ'(∞) = 0, ReLU'(∞) = 1). The layers and losses that
call them reject non-finite data at their own boundary.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float as _as_float

__all__ = [
    "sigmoid",
    "relu",
    "tanh",
    "linear",
    "sigmoid_grad",
    "relu_grad",
    "tanh_grad",
    "linear_grad",
    "get_activation",
    "ACTIVATIONS",
]


def sigmoid(x: ArrayLike) -> np.ndarray:
    r"""σ(x) = 1 / (1 + e^{-x}), elementwise; output in (0, 1) (rounds to 0 or 1 far out).

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and floating dtype as ``x``.

    Notes
    -----
    Book: chapter 2, Sigmoid. Computed stably: only ``exp(-|x|)`` is ever evaluated, which
    cannot overflow, using σ(x) = e^{x} / (1 + e^{x}) for negative x.
    """
    x = _as_float(x, finite=False)
    e = np.exp(-np.abs(x))  # in (0, 1]: no overflow for any x
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)[()]


def sigmoid_grad(x: ArrayLike) -> np.ndarray:
    r"""σ'(x) = σ(x) (1 − σ(x)), elementwise; at most 1/4, reached at x = 0.

    Shapes: same as ``x``. Book: chapter 2, Sigmoid (and chapter 5, Vanishing gradients).
    """
    s = sigmoid(x)
    return s * (1 - s)


def relu(x: ArrayLike) -> np.ndarray:
    r"""f(x) = max(0, x), elementwise.

    Shapes: same as ``x``. Book: chapter 2, ReLU.
    """
    x = _as_float(x, finite=False)
    return np.maximum(x, 0)[()]


def relu_grad(x: ArrayLike) -> np.ndarray:
    r"""f'(x) = 1 if x > 0 else 0, elementwise.

    ReLU has no derivative at 0; like deep-learning libraries we use the subgradient 0
    there, so ``relu_grad(0) == 0``.

    Shapes: same as ``x``. Book: chapter 2, ReLU.
    """
    x = _as_float(x, finite=False)
    grad = (x > 0).astype(x.dtype)
    return (grad if np.isfinite(x).all() else np.where(np.isnan(x), x, grad))[()]


def tanh(x: ArrayLike) -> np.ndarray:
    r"""tanh(x) = (e^{x} − e^{−x}) / (e^{x} + e^{−x}) = 2σ(2x) − 1, elementwise, in (−1, 1).

    Shapes: same as ``x``. Book: chapter 2, Tanh. (``np.tanh`` is already stable.)
    """
    x = _as_float(x, finite=False)
    return np.tanh(x)[()]


def tanh_grad(x: ArrayLike) -> np.ndarray:
    r"""tanh'(x) = 1 − tanh²(x), elementwise; at most 1, reached at x = 0.

    Shapes: same as ``x``. Book: chapter 2, Tanh.
    """
    t = tanh(x)
    return 1 - t * t


def linear(x: ArrayLike) -> np.ndarray:
    r"""f(x) = x (the identity, "no activation").

    Shapes: same as ``x``. Book: chapter 1, Structure of a network (output layers).
    """
    return _as_float(x, finite=False).copy()[()]


def linear_grad(x: ArrayLike) -> np.ndarray:
    r"""f'(x) = 1, elementwise.

    Shapes: same as ``x``. Book: chapter 1, Structure of a network.
    """
    x = _as_float(x, finite=False)
    return np.where(np.isnan(x), x, np.ones_like(x))[()]


ActivationPair = tuple[Callable[[ArrayLike], np.ndarray], Callable[[ArrayLike], np.ndarray]]

#: Name -> (f, f_grad). "identity" is an alias of "linear".
ACTIVATIONS: dict[str, ActivationPair] = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "relu": (relu, relu_grad),
    "tanh": (tanh, tanh_grad),
    "linear": (linear, linear_grad),
    "identity": (linear, linear_grad),
}


def get_activation(name: str) -> ActivationPair:
    """Look up an activation by name: returns ``(f, f_grad)``.

    Parameters
    ----------
    name : {"sigmoid", "relu", "tanh", "linear", "identity"}

    Raises
    ------
    ValueError
        If ``name`` is not one of these names.

    Notes
    -----
    Book: chapter 2, Activation functions.
    """
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation name {name!r}: expected one of {sorted(ACTIVATIONS)}"
        )
    return ACTIVATIONS[name]
