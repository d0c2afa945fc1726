"""A small transformer block from the chapter's pieces, and a classifier that reads its last position.

Book: chapter 11, A transformer block.

The block (pre-norm, one attention head, one dense layer), rows as everywhere in the book::

    h   = x + Attn(LN₁(x)),   Attn(u) = softmax((u W_q)(u W_k)ᵀ/√d_k)(u W_v) W_o
    out = h + ReLU(LN₂(h) W_1 + b_1)

Two residual connections, two layer norms, scaled dot-product attention and a dense layer. The
classifier embeds each step, ``e_t = x_t W_e + b_e``, applies the block, and reads the class
scores from the last position: ``logits = out_T W_y + b_y``. Position enters only through the
inputs (:func:`add_positions`): attention by itself ignores the order of the keys.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float, check_int, check_positive, int_labels
from .attention import attention_backward, attention_forward
from .layernorm import layernorm_backward, layernorm_forward
from .losses import cross_entropy_with_grad
from .optim import get_optimizer

__all__ = ["add_positions", "init_transformer", "transformer_block_forward",
           "transformer_block_backward", "transformer_loss_and_grads", "train_transformer",
           "BLOCK_KEYS"]

#: The parameters of one block, in the order of the equations.
BLOCK_KEYS = ("gamma1", "beta1", "Wq", "Wk", "Wv", "Wo", "gamma2", "beta2", "W1", "b1")


def add_positions(x: ArrayLike) -> np.ndarray:
    """[x_t, onehot(t)]: each step's input with its position appended as a one-hot vector.

    ``x`` (N, T, D) → (N, T, D + T). Book: chapter 11, Attention against the recurrent network.
    """
    x = as_float(x, "x")
    if x.ndim != 3:
        raise ValueError(f"x must have shape (N, T, D), got {x.shape}")
    N, T, _ = x.shape
    pos = np.broadcast_to(np.eye(T, dtype=x.dtype), (N, T, T))
    return np.concatenate([x, pos], axis=2)


def init_transformer(input_size: int, d_model: int, n_classes: int, seed: int = 0) -> dict[str, np.ndarray]:
    """W ~ N(0, 1/d_in) for every matrix, γ = 1, β = 0, biases 0.

    Keys: ``We, be`` (embedding), the block's :data:`BLOCK_KEYS`, ``Wy, by`` (read-out).
    Book: chapter 11, A transformer block.
    """
    D = check_int(input_size, "input_size")
    d = check_int(d_model, "d_model")
    C = check_int(n_classes, "n_classes", minimum=2)
    rng = np.random.default_rng(seed)
    shapes = {"We": (D, d), "Wq": (d, d), "Wk": (d, d), "Wv": (d, d), "Wo": (d, d),
              "W1": (d, d), "Wy": (d, C)}
    params = {k: rng.standard_normal(s) / np.sqrt(s[0]) for k, s in shapes.items()}
    params.update(be=np.zeros(d), gamma1=np.ones(d), beta1=np.zeros(d), gamma2=np.ones(d),
                  beta2=np.zeros(d), b1=np.zeros(d), by=np.zeros(C))
    return params


def _mm(a: np.ndarray, W: np.ndarray) -> np.ndarray:
    return (a.reshape(-1, a.shape[-1]) @ W).reshape(*a.shape[:-1], W.shape[1])


def _dW(a: np.ndarray, g: np.ndarray) -> np.ndarray:
    return a.reshape(-1, a.shape[-1]).T @ g.reshape(-1, g.shape[-1])


def transformer_block_forward(
    x: np.ndarray, params: Mapping[str, np.ndarray], mask: ArrayLike | None = None,
    scale: float | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    r"""h = x + Attn(LN₁(x)), out = h + ReLU(LN₂(h) W_1 + b_1); x and out of shape (N, T, d).

    ``mask`` and ``scale`` go to :func:`nnbook.attention.attention_forward` (default 1/√d_k).
    The cache holds the attention weights under ``"weights"``, shape (N, T, T).
    Book: chapter 11, A transformer block.
    """
    p = params
    u1, c_ln1 = layernorm_forward(x, p["gamma1"], p["beta1"])
    a, c_att = attention_forward(_mm(u1, p["Wq"]), _mm(u1, p["Wk"]), _mm(u1, p["Wv"]),
                                 mask, scale=scale)
    h = x + _mm(a, p["Wo"])
    u2, c_ln2 = layernorm_forward(h, p["gamma2"], p["beta2"])
    z = _mm(u2, p["W1"]) + p["b1"]
    out = h + np.maximum(z, 0.0)
    cache = {"u1": u1, "c_ln1": c_ln1, "a": a, "c_att": c_att, "u2": u2, "c_ln2": c_ln2,
             "z": z, "params": p, "weights": c_att["weights"]}
    return out, cache


def transformer_block_backward(dout: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    r"""∂J/∂x and ∂J/∂θ of the block, given ∂J/∂out: each residual adds an identity path.

    Returns ``(dx, grads)`` with ``grads`` keyed by :data:`BLOCK_KEYS`.
    Book: chapter 11, A transformer block.
    """
    p, g = cache["params"], {}
    dz = dout * (cache["z"] > 0)
    g["W1"], g["b1"] = _dW(cache["u2"], dz), dz.reshape(-1, dz.shape[-1]).sum(axis=0)
    dh_ln, g["gamma2"], g["beta2"] = layernorm_backward(_mm(dz, p["W1"].T), cache["c_ln2"])
    dh = dout + dh_ln                                   # identity path + the dense branch
    g["Wo"] = _dW(cache["a"], dh)
    dq, dk, dv = attention_backward(_mm(dh, p["Wo"].T), cache["c_att"])
    u1 = cache["u1"]
    g["Wq"], g["Wk"], g["Wv"] = _dW(u1, dq), _dW(u1, dk), _dW(u1, dv)
    du1 = _mm(dq, p["Wq"].T) + _mm(dk, p["Wk"].T) + _mm(dv, p["Wv"].T)
    dx_ln, g["gamma1"], g["beta1"] = layernorm_backward(du1, cache["c_ln1"])
    return dh + dx_ln, {k: g[k] for k in BLOCK_KEYS}     # identity path + the attention branch


def transformer_loss_and_grads(
    params: Mapping[str, np.ndarray], x: ArrayLike, y: ArrayLike,
    mask: ArrayLike | None = None, scale: float | None = None,
) -> tuple[float, dict[str, np.ndarray], dict[str, Any]]:
    r"""J = cross-entropy of logits = block(x W_e + b_e)_T W_y + b_y, and ∂J/∂θ.

    Parameters
    ----------
    params : dict from :func:`init_transformer`
    x : array, shape (N, T, D)
    y : int array, shape (N,)
        Class labels.
    mask, scale : as for :func:`transformer_block_forward`

    Returns
    -------
    J : float
    grads : dict keyed like ``params``
    info : dict
        ``weights`` (N, T, T) the attention weights, ``logits`` (N, C), ``dx`` (N, T, D)
        ∂J/∂x (how much the loss feels each input step).

    Notes
    -----
    Book: chapter 11, Attention against the recurrent network.
    """
    x = as_float(x, "x")
    We = params["We"]
    if x.ndim != 3 or x.shape[2] != We.shape[0]:
        raise ValueError(f"x must have shape (N, T, D) with D = {We.shape[0]}, got {x.shape}")
    y = int_labels(y, "y", n=x.shape[0], k=params["Wy"].shape[1])
    e = _mm(x, We) + params["be"]
    out, cache = transformer_block_forward(e, params, mask, scale)
    last = out[:, -1]
    logits = last @ params["Wy"] + params["by"]
    J, dlogits = cross_entropy_with_grad(logits, y)
    grads = {"Wy": last.T @ dlogits, "by": dlogits.sum(axis=0)}
    dout = np.zeros_like(out)
    dout[:, -1] = dlogits @ params["Wy"].T
    de, block_grads = transformer_block_backward(dout, cache)
    grads.update(block_grads)
    grads["We"], grads["be"] = _dW(x, de), de.reshape(-1, de.shape[-1]).sum(axis=0)
    info = {"weights": cache["weights"], "logits": logits, "dx": _mm(de, We.T)}
    return float(J), {k: grads[k] for k in params}, info


def train_transformer(
    x: ArrayLike, y: ArrayLike, d_model: int, steps: int, lr: float,
    optimizer: str = "adam", batch_size: int | None = None,
    mask: ArrayLike | None = None, seed: int = 0,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """θ ← step(θ, ∇J(θ)) for ``steps`` steps, from :func:`init_transformer` with ``seed``.

    The same optimizer interface and budget as chapter 10's ``train_sequence_model``, so the
    two can be compared. Returns ``(params, history)``; ``history`` holds ``loss`` per step
    and ``accuracy`` on (x, y) at the end.
    Book: chapter 11, Attention against the recurrent network.
    """
    x = as_float(x, "x")
    steps = check_int(steps, "steps", minimum=0)
    lr = check_positive(lr, "lr (the learning rate η)")
    y = int_labels(y, "y", n=x.shape[0])
    params = init_transformer(x.shape[2], d_model, int(y.max()) + 1 if y.max() >= 1 else 2, seed)
    step = get_optimizer(optimizer)
    n = x.shape[0]
    B = n if batch_size is None else min(check_int(batch_size, "batch_size"), n)
    rng = np.random.default_rng(seed)
    state: dict = {}
    history: dict[str, Any] = {"loss": []}
    for _ in range(steps):
        idx = slice(None) if B == n else rng.choice(n, size=B, replace=False)
        J, grads, _ = transformer_loss_and_grads(params, x[idx], y[idx], mask)
        history["loss"].append(J)
        step(params, grads, state, lr)
    _, _, info = transformer_loss_and_grads(params, x, y, mask)
    history["accuracy"] = float(np.mean(np.argmax(info["logits"], axis=1) == y))
    return params, history
