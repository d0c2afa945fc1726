"""Numerical gradients by central differences, to check every backward pass.

Book: chapter 3, Backpropagation (checking the chain rule numerically).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float, check_finite

__all__ = ["numerical_gradient", "rel_error", "check_gradient"]


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    r"""∂f/∂x_k ≈ (f(x + ε e_k) − f(x − ε e_k)) / (2ε), for every entry k of ``x``.

    The central difference has error O(ε²), against O(ε) for a one-sided difference.

    Parameters
    ----------
    f : callable
        Maps the array ``x`` to a scalar. It is called with ``x`` itself, which is
        perturbed *in place* (one entry at a time) and restored afterwards, so ``f`` may
        also read ``x`` through a closure (e.g. ``lambda _: loss(X, W)`` with ``x = W``).
    x : ndarray of float, any shape
        The point; use float64 (in float32 the rounding error swamps the ε² term).
    eps : float > 0
        The step ε.

    Returns
    -------
    ndarray of float64, same shape as ``x``.

    Notes
    -----
    A Python loop over the entries is fine here: this is a test utility (2 calls of ``f``
    per entry), never used for training. For an array-valued function g with upstream
    gradient ``dout``, check ``f = lambda x: np.sum(g(x) * dout)``.
    Book: chapter 3, Backpropagation (gradient checking).
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(
            f"x must be a floating-point numpy array (it is perturbed in place), got {type(x).__name__}"
            + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
        )
    check_finite(x, "x")
    if not (isinstance(eps, (int, float, np.integer, np.floating)) and 0 < eps < np.inf):
        raise ValueError(f"eps must be > 0 and finite, got {eps!r}")

    def scalar(value) -> float:
        value = np.asarray(value)
        if value.size != 1:
            raise ValueError(f"f must return a scalar, got an array of shape {value.shape}")
        value = float(value.reshape(()))
        if not np.isfinite(value):
            raise ValueError(f"f must return a finite value, got {value} (at x ± eps)")
        return value

    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        try:
            x[idx] = old + eps
            f_plus = scalar(f(x))
            x[idx] = old - eps
            f_minus = scalar(f(x))
        finally:
            x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a: ArrayLike, b: ArrayLike) -> float:
    r"""‖a − b‖ / max(‖a‖ + ‖b‖, tiny): norm-relative error, in [0, 1].

    0 means equal; it is 0 (not nan) when both are zero. Shapes of ``a`` and ``b`` must
    match. Book: chapter 3, Backpropagation (gradient checking).
    """
    a = as_float(a, "a").astype(np.float64, copy=False)
    b = as_float(b, "b").astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got a {a.shape} and b {b.shape}")
    denom = max(np.linalg.norm(a) + np.linalg.norm(b), np.finfo(np.float64).tiny)
    return float(np.linalg.norm(a - b) / denom)


def check_gradient(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    analytic: ArrayLike,
    tol: float | None = None,
    eps: float = 1e-6,
) -> float:
    r"""rel_error(analytic, numerical_gradient(f, x, eps)): how far a backward pass is off.

    Parameters
    ----------
    f, x, eps
        As in :func:`numerical_gradient`.
    analytic : array_like, same shape as ``x``
        The gradient computed by the backward pass.
    tol : float or None
        If given, raise ``AssertionError`` when the error exceeds it.

    Returns
    -------
    float
        The norm-relative error (≈1e-9 or smaller for a correct float64 gradient).

    Notes
    -----
    Book: chapter 3, Backpropagation (gradient checking).
    """
    analytic = as_float(analytic, "analytic")
    if analytic.shape != np.shape(x):
        raise ValueError(f"analytic must have the shape of x {np.shape(x)}, got {analytic.shape}")
    error = rel_error(analytic, numerical_gradient(f, x, eps))
    if tol is not None and error > tol:
        raise AssertionError(f"gradient check failed: relative error {error:.3e} > tol {tol:.1e}")
    return error
