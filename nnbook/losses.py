"""Loss functions J(θ) and their gradients with respect to the predictions.

Book: chapter 3, Backpropagation (error calculation). Every loss is a mean over the batch
and returns a Python ``float``; every ``*_grad`` returns dJ/d(its first argument), with the
shape and floating dtype of that argument. The cross-entropies take *logits* (scores before
softmax/sigmoid) and are computed in a fused, stable way, so they stay finite for any finite
input (``|logits|`` of 1e4 included, float32 and float64).
"""
from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float as _as_float
from ._validate import int_labels
from .activations import sigmoid

__all__ = [
    "mse",
    "mse_grad",
    "softmax",
    "log_softmax",
    "cross_entropy",
    "cross_entropy_grad",
    "cross_entropy_with_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
]


# ---------------------------------------------------------------- validation helpers
def _match_targets(y_hat: np.ndarray, y: np.ndarray, name: str = "y") -> np.ndarray:
    """Return ``y`` with the shape of ``y_hat``; a column (n, 1) and a vector (n,) match."""
    if y.shape == y_hat.shape:
        return y
    column_vs_vector = (
        y.size == y_hat.size
        and y.ndim in (1, 2)
        and y_hat.ndim in (1, 2)
        and y.shape[0] == y_hat.shape[0]
        and y.size == y.shape[0]
    )
    if column_vs_vector:
        return y.reshape(y_hat.shape)
    raise ValueError(
        f"{name} must have the same shape as the predictions y_hat {y_hat.shape}, got {y.shape}"
    )


def _check_logits_2d(logits: np.ndarray) -> None:
    if logits.ndim != 2 or logits.shape[0] == 0 or logits.shape[1] == 0:
        raise ValueError(
            f"logits must be a non-empty 2-D array (n samples, K classes), got shape {logits.shape}"
        )
    if not np.isfinite(logits).all():
        raise ValueError("logits must be finite (no inf or nan)")


def _int_labels(labels: ArrayLike, n: int, k: int) -> np.ndarray:
    """Validate class labels: n integers in [0, k) (see ``_validate.int_labels``)."""
    return int_labels(labels, "labels", n=n, k=k)


# ---------------------------------------------------------------------------- MSE
def mse(y_hat: ArrayLike, y: ArrayLike) -> float:
    r"""J = (1/n) Σ_i (y_i − ŷ_i)², the mean over *all* elements.

    Parameters
    ----------
    y_hat : array_like, shape (n,) or (n, d)
        Predictions ŷ.
    y : array_like, same shape as ``y_hat`` (a vector (n,) also matches a column (n, 1))
        True values.

    Returns
    -------
    float

    Notes
    -----
    Book: chapter 3, Error calculation (mean squared error).
    """
    y_hat = _as_float(y_hat, "y_hat")
    if y_hat.size == 0:
        raise ValueError(f"y_hat must not be empty, got shape {y_hat.shape}")
    y = _match_targets(y_hat, _as_float(y, "y"))
    return float(np.mean((y - y_hat) ** 2))


def mse_grad(y_hat: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""dJ/dŷ = 2 (ŷ − y) / N for J = mse(ŷ, y), N = number of elements of ŷ.

    Shapes: returns the shape of ``y_hat``. Book: chapter 3, Backpropagation (∂J/∂ŷ).
    """
    y_hat = _as_float(y_hat, "y_hat")
    if y_hat.size == 0:
        raise ValueError(f"y_hat must not be empty, got shape {y_hat.shape}")
    y = _match_targets(y_hat, _as_float(y, "y"))
    return (2 * (y_hat - y) / y_hat.size).astype(y_hat.dtype, copy=False)


# ------------------------------------------------------------------------ softmax
def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""softmax(z)_k = e^{z_k} / Σ_j e^{z_j} along ``axis``.

    Stable: computed as e^{z_k − max z} / Σ_j e^{z_j − max z} (same value, no overflow).

    Shapes: same as ``z``; entries in [0, 1] summing to 1 along ``axis``.
    Book: chapter 3, Cross-entropy.
    """
    z = _as_float(z, "z")
    if z.size == 0:
        raise ValueError(f"z must not be empty, got shape {z.shape}")
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""log softmax(z)_k = z_k − log Σ_j e^{z_j}, via log-sum-exp (stable).

    Shapes: same as ``z``; entries ≤ 0. Book: chapter 3, Cross-entropy.
    """
    z = _as_float(z, "z")
    if z.size == 0:
        raise ValueError(f"z must not be empty, got shape {z.shape}")
    return _log_softmax(z, axis)


def _log_softmax(z: np.ndarray, axis: int) -> np.ndarray:
    """:func:`log_softmax` of a checked, finite, non-empty float array."""
    shifted = z - z.max(axis=axis, keepdims=True)
    # The sum is ≥ 1 (the max term is e^0), so the log is always finite.
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


# ------------------------------------------------------------------ cross-entropy
def cross_entropy(logits: ArrayLike, labels: ArrayLike) -> float:
    r"""J = −(1/n) Σ_i log softmax(z_i)_{y_i}, for integer class labels y_i.

    Softmax and log are fused (log-sum-exp), so J is finite for any finite logits.

    Parameters
    ----------
    logits : array_like, shape (n, K)
        Scores z before the softmax, one row per sample.
    labels : array_like of int, shape (n,) or (n, 1)
        Class indices in [0, K).

    Returns
    -------
    float, ≥ 0.

    Notes
    -----
    Book: chapter 3, Error calculation (cross-entropy).
    """
    logits = _as_float(logits, "logits")
    _check_logits_2d(logits)
    n, k = logits.shape
    labels = _int_labels(labels, n, k)
    logp = _log_softmax(logits, axis=1)
    return float(-np.mean(logp[np.arange(n), labels]))


def cross_entropy_grad(logits: ArrayLike, labels: ArrayLike) -> np.ndarray:
    r"""dJ/dz = (softmax(z) − onehot(y)) / n for J = cross_entropy(z, y).

    Shapes: ``logits`` (n, K), ``labels`` (n,) -> (n, K). Book: chapter 3, Backpropagation.
    """
    logits = _as_float(logits, "logits")
    _check_logits_2d(logits)
    n, k = logits.shape
    labels = _int_labels(labels, n, k)
    grad = np.exp(_log_softmax(logits, axis=1))
    grad[np.arange(n), labels] -= 1
    return grad / n


def cross_entropy_with_grad(logits: ArrayLike, labels: ArrayLike) -> tuple[float, np.ndarray]:
    r"""J = cross_entropy(z, y) and dJ/dz = (softmax(z) − onehot(y)) / n, from one log-softmax.

    The fast path for training: the same two results as :func:`cross_entropy` and
    :func:`cross_entropy_grad`, but the inputs are checked once and the softmax is computed
    once, as softmax(z) = exp(log softmax(z)). The two formula versions stay the reference
    (the tests check that all three agree).

    Parameters
    ----------
    logits : array_like, shape (n, K)
    labels : array_like of int, shape (n,) or (n, 1)
        Class indices in [0, K).

    Returns
    -------
    loss : float
    dlogits : ndarray, shape (n, K), the dtype of ``logits``

    Notes
    -----
    Book: chapter 3, Backpropagation.
    """
    logits = _as_float(logits, "logits")
    _check_logits_2d(logits)
    n, k = logits.shape
    return _cross_entropy_with_grad(logits, _int_labels(labels, n, k))


def _cross_entropy_with_grad(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """:func:`cross_entropy_with_grad` without checking its inputs (for callers that did)."""
    n = logits.shape[0]
    rows = np.arange(n)
    logp = _log_softmax(logits, axis=1)
    loss = -float(logp[rows, labels].sum() / n)  # J = −(1/n) Σ_i log softmax(z_i)_{y_i}
    grad = np.exp(logp, out=logp)  # softmax(z) ...
    grad[rows, labels] -= 1  # ... − onehot(y)
    grad /= n
    return loss, grad


# ----------------------------------------------------------- binary cross-entropy
def _check_binary(logits: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    logits = _as_float(logits, "logits")
    if not (logits.ndim == 1 or (logits.ndim == 2 and logits.shape[1] == 1)) or logits.size == 0:
        raise ValueError(
            f"logits must have shape (n,) or (n, 1) (one sigmoid output), got {logits.shape}"
        )
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite (no inf or nan)")
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":  # real numbers or booleans
        raise ValueError(f"y must be numeric targets in [0, 1], got dtype {y.dtype}")
    y = y.astype(logits.dtype)
    if y.ndim not in (1, 2) or y.size != logits.size or y.shape[0] != logits.shape[0]:
        raise ValueError(f"y must have shape (n,) or (n, 1) with n = {logits.shape[0]}, got {y.shape}")
    y = y.reshape(logits.shape)
    if np.any((y < 0) | (y > 1)) or not np.all(np.isfinite(y)):
        raise ValueError("y must hold targets in [0, 1] (class labels 0 and 1)")
    return logits, y


def binary_cross_entropy(logits: ArrayLike, y: ArrayLike) -> float:
    r"""J = −(1/n) Σ_i [y_i log σ(z_i) + (1 − y_i) log(1 − σ(z_i))], from logits z.

    Computed in the equivalent stable form J = (1/n) Σ_i [softplus(z_i) − y_i z_i], with
    softplus(z) = log(1 + e^{z}) = max(z, 0) + log(1 + e^{−|z|}).

    Parameters
    ----------
    logits : array_like, shape (n,) or (n, 1)
        Score z of the single output neuron, before the sigmoid.
    y : array_like, shape (n,) or (n, 1)
        Targets in [0, 1] (usually the labels 0 and 1).

    Returns
    -------
    float, ≥ 0.

    Notes
    -----
    Book: chapter 3, Error calculation (binary cross-entropy).
    """
    logits, y = _check_binary(logits, y)
    softplus = np.maximum(logits, 0) + np.log1p(np.exp(-np.abs(logits)))
    return float(np.mean(softplus - y * logits))


def binary_cross_entropy_grad(logits: ArrayLike, y: ArrayLike) -> np.ndarray:
    r"""dJ/dz = (σ(z) − y) / n for J = binary_cross_entropy(z, y).

    Shapes: returns the shape of ``logits``. Book: chapter 3, Backpropagation.
    """
    logits, y = _check_binary(logits, y)
    return (sigmoid(logits) - y) / logits.shape[0]
