"""Recurrent networks: h_t = φ(x_t W_xᵀ + h_{t−1} W_hᵀ + b), and backpropagation through time.

Book: chapter 7, Recurrent networks.

Batches are rows, as everywhere in the package: ``x`` has shape ``(N, T, D)`` (N sequences
of T steps of D features) and the hidden states ``h`` have shape ``(N, T, H)``, where
``h[:, t − 1]`` is the book's ``h_t`` for ``t = 1 … T`` and ``h0`` is ``h_0``. The article
writes the same step for one column vector, ``h_t = σ(W_h h_{t−1} + W_x x_t + b)``; in rows
(one sample per row) it is ``h_t = φ(x_t W_xᵀ + h_{t−1} W_hᵀ + b)``, computed as
``x_t @ Wx + h_prev @ Wh + b``: the package's arrays are ``Wx = W_xᵀ`` (D, H) and
``Wh = W_hᵀ`` (H, H). φ is tanh (default) or the sigmoid σ, φ′ its derivative.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_float, check_nonnegative, check_shape
from .activations import get_activation, sigmoid

__all__ = [
    "rnn_forward",
    "rnn_backward",
    "hidden_state_jacobian_norms",
    "spectral_radius",
    "scale_to_spectral_radius",
    "init_rnn_params",
    "rnn_regression_loss_and_grads",
    "clip_grad_norm",
    "train_rnn",
]

#: The activations an RNN step may use. tanh is the usual choice; "sigmoid" is the article's σ.
_RNN_ACTIVATIONS = ("tanh", "sigmoid")


def _tanh_into(z: np.ndarray, out: np.ndarray) -> None:
    np.tanh(z, out=out)


def _sigmoid_into(z: np.ndarray, out: np.ndarray) -> None:
    out[...] = sigmoid(z)


#: The same activations writing into a preallocated array (the forward loop's fast path).
_ACT_INTO = {"tanh": _tanh_into, "sigmoid": _sigmoid_into}


def _act_grad_from_output(activation: str, h: np.ndarray) -> np.ndarray:
    """φ′(z) from h = φ(z): tanh′ = 1 − h², σ′ = h (1 − h) (= tanh_grad(z), sigmoid_grad(z))."""
    if activation == "tanh":
        local = h * h
        np.subtract(1, local, out=local)
    else:
        local = 1 - h
        local *= h
    return local


_PARAM_NAMES = ("Wx", "Wh", "b", "Wy", "by")


def _activation_pair(activation: str):
    """(φ, φ′) for an RNN activation name; ``ValueError`` for any other name."""
    if not isinstance(activation, str) or activation not in _RNN_ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(_RNN_ACTIVATIONS)}, got {activation!r}")
    return get_activation(activation)


def rnn_forward(
    x: np.ndarray,
    h0: np.ndarray,
    Wx: np.ndarray,
    Wh: np.ndarray,
    b: np.ndarray,
    activation: str = "tanh",
) -> tuple[np.ndarray, dict[str, Any]]:
    """h_t = φ(x_t W_xᵀ + h_{t−1} W_hᵀ + b) for t = 1 … T: the hidden states of a simple RNN.

    Computed as ``x_t @ Wx + h_prev @ Wh + b`` (``Wx = W_xᵀ``, ``Wh = W_hᵀ``). The input
    terms ``x_t @ Wx + b`` of all steps are computed at once; only the recurrence
    ``h_prev @ Wh`` needs the loop over time.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
        N sequences of T steps with D features.
    h0 : ndarray, shape (N, H)
        The initial state h_0.
    Wx : ndarray, shape (D, H)
        Input-to-hidden weights, ``W_xᵀ`` (the article's ``W_x`` is ``Wx.T``).
    Wh : ndarray, shape (H, H)
        Hidden-to-hidden (recurrent) weights; the article's ``W_h`` is ``Wh.T``.
    b : ndarray, shape (H,)
    activation : {"tanh", "sigmoid"}
        φ: tanh (default) or the article's sigmoid σ.

    Returns
    -------
    h : ndarray, shape (N, T, H)
        ``h[:, t − 1]`` is h_t.
    cache : dict
        What :func:`rnn_backward` and :func:`hidden_state_jacobian_norms` need: the inputs,
        the pre-activations ``z`` (N, T, H) and ``h``.

    Notes
    -----
    For speed the loop works on time-major arrays ``(T, N, H)``, filled in place; ``h`` and
    ``cache["z"]`` are ``(N, T, H)`` views of them (no copy). Book: chapter 7, Recurrent
    networks.
    """
    _activation_pair(activation)  # a known name
    act_into = _ACT_INTO[activation]
    x, h0, Wx, Wh, b = (as_float(a, name) for a, name in zip((x, h0, Wx, Wh, b), ("x", "h0", "Wx", "Wh", "b")))
    if x.ndim != 3 or 0 in x.shape[:2]:
        raise ValueError(f"x must be a 3-D array (N, T, D) with N >= 1 and T >= 1, got shape {x.shape}")
    n, T, d = x.shape
    if Wx.ndim != 2 or Wx.shape[0] != d:
        raise ValueError(f"Wx must have shape (D, H) with D = x.shape[2] = {d}, got {Wx.shape}")
    H = Wx.shape[1]
    check_shape(Wh, (H, H), "Wh", "(H, H)")
    check_shape(b, (H,), "b", "(H,)")
    check_shape(h0, (n, H), "h0", "(N, H)")

    # Time-major arrays (T, N, H): step t reads and writes one contiguous (N, H) block, and
    # the big arrays are allocated once (allocation is a large part of the cost here).
    x_tm = np.ascontiguousarray(x.transpose(1, 0, 2))
    dtype = np.result_type(x, h0, Wx, Wh, b, 1.0)  # of the whole step (integers give float64)
    z = (x_tm @ Wx).astype(dtype, copy=False)  # every step's input term x_t @ Wx + b ...
    z += b
    h = np.empty_like(z)
    hWh = np.empty((n, H), dtype=dtype)
    h_prev = h0
    for t in range(T):
        np.matmul(h_prev, Wh, out=hWh)
        z[t] += hWh  # ... plus the recurrent term: z_t = x_t @ Wx + h_{t−1} @ Wh + b
        act_into(z[t], out=h[t])  # h_t = act(z_t)
        h_prev = h[t]
    # Return (N, T, H) views of the time-major arrays (no copy).
    h, z = h.transpose(1, 0, 2), z.transpose(1, 0, 2)
    cache = {"x": x, "h0": h0, "Wx": Wx, "Wh": Wh, "z": z, "h": h, "activation": activation}
    return h, cache


def rnn_backward(
    dh: np.ndarray, cache: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """δ_t = (∂J/∂h_t|direct + δ_{t+1} W_h) ⊙ φ′(z_t), t = T … 1: backpropagation through time.

    ``δ_t = ∂J/∂z_t`` is the error signal of step t, computed as
    ``dz_t = (dh_t + dz_{t+1} @ Wh.T) * φ′(z_t)`` (``Wh.T = W_h``).
    ``dh[:, t − 1]`` is the gradient that reaches h_t directly (e.g. from a readout at that
    step); the total gradient of h_t adds what flows back from h_{t+1} through ``Wh``. The
    loop over time computes only these ``dz_t``; all weight gradients are then single
    matrix products over every (sequence, step) pair:
    ``dWx = Σ_t x_tᵀ dz_t``, ``dWh = Σ_t h_{t−1}ᵀ dz_t``, ``db = Σ_t Σ_n dz_t``,
    ``dx_t = dz_t @ Wxᵀ`` and ``dh0 = dz_1 @ Whᵀ``.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        dJ/dh_t for every step (zeros where the loss does not read h_t).
    cache : dict
        From :func:`rnn_forward`.

    Returns
    -------
    dx : ndarray, shape (N, T, D)
    dh0 : ndarray, shape (N, H)
    dWx : ndarray, shape (D, H)
    dWh : ndarray, shape (H, H)
    db : ndarray, shape (H,)

    Notes
    -----
    Book: chapter 7, Backpropagation through time.
    """
    x, h0, Wx, Wh, z, h = (cache[k] for k in ("x", "h0", "Wx", "Wh", "z", "h"))
    _activation_pair(cache["activation"])  # a known name
    dh = as_float(dh, "dh")
    check_shape(dh, h.shape, "dh", "(N, T, H)")
    return _rnn_backward(dh, cache)


def _rnn_backward(dh: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, ...]:
    """:func:`rnn_backward` of a checked ``dh`` (for callers that made it themselves)."""
    x, h0, Wx, Wh, h = (cache[k] for k in ("x", "h0", "Wx", "Wh", "h"))
    n, T, H = h.shape

    # Work time-major, (T, N, H), as the forward pass does (these views are contiguous when
    # the cache comes from rnn_forward), filling one array in place: first φ′(z_t), then
    # dz_t = (dh_t + dz_{t+1} @ Whᵀ) ⊙ φ′(z_t).
    h_tm, dh_tm = h.transpose(1, 0, 2), dh.transpose(1, 0, 2)
    dz = _act_grad_from_output(cache["activation"], h_tm)  # φ′(z_t) for every step at once
    dz = dz.astype(np.result_type(dh, dz), copy=False)
    WhT = np.ascontiguousarray(Wh.T)  # a contiguous copy: the product below is faster with it
    dh_next = np.zeros((n, H), dtype=dz.dtype)  # gradient reaching h_t from step t + 1
    for t in range(T - 1, -1, -1):
        dh_next += dh_tm[t]  # the total gradient of h_t
        dz[t] *= dh_next
        np.matmul(dz[t], WhT, out=dh_next)  # what reaches h_{t−1}
    dh0 = dh_next

    # The weight gradients sum over every (step, sequence) pair: one product each.
    x_tm = x.transpose(1, 0, 2).reshape(T * n, -1)  # the rows x_t, in the order of dz's rows
    dz_rows = dz.reshape(T * n, H)
    dx = (dz @ Wx.T).transpose(1, 0, 2)  # dx_t = dz_t @ Wxᵀ, back to (N, T, D)
    dWx = x_tm.T @ dz_rows
    dWh = h0.T @ dz[0]  # h_{t−1} is h0 for the first step ...
    if T > 1:  # ... and h_1 … h_{T−1} for the later ones
        dWh += h_tm[:-1].reshape(-1, H).T @ dz[1:].reshape(-1, H)
    db = dz_rows.sum(axis=0)
    return dx, dh0, dWx, dWh, db


def hidden_state_jacobian_norms(cache: dict[str, Any], ord: int | str = 2) -> np.ndarray:
    """‖∂h_T/∂h_t‖ = ‖A_T A_{T−1} ⋯ A_{t+1}‖ with A_s = diag(φ′(z_s)) W_h, for t = 0 … T.

    ``A_s = ∂h_s/∂h_{s−1}`` is the Jacobian of one step (entry ``[i, j] = ∂h_s[i]/∂h_{s−1}[j]``),
    with ``W_h = Wh.T`` (it is called A, not J, because J is the loss).
    How fast these products shrink or grow with ``T − t`` is the vanishing / exploding
    gradient problem: the gradient (a row) that reaches h_t from a loss on h_T is
    ``∂J/∂h_t = (∂J/∂h_T) (∂h_T/∂h_t)``. With γ = sup|φ′| (1 for tanh, 1/4 for the sigmoid),
    ``‖∂h_T/∂h_t‖₂ ≤ (γ ‖W_h‖₂)^{T − t}``.

    Parameters
    ----------
    cache : dict
        From :func:`rnn_forward` (the states of one forward pass).
    ord : {2, "fro"}
        2: the spectral norm (largest singular value: the largest factor by which a
        perturbation of h_t can grow by step T); "fro": the Frobenius norm.

    Returns
    -------
    ndarray, shape (N, T + 1)
        ``[n, t]`` is the norm for sequence n; ``t = 0`` is the initial state h_0 and
        ``t = T`` gives ‖I‖ (1 for ord 2, √H for "fro").

    Notes
    -----
    One batched (N, H, H) matrix product per time step, vectorized over the sequences.
    Book: chapter 7, Vanishing and exploding gradients.
    """
    if isinstance(ord, bool) or ord not in (2, "fro"):
        raise ValueError(f"ord must be 2 (spectral norm) or 'fro' (Frobenius norm), got {ord!r}")
    Wh, z = cache["Wh"], cache["z"]
    _, act_grad = _activation_pair(cache["activation"])
    n, T, H = z.shape
    local = act_grad(z)
    product = np.broadcast_to(np.eye(H, dtype=local.dtype), (n, H, H))  # ∂h_T/∂h_T
    norms = np.empty((n, T + 1), dtype=np.float64)
    norms[:, T] = np.linalg.norm(product, ord=ord, axis=(1, 2))
    for t in range(T - 1, -1, -1):
        jacobian = local[:, t, :, None] * Wh.T  # A_{t+1}: row i of W_h scaled by φ′(z_{t+1})[i]
        product = product @ jacobian
        norms[:, t] = np.linalg.norm(product, ord=ord, axis=(1, 2))
    return norms


def spectral_radius(W: np.ndarray) -> float:
    """ρ(W) = max_i ``|μ_i(W)|``: the largest modulus of an eigenvalue μ_i of a square matrix.

    Book: chapter 7, Vanishing and exploding gradients.
    """
    W = as_float(W, "W")
    if W.ndim != 2 or W.shape[0] != W.shape[1] or W.size == 0:
        raise ValueError(f"W must be a non-empty square matrix (H, H), got shape {W.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def scale_to_spectral_radius(W: np.ndarray, rho: float) -> np.ndarray:
    """W' = (ρ / ρ(W)) · W: the same matrix rescaled so its spectral radius is ρ.

    Powers of W' grow like ρ^k (up to a polynomial factor), so ρ < 1 makes the linear
    part of the recurrence forget, ρ > 1 makes it blow up. Returns a new array.

    Book: chapter 7, Vanishing and exploding gradients.
    """
    radius = spectral_radius(W)
    rho = check_nonnegative(rho, "rho")
    if radius == 0:
        raise ValueError("W has spectral radius 0 (it is nilpotent): it cannot be rescaled to rho")
    return np.asarray(W) * (rho / radius)


# Training an RNN (initialization, loss and gradients, clipping, the loop) lives in
# nnbook.rnn_training; it stays importable from here, as before.
from .rnn_training import (  # noqa: E402
    clip_grad_norm,
    init_rnn_params,
    rnn_regression_loss_and_grads,
    train_rnn,
)
