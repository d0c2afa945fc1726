"""Scaled dot-product attention: out = softmax(Q Kᵀ/√d_k) V over the keys, and its backward pass.

Book: chapter 11, Attention, residual connections and layer normalization.

Rows again: a batch of N sequences, queries ``q`` of shape (N, Tq, d_k), keys ``k`` (N, Tk, d_k),
values ``v`` (N, Tk, d_v). Query t of sequence n gets the weights
``A[n, t] = softmax(q[n, t] · k[n, s] / √d_k over s)`` and returns ``Σ_s A[n, t, s] v[n, s]``.
A boolean ``mask`` (True where a query may attend, torch's boolean ``attn_mask``) removes keys
before the softmax: their weights are exactly 0.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float, check_int, check_positive

__all__ = ["attention_forward", "attention_backward", "causal_mask", "softmax_backward"]


def _check_qkv(q, k, v) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q, k, v = as_float(q, "q"), as_float(k, "k"), as_float(v, "v")
    for name, arr in (("q", q), ("k", k), ("v", v)):
        if arr.ndim != 3:
            what = "(N, Tq, d_k)" if name == "q" else "(N, Tk, d_k)" if name == "k" else "(N, Tk, d_v)"
            raise ValueError(f"{name} must have shape {what} (3 axes), got {arr.shape}")
    if k.shape[0] != q.shape[0] or k.shape[2] != q.shape[2]:
        raise ValueError(f"k must have shape (N, Tk, d_k) = ({q.shape[0]}, Tk, {q.shape[2]}) "
                         f"to match q {q.shape}, got {k.shape}")
    if v.shape[:2] != k.shape[:2]:
        raise ValueError(f"v must have shape (N, Tk, d_v) = ({k.shape[0]}, {k.shape[1]}, d_v) "
                         f"to match k {k.shape}, got {v.shape}")
    if min(q.shape[1:]) < 1 or k.shape[1] < 1 or v.shape[2] < 1 or q.shape[0] < 1:
        raise ValueError(f"q, k, v must have no empty axis, got {q.shape}, {k.shape}, {v.shape}")
    dtype = np.result_type(q, k, v)
    return q.astype(dtype, copy=False), k.astype(dtype, copy=False), v.astype(dtype, copy=False)


def _check_mask(mask: Any, shape: tuple[int, int, int]) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        raise ValueError(f"mask must be a boolean array (True where a query may attend), "
                         f"got dtype {mask.dtype}")
    try:
        mask = np.broadcast_to(mask, shape)
    except ValueError:
        raise ValueError(f"mask must be broadcastable to (N, Tq, Tk) = {shape}, "
                         f"got shape {mask.shape}") from None
    empty = ~mask.any(axis=-1)
    if empty.any():
        where = tuple(int(i) for i in np.argwhere(empty)[0])
        raise ValueError(f"mask must allow at least one key for every query; query "
                         f"(n, t) = {where} may attend to none")
    return mask


def attention_forward(
    q: ArrayLike, k: ArrayLike, v: ArrayLike, mask: ArrayLike | None = None,
    scale: float | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    r"""out = softmax(Q Kᵀ/√d_k) V, the softmax over the keys (the last axis).

    Parameters
    ----------
    q : array, shape (N, Tq, d_k)
        Queries.
    k : array, shape (N, Tk, d_k)
        Keys.
    v : array, shape (N, Tk, d_v)
        Values.
    mask : bool array, broadcastable to (N, Tq, Tk), optional
        True where query t may attend to key s (torch's boolean ``attn_mask``); every query
        needs at least one True. Masked keys get weight exactly 0.
    scale : float > 0, optional
        The factor on the scores, 1/√d_k by default (torch's ``scale``); ``scale = 1`` is
        attention without the √d_k, a larger or smaller one a lower or higher temperature.

    Returns
    -------
    out : ndarray, shape (N, Tq, d_v)
        In the common floating dtype of q, k, v (float32 stays float32).
    cache : dict
        ``q, k, v, scale`` and ``weights``, the attention weights A of shape (N, Tq, Tk)
        (each row sums to 1), for :func:`attention_backward` and for plotting.

    Notes
    -----
    The softmax is stable: the row maximum is subtracted before ``exp``, so any finite
    scores give finite weights. Book: chapter 11, Scaled dot-product attention.
    """
    q, k, v = _check_qkv(q, k, v)
    d = q.shape[2]
    scale = 1.0 / np.sqrt(d) if scale is None else check_positive(scale, "scale")
    scores = np.matmul(q, k.transpose(0, 2, 1))
    scores *= q.dtype.type(scale)
    if mask is not None:
        mask = _check_mask(mask, scores.shape)
        scores = np.where(mask, scores, -np.inf)
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores, out=scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    out = np.matmul(weights, v)
    return out, {"q": q, "k": k, "v": v, "weights": weights, "scale": scale}


def softmax_backward(dA: np.ndarray, A: np.ndarray) -> np.ndarray:
    r"""∂J/∂s = A ⊙ (∂J/∂A − Σ_s' A_s' ∂J/∂A_s'), row by row over the last axis.

    The softmax Jacobian ∂A_s/∂s_r = A_s (𝟙[s = r] − A_r) applied to an upstream gradient
    without forming the (Tk, Tk) matrix.
    Book: chapter 11, The backward pass through the softmax.
    """
    return A * (dA - np.sum(dA * A, axis=-1, keepdims=True))


def attention_backward(dout: ArrayLike, cache: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""∂J/∂Q, ∂J/∂K, ∂J/∂V of out = softmax(Q Kᵀ/√d_k) V, given ∂J/∂out.

    ``dV = Aᵀ dout``, ``dA = dout Vᵀ``, ``dS = A ⊙ (dA − rowsum(dA ⊙ A))`` (the softmax
    Jacobian), ``dQ = dS K/√d_k``, ``dK = dSᵀ Q/√d_k``, batched over N.

    Parameters
    ----------
    dout : array, shape (N, Tq, d_v)
    cache : dict from :func:`attention_forward`

    Returns
    -------
    dq (N, Tq, d_k), dk (N, Tk, d_k), dv (N, Tk, d_v)

    Notes
    -----
    A masked key has A = 0, so it receives no gradient.
    Book: chapter 11, The backward pass through the softmax.
    """
    q, k, v, A, scale = cache["q"], cache["k"], cache["v"], cache["weights"], cache["scale"]
    dout = as_float(dout, "dout")
    if dout.shape != (q.shape[0], q.shape[1], v.shape[2]):
        raise ValueError(f"dout must have the shape of out (N, Tq, d_v) = "
                         f"{(q.shape[0], q.shape[1], v.shape[2])}, got {dout.shape}")
    dout = dout.astype(q.dtype, copy=False)
    dv = np.matmul(A.transpose(0, 2, 1), dout)
    dS = softmax_backward(np.matmul(dout, v.transpose(0, 2, 1)), A)
    dS *= q.dtype.type(scale)
    dq = np.matmul(dS, k)
    dk = np.matmul(dS.transpose(0, 2, 1), q)
    return dq, dk, dv


def causal_mask(T: int, Tk: int | None = None) -> np.ndarray:
    """M[t, s] = 𝟙[s ≤ t]: query t may attend to keys 1 … t only (no peeking ahead).

    Shape (T, Tk) (Tk = T by default), boolean, broadcastable to (N, T, Tk); the same as
    torch's ``is_causal=True`` (lower triangle, aligned at the top left).
    Book: chapter 11, Masks.
    """
    T = check_int(T, "T")
    Tk = T if Tk is None else check_int(Tk, "Tk")
    return np.tril(np.ones((T, Tk), dtype=bool))
