"""Layer normalization: each row normalized over its own features, y = γ x̂ + β.

Book: chapter 11, Layer normalization against batch normalization.

Batch norm (chapter 5, :func:`nnbook.layers.batchnorm_forward`) takes the mean and variance of
each feature over the batch (axis 0); layer norm takes them over the features of each example
(the last axis), so an example's output does not depend on the other examples in its batch and
the same code runs on any leading shape, e.g. (N, T, d) sequences.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float, check_positive

__all__ = ["layernorm_forward", "layernorm_backward"]


def layernorm_forward(
    x: ArrayLike, gamma: ArrayLike, beta: ArrayLike, eps: float = 1e-5
) -> tuple[np.ndarray, dict[str, Any]]:
    r"""y = γ ⊙ (x − μ)/√(σ² + ε) + β, with μ, σ² the mean and biased variance of each row.

    Parameters
    ----------
    x : array, shape (..., d)
        Any leading axes (an (n, d) batch, or (N, T, d) sequences); the statistics are taken
        over the last axis only (torch's ``layer_norm`` with ``normalized_shape = (d,)``).
    gamma, beta : array, shape (d,)
        Scale γ and shift β, one per feature.
    eps : float > 0

    Returns
    -------
    out : ndarray, same shape and floating dtype as ``x``
    cache : dict for :func:`layernorm_backward` (``x_hat``, ``inv_std``, ``gamma``)

    Notes
    -----
    Book: chapter 11, Layer normalization against batch normalization.
    """
    x = as_float(x, "x")
    if x.ndim < 1 or x.shape[-1] < 1:
        raise ValueError(f"x must have shape (..., d) with d >= 1, got {x.shape}")
    d = x.shape[-1]
    gamma, beta = as_float(gamma, "gamma"), as_float(beta, "beta")
    for name, arr in (("gamma", gamma), ("beta", beta)):
        if arr.shape != (d,):
            raise ValueError(f"{name} must have shape (d,) = ({d},), one entry per feature, "
                             f"got {arr.shape}")
    eps = check_positive(eps, "eps")
    dtype = x.dtype
    gamma, beta = gamma.astype(dtype, copy=False), beta.astype(dtype, copy=False)
    mu = x.mean(axis=-1, keepdims=True)
    centred = x - mu
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + dtype.type(eps))
    x_hat = centred * inv_std
    out = gamma * x_hat + beta
    return out, {"x_hat": x_hat, "inv_std": inv_std, "gamma": gamma}


def layernorm_backward(
    dout: ArrayLike, cache: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""∂J/∂x = (γ⊙g − mean(γ⊙g) − x̂ ⊙ mean(γ⊙g ⊙ x̂)) / √(σ² + ε) per row, g = ∂J/∂y.

    The same formula as batch norm's backward pass (chapter 5) with the mean taken over the
    features of a row instead of over the batch. ``dgamma = Σ g ⊙ x̂`` and ``dbeta = Σ g``
    are summed over every leading axis.

    Returns
    -------
    dx : same shape as x;  dgamma, dbeta : shape (d,)

    Notes
    -----
    Book: chapter 11, Layer normalization against batch normalization.
    """
    x_hat, inv_std, gamma = cache["x_hat"], cache["inv_std"], cache["gamma"]
    dout = as_float(dout, "dout")
    if dout.shape != x_hat.shape:
        raise ValueError(f"dout must have the shape of the output {x_hat.shape}, got {dout.shape}")
    dout = dout.astype(x_hat.dtype, copy=False)
    axes = tuple(range(dout.ndim - 1))
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * x_hat).sum(axis=axes)
    g = dout * gamma
    dx = (g - g.mean(axis=-1, keepdims=True)
          - x_hat * np.mean(g * x_hat, axis=-1, keepdims=True)) * inv_std
    return dx, dgamma, dbeta
