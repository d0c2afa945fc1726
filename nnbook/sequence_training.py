"""Training a recurrent model (RNN or LSTM) with a read-out on its last state: ŷ = h_T W_y + b_y.

Book: chapter 10, RNN against LSTM.

One function trains either model with the same read-out, loss, optimizer (any of
:func:`nnbook.optim.get_optimizer`), budget and seed, so a comparison changes only the cell.
Options: gradient-norm clipping (:func:`nnbook.rnn_training.clip_grad_norm`) and truncated
backpropagation through time (the gradient flows back through the last ``truncate`` steps only).
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ._validate import as_float, check_int, check_positive, int_labels
from .losses import cross_entropy, cross_entropy_grad, mse, mse_grad
from .lstm import lstm_backward, lstm_forward
from .optim import get_optimizer
from .rnn import clip_grad_norm, rnn_backward, rnn_forward

__all__ = ["init_sequence_model", "sequence_loss_and_grads", "train_sequence_model",
           "input_gradient_norms", "sequence_predict"]

MODELS = ("rnn", "lstm")
LOSSES = ("ce", "mse")


def _global_norm(grads: Mapping[str, np.ndarray]) -> float:
    """‖g‖ = √(Σ_θ ‖∂J/∂θ‖²), as m·‖g/m‖ with m the largest |entry| (no overflow in the squares)."""
    m = max((float(np.max(np.abs(g))) for g in grads.values() if np.size(g)), default=0.0)
    if m == 0 or not np.isfinite(m):
        return m
    return m * float(np.sqrt(sum(np.sum(np.square(np.asarray(g) / m)) for g in grads.values())))


def _check_model(model: str) -> str:
    if model not in MODELS:
        raise ValueError(f"model must be one of {list(MODELS)}, got {model!r}")
    return model


def init_sequence_model(
    model: str, input_size: int, hidden_size: int, output_size: int,
    forget_bias: float = 1.0, seed: int = 0,
) -> dict[str, np.ndarray]:
    """Wx ~ N(0, 1/D), Wh ~ N(0, 1/H), Wy ~ N(0, 1/H), b = 0 (LSTM: forget-gate bias ``forget_bias``).

    The RNN's ``Wx`` is (D, H) and ``Wh`` (H, H); the LSTM's (D, 4H) and (H, 4H), gates
    stacked i, f, g, o. A forget bias of 1 starts f_t ≈ σ(1) ≈ 0.73, a common choice.

    Book: chapter 10, RNN against LSTM.
    """
    _check_model(model)
    D = check_int(input_size, "input_size")
    H = check_int(hidden_size, "hidden_size")
    O = check_int(output_size, "output_size")
    width = H if model == "rnn" else 4 * H
    rng = np.random.default_rng(seed)
    b = np.zeros(width)
    if model == "lstm":
        b[H:2 * H] = float(forget_bias)
    return {
        "Wx": rng.standard_normal((D, width)) / np.sqrt(D),
        "Wh": rng.standard_normal((H, width)) / np.sqrt(H),
        "b": b,
        "Wy": rng.standard_normal((H, O)) / np.sqrt(H),
        "by": np.zeros(O),
    }


def _run(model, params, x, h0, c0):
    if model == "rnn":
        return rnn_forward(x, h0, params["Wx"], params["Wh"], params["b"])
    return lstm_forward(x, h0, c0, params["Wx"], params["Wh"], params["b"])


def _final_state(model, params, x):
    """(h_T, c_T) after reading x from zero states, without a backward pass."""
    n, H = x.shape[0], params["Wh"].shape[0]
    h0, c0 = np.zeros((n, H)), np.zeros((n, H))
    h, cache = _run(model, params, x, h0, c0)
    return h[:, -1], (cache["c"][:, -1] if model == "lstm" else None)


def _check_targets(y, n, loss, O):
    if loss == "ce":
        return int_labels(y, "y", n=n, k=O)
    y = as_float(y, "y")
    if y.shape != (n, O):
        raise ValueError(f"y must have shape (N, O) = {(n, O)} for loss='mse', got {y.shape}")
    return y


def sequence_loss_and_grads(
    model: str, params: Mapping[str, np.ndarray], x: np.ndarray, y: np.ndarray,
    loss: str = "ce", truncate: int | None = None,
) -> tuple[float, dict[str, np.ndarray], np.ndarray]:
    """J(ŷ, y) with ŷ = h_T W_y + b_y, and dJ/dθ by BPTT (through the last ``truncate`` steps only, if given).

    Parameters
    ----------
    model : {"rnn", "lstm"}
    params : dict
        ``Wx, Wh, b, Wy, by`` (see :func:`init_sequence_model`).
    x : ndarray, shape (N, T, D)
    y : ndarray
        Integer labels (N,) for ``loss="ce"``, targets (N, O) for ``"mse"``.
    truncate : int, optional
        k: the states before step T − k are treated as constants (truncated BPTT).

    Returns
    -------
    loss : float
    grads : dict, keyed like ``params``
    dx : ndarray, shape (N, T, D)
        dJ/dx_t (zero for the steps the truncated gradient does not reach).

    Notes
    -----
    Book: chapter 10, RNN against LSTM.
    """
    _check_model(model)
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {list(LOSSES)}, got {loss!r}")
    x = as_float(x, "x")
    if x.ndim != 3 or 0 in x.shape[:2]:
        raise ValueError(f"x must be a 3-D array (N, T, D) with N >= 1 and T >= 1, got shape {x.shape}")
    n, T, _ = x.shape
    Wy, by = params["Wy"], params["by"]
    H, O = Wy.shape
    y = _check_targets(y, n, loss, O)
    start = 0
    h0, c0 = np.zeros((n, H)), np.zeros((n, H))
    if truncate is not None:
        k = check_int(truncate, "truncate")
        start = max(0, T - k)
        if start:
            h0, c0 = _final_state(model, params, x[:, :start])
    h, cache = _run(model, params, x[:, start:], h0, c0)
    hT = h[:, -1]
    y_hat = hT @ Wy + by
    if loss == "ce":
        J, dy = cross_entropy(y_hat, y), cross_entropy_grad(y_hat, y)
    else:
        J, dy = mse(y_hat, y), mse_grad(y_hat, y)
    dh = np.zeros_like(h)
    dh[:, -1] = dy @ Wy.T
    if model == "rnn":
        dxs, _, dWx, dWh, db = rnn_backward(dh, cache)
    else:
        dxs, _, _, dWx, dWh, db = lstm_backward(dh, cache)
    dx = np.zeros_like(x)
    dx[:, start:] = dxs
    grads = {"Wx": dWx, "Wh": dWh, "b": db, "Wy": hT.T @ dy, "by": dy.sum(axis=0)}
    return float(J), grads, dx


def sequence_predict(model: str, params: Mapping[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """ŷ = h_T W_y + b_y, shape (N, O) (logits for classification). Book: chapter 10."""
    _check_model(model)
    hT, _ = _final_state(model, params, as_float(x, "x"))
    return hT @ params["Wy"] + params["by"]


def _accuracy(model, params, x, y, loss):
    y_hat = sequence_predict(model, params, x)
    if loss == "ce":
        return float(np.mean(np.argmax(y_hat, axis=1) == y))
    return float(np.mean(np.abs(y_hat - y) < 0.04))


def train_sequence_model(
    model: str, x: np.ndarray, y: np.ndarray, hidden_size: int, steps: int, lr: float,
    loss: str = "ce", optimizer: str = "adam", clip: float | None = None,
    truncate: int | None = None, batch_size: int | None = None,
    params: Mapping[str, np.ndarray] | None = None, seed: int = 0,
    optimizer_options: Mapping[str, Any] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """θ ← step(θ, ∇J(θ)) for ``steps`` steps: an RNN or LSTM with a read-out on h_T.

    Parameters
    ----------
    model : {"rnn", "lstm"}
    x, y, loss, truncate
        As in :func:`sequence_loss_and_grads`.
    hidden_size : int
        H (the same for both models in a fair comparison).
    steps : int
        Number of parameter updates (the budget).
    lr : float
        η.
    optimizer : str
        Any name of :func:`nnbook.optim.get_optimizer` ("adam" by default).
    clip : float, optional
        Maximal global gradient norm (:func:`nnbook.rnn_training.clip_grad_norm`).
    batch_size : int, optional
        Minibatch size B (drawn with the seed); full batch when None.
    params : dict, optional
        Initial parameters (copied); else :func:`init_sequence_model` with ``seed``.

    Returns
    -------
    params : dict
    history : dict
        ``loss`` and ``grad_norm`` (before clipping) per step, ``accuracy`` on (x, y) at the
        end, ``diverged`` (True when the loss or gradient became non-finite or the loss grew
        10⁴-fold; training then stops).

    Notes
    -----
    Book: chapter 10, RNN against LSTM.
    """
    _check_model(model)
    steps = check_int(steps, "steps", minimum=0)
    lr = check_positive(lr, "lr (the learning rate η)")
    if clip is not None:
        clip = check_positive(clip, "clip")
    x = as_float(x, "x")
    step = get_optimizer(optimizer)
    options = dict(optimizer_options or {})
    if params is None:
        O = int(np.max(y)) + 1 if loss == "ce" else np.shape(y)[1]
        params = init_sequence_model(model, x.shape[2], hidden_size, O, seed=seed)
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    n = x.shape[0]
    B = n if batch_size is None else min(check_int(batch_size, "batch_size"), n)
    rng = np.random.default_rng(seed)
    history: dict[str, Any] = {"loss": [], "grad_norm": [], "diverged": False}
    state: dict = {}
    for _ in range(steps):
        idx = slice(None) if B == n else rng.choice(n, size=B, replace=False)
        with np.errstate(over="ignore", invalid="ignore"):
            J, grads, _ = sequence_loss_and_grads(model, params, x[idx], np.asarray(y)[idx], loss, truncate)
        norm = _global_norm(grads)
        first = history["loss"][0] if history["loss"] else J
        if not (np.isfinite(J) and np.isfinite(norm)) or J > 1e4 * max(first, 1e-12):
            history["diverged"] = True
            break
        history["loss"].append(J)
        history["grad_norm"].append(norm)
        if clip is not None:
            grads, _ = clip_grad_norm(grads, clip)
        step(params, grads, state, lr, **options)
        if not all(np.isfinite(v).all() for v in params.values()):
            history["diverged"] = True
            break
    if history["diverged"]:
        history["accuracy"] = float("nan")
    else:
        history["accuracy"] = _accuracy(model, params, x, np.asarray(y), loss)
    return params, history


def input_gradient_norms(
    model: str, params: Mapping[str, np.ndarray], x: np.ndarray, y: np.ndarray, loss: str = "ce",
) -> np.ndarray:
    """‖∂J_k/∂x_t‖ averaged over the sequences k, for t = 1 … T (J_k: sequence k's own loss).

    How much the loss at the end can still feel an input ``T − t`` steps back; shape (T,).
    Book: chapter 10, RNN against LSTM.
    """
    _, _, dx = sequence_loss_and_grads(model, params, x, y, loss)
    n = dx.shape[0]
    return np.linalg.norm(dx * n, axis=2).mean(axis=0)  # J is a mean over n: undo the 1/n
