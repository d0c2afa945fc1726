"""Gradient descent: w ← w − η ∇J(w), applied to a dict of parameters.

Book: chapter 3, Gradient descent.
"""
from __future__ import annotations

from typing import Mapping, MutableMapping

import numpy as np

from ._validate import check_nonnegative, check_unit_interval

__all__ = ["sgd_step", "momentum_step"]


def _check_keys(params: Mapping, grads: Mapping) -> None:
    if set(params) != set(grads):
        missing = sorted(set(params) - set(grads))
        extra = sorted(set(grads) - set(params))
        raise ValueError(
            f"grads must have the same keys as params: missing {missing}, unexpected {extra}"
        )
    for key in params:
        if not isinstance(params[key], np.ndarray) or params[key].dtype.kind != "f":
            raise ValueError(
                f"params[{key!r}] must be a floating-point numpy array (it is updated in place)"
            )
        if np.shape(grads[key]) != np.shape(params[key]):
            raise ValueError(
                f"grads[{key!r}] must have the shape of params[{key!r}] "
                f"{np.shape(params[key])}, got {np.shape(grads[key])}"
            )


def sgd_step(
    params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray], lr: float
) -> None:
    r"""w ← w − η ∇J(w), for every array in ``params``, in place.

    Parameters
    ----------
    params : dict of str -> ndarray (float)
        The parameters θ; each array is updated in place.
    grads : dict of str -> ndarray
        ∇J, same keys and shapes as ``params``.
    lr : float >= 0
        The learning rate η.

    Notes
    -----
    Book: chapter 3, Gradient descent.
    """
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    _check_keys(params, grads)
    _sgd_update(params, grads, lr)


def _sgd_update(
    params: MutableMapping[str, np.ndarray], grads: Mapping[str, np.ndarray], lr: float
) -> None:
    """The update of :func:`sgd_step` without its checks (for ``train``, which checks once)."""
    for key, w in params.items():
        w -= lr * grads[key]


# ---------------------------------------------------------- an optional variant
def momentum_step(
    params: MutableMapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    velocity: MutableMapping[str, np.ndarray],
    lr: float,
    beta: float = 0.9,
) -> None:
    r"""Gradient descent with momentum: v ← β v − η ∇J(w), then w ← w + v, in place.

    ``velocity`` is a dict updated in place; pass an empty dict on the first step (it
    starts at zero). With ``beta = 0`` this is exactly :func:`sgd_step`.

    Parameters
    ----------
    params, grads, lr
        As in :func:`sgd_step`.
    velocity : dict of str -> ndarray
        The running velocity v, keyed like ``params``.
    beta : float in [0, 1)
        How much of the previous velocity is kept.

    Notes
    -----
    Book: chapter 3, Gradient descent (beyond plain gradient descent).
    """
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    _check_keys(params, grads)
    # a Python float: a NumPy float64 would turn float32 velocities into float64
    beta = check_unit_interval(beta, "beta (the momentum)")
    for key, w in params.items():
        v = velocity.get(key)
        if v is None:
            v = np.zeros_like(w)
        elif np.shape(v) != np.shape(w):
            raise ValueError(f"velocity[{key!r}] must have shape {np.shape(w)}, got {np.shape(v)}")
        v = beta * v - lr * grads[key]
        velocity[key] = v
        w += v
