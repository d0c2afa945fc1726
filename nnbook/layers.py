"""Layers as forward/backward pairs: dense, dropout, batch normalization, and the L2 penalty.

Every layer is a pair ``<name>_forward(...) -> (out, cache)`` and
``<name>_backward(dout, cache) -> gradients`` (in the order of the forward's inputs). Batches
are rows: ``x`` has shape (n, d). Book: chapter 3 (dense), chapter 4 (L2, dropout),
chapter 5 (batch normalization).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float as _as_float
from ._validate import check_nonnegative, check_rng, check_shape, check_unit_interval

__all__ = [
    "dense_forward",
    "dense_backward",
    "dropout_forward",
    "dropout_backward",
    "batchnorm_forward",
    "batchnorm_backward",
    "l2_penalty",
    "l2_grad",
]


# --------------------------------------------------------------------------- dense
def dense_forward(x: ArrayLike, W: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, tuple]:
    r"""z = x W + b, i.e. z_j = Σ_i x_i w_ij + b_j for every row of ``x``.

    Parameters
    ----------
    x : array_like, shape (n, d_in)
        A batch of inputs, one sample per row.
    W : array_like, shape (d_in, d_out)
        Weights; ``W[i, j]`` is w_ij, from input i to neuron j.
    b : array_like, shape (d_out,)
        Biases.

    Returns
    -------
    z : ndarray, shape (n, d_out)
    cache : tuple
        ``(x, W)``, for :func:`dense_backward`.

    Notes
    -----
    Book: chapter 1, Structure of a network, and chapter 3, Forward pass.
    """
    x, W, b = _as_float(x), _as_float(W, "W"), _as_float(b, "b")
    if x.ndim != 2:
        raise ValueError(f"x must be 2-D (n samples, d_in features), got shape {x.shape}")
    if W.ndim != 2 or W.shape[0] != x.shape[1]:
        raise ValueError(
            f"W must have shape (d_in, d_out) with d_in = {x.shape[1]} (columns of x), got {W.shape}"
        )
    check_shape(b, (W.shape[1],), "b")
    return x @ W + b, (x, W)


def dense_backward(dz: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""∂J/∂x = dz Wᵀ, ∂J/∂W = xᵀ dz (∂J/∂w_ij = Σ_samples x_i ∂J/∂z_j), ∂J/∂b = Σ_rows dz.

    Parameters
    ----------
    dz : ndarray, shape (n, d_out)
        Upstream gradient ∂J/∂z.
    cache : tuple
        From :func:`dense_forward`.

    Returns
    -------
    dx : ndarray, shape (n, d_in)
    dW : ndarray, shape (d_in, d_out)
    db : ndarray, shape (d_out,)

    Notes
    -----
    Book: chapter 3, Backpropagation (the chain rule for ∂J/∂w_ij).
    """
    x, W = cache
    dz = _as_float(dz, "dz")
    if dz.shape != (x.shape[0], W.shape[1]):
        raise ValueError(f"dz must have shape {(x.shape[0], W.shape[1])}, got {dz.shape}")
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


# ------------------------------------------------------------------------- dropout
def dropout_forward(
    x: ArrayLike,
    p: float,
    rng: np.random.Generator | None,
    train: bool = True,
) -> tuple[np.ndarray, dict[str, Any]]:
    r"""Inverted dropout: out = x ⊙ m / (1 − p), with m_k ~ Bernoulli(1 − p) kept units.

    Each unit is dropped (set to 0) with probability ``p``; the survivors are scaled by
    1/(1 − p) so that E[out] = x. At test time (``train=False``), or with ``p = 0``, the
    layer is the identity and draws nothing.

    Parameters
    ----------
    x : array_like, any shape (usually (n, d))
    p : float in [0, 1)
        Probability of *dropping* a unit.
    rng : numpy.random.Generator
        Source of the random mask; required when ``train`` is true and ``p > 0``
        (may be None otherwise).
    train : bool
        Training mode (random mask) or test mode (identity).

    Returns
    -------
    out : ndarray, same shape as ``x``
    cache : dict
        ``{"mask": m / (1 − p) or None, "p": p}``, for :func:`dropout_backward`.

    Notes
    -----
    Book: chapter 4, Dropout.
    """
    x = _as_float(x)
    check_unit_interval(p, "p (the drop probability)")
    check_rng(rng)
    if not train or p == 0:
        return x.copy(), {"mask": None, "p": float(p)}
    if rng is None:
        raise ValueError("rng must be a numpy.random.Generator in training mode with p > 0, got None")
    keep = rng.random(x.shape) >= p  # True with probability 1 - p
    mask = keep.astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, {"mask": mask, "p": float(p)}


def dropout_backward(dout: np.ndarray, cache: dict[str, Any]) -> np.ndarray:
    r"""∂J/∂x = dout ⊙ m / (1 − p), with the same mask as the forward pass.

    Shapes: same as ``dout``. Book: chapter 4, Dropout.
    """
    dout = _as_float(dout, "dout")
    mask = cache["mask"]
    if mask is None:
        return dout.copy()
    if dout.shape != mask.shape:
        raise ValueError(f"dout must have shape {mask.shape}, got {dout.shape}")
    return dout * mask


# ---------------------------------------------------------------------- batch norm
def batchnorm_forward(
    x: ArrayLike,
    gamma: ArrayLike,
    beta: ArrayLike,
    eps: float = 1e-5,
    train: bool = True,
    running: dict[str, np.ndarray] | None = None,
    momentum: float = 0.9,
) -> tuple[np.ndarray, dict[str, Any]]:
    r"""y = γ ⊙ x̂ + β with x̂ = (x − μ_B) / √(σ²_B + ε), per feature over the batch.

    In training, μ_B and σ²_B are the mean and the *biased* variance (divide by n) of the
    batch, column by column; if ``running`` is a dict it is updated in place:
    ``running[k] = momentum * running[k] + (1 - momentum) * batch_k`` for k in
    ``"mean"``, ``"var"`` (an empty dict starts from mean 0, var 1). With ``train=False``
    the layer normalizes with ``running["mean"]`` and ``running["var"]`` instead.

    Parameters
    ----------
    x : array_like, shape (n, d)
    gamma, beta : array_like, shape (d,)
        Learned scale γ and shift β.
    eps : float > 0
        Added to the variance to avoid dividing by zero.
    train : bool
        Use batch statistics (and update ``running``) or running statistics.
    running : dict or None
        Running statistics ``{"mean": (d,), "var": (d,)}``. Optional in training (None
        stores nothing); required with ``train=False``.
    momentum : float in [0, 1]
        How much of the old running statistic is kept at each update.

    Returns
    -------
    out : ndarray, shape (n, d)
    cache : dict
        For :func:`batchnorm_backward`.

    Notes
    -----
    Book: chapter 5, Batch normalization.
    """
    x, gamma, beta = _as_float(x), _as_float(gamma, "gamma"), _as_float(beta, "beta")
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"x must be a non-empty 2-D array (n samples, d features), got shape {x.shape}")
    d = x.shape[1]
    check_shape(gamma, (d,), "gamma")
    check_shape(beta, (d,), "beta")
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps!r}")
    if not 0 <= momentum <= 1:
        raise ValueError(f"momentum must be in [0, 1], got {momentum!r}")
    # Python floats, so that a NumPy float64 eps or momentum does not turn float32 into float64
    eps, momentum = float(eps), float(momentum)
    if running is not None and not isinstance(running, dict):
        raise ValueError(f"running must be a dict with keys 'mean' and 'var' (or None), got {type(running).__name__}")

    if train:
        if x.shape[0] < 2:
            raise ValueError(
                "x must have at least 2 rows in training mode: the batch variance of a single "
                "row is 0, so every output would be beta whatever x is (use train=False, with "
                "running statistics, for one row)"
            )
        mean = x.mean(axis=0)
        var = x.var(axis=0)  # biased: divides by n
        if running is not None:
            if "mean" not in running and "var" not in running:
                running["mean"], running["var"] = np.zeros(d, x.dtype), np.ones(d, x.dtype)
            _check_running(running, d)
            running["mean"] = momentum * running["mean"] + (1 - momentum) * mean
            running["var"] = momentum * running["var"] + (1 - momentum) * var
    else:
        if running is None:
            raise ValueError("running must hold the running statistics {'mean', 'var'} when train=False, got None")
        _check_running(running, d)
        # in the dtype of x, so that float32 stays float32 whatever dtype the statistics have
        mean = np.asarray(running["mean"], dtype=x.dtype)
        var = np.asarray(running["var"], dtype=x.dtype)

    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    out = gamma * x_hat + beta
    return out, {"x_hat": x_hat, "gamma": gamma, "inv_std": inv_std, "train": bool(train)}


def _check_running(running: dict, d: int) -> None:
    for key in ("mean", "var"):
        if key not in running:
            raise ValueError(f"running must have the keys 'mean' and 'var', missing {key!r}")
        check_shape(running[key], (d,), f"running[{key!r}]")


def batchnorm_backward(
    dout: np.ndarray, cache: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""∂J/∂x = (γ / (n √(σ²_B + ε))) ⊙ (n·dout − Σ_i dout_i − x̂ ⊙ Σ_i dout_i ⊙ x̂_i).

    Also ∂J/∂γ = Σ_i dout_i ⊙ x̂_i and ∂J/∂β = Σ_i dout_i (sums over the batch rows). The
    formula for ∂J/∂x accounts for μ_B and σ²_B depending on every row of the batch; for a
    cache made with ``train=False`` (fixed running statistics) it is dout ⊙ γ / √(var + ε).

    Parameters
    ----------
    dout : ndarray, shape (n, d)
    cache : dict
        From :func:`batchnorm_forward`.

    Returns
    -------
    dx : ndarray, shape (n, d)
    dgamma, dbeta : ndarray, shape (d,)

    Notes
    -----
    Book: chapter 5, Batch normalization (backward pass).
    """
    x_hat, gamma, inv_std = cache["x_hat"], cache["gamma"], cache["inv_std"]
    dout = _as_float(dout, "dout")
    if dout.shape != x_hat.shape:
        raise ValueError(f"dout must have shape {x_hat.shape}, got {dout.shape}")
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    if not cache["train"]:
        return dout * gamma * inv_std, dgamma, dbeta
    n = dout.shape[0]
    dx = (gamma * inv_std / n) * (n * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


# ------------------------------------------------------------------------------ L2
def l2_penalty(weights: Sequence[ArrayLike], lam: float) -> float:
    r"""λ Σ_j θ_j², summed over every entry of every weight array (biases are not passed).

    Parameters
    ----------
    weights : sequence of array_like
        The weight matrices to penalize, e.g. ``[W1, W2]`` (a single array is also accepted).
    lam : float >= 0
        The regularization strength λ.

    Returns
    -------
    float

    Notes
    -----
    Book: chapter 4, L2 regularization: J_reg(θ) = J(θ) + λ Σ_j θ_j².
    """
    lam = check_nonnegative(lam, "lam (the L2 strength λ)")
    if isinstance(weights, np.ndarray):
        weights = [weights]
    if isinstance(weights, (dict, str)) or not isinstance(weights, Sequence):
        raise ValueError(
            f"weights must be a list of weight arrays (biases excluded), got {type(weights).__name__}"
        )
    return float(lam * sum(np.sum(_as_float(w, "weights") ** 2) for w in weights))


def l2_grad(W: ArrayLike, lam: float) -> np.ndarray:
    r"""∂(λ Σ θ²)/∂W = 2 λ W, for one weight array.

    Shapes: same as ``W``. Book: chapter 4, L2 regularization.
    """
    lam = check_nonnegative(lam, "lam (the L2 strength λ)")
    W = _as_float(W, "W")
    return (2 * lam) * W
