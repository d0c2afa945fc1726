"""Training a recurrent network: initialization, the regression loss and its gradients by
backpropagation through time, gradient clipping, and full-batch gradient descent.

The model is the RNN of :mod:`nnbook.rnn` with a linear readout ``ŷ_t = h_t W_y + b_y``; the
parameters are a dict ``Wx, Wh, b, Wy, by``. Book: chapter 7, Training an RNN.
"""
from __future__ import annotations

import warnings
from typing import Any, Mapping

import numpy as np

from ._validate import (DIVERGENCE_FACTOR, DivergenceWarning, as_float, check_int, check_nonnegative,
                        check_positive, check_shape)
from .losses import mse, mse_grad
from .rnn import _PARAM_NAMES, _rnn_backward, rnn_forward, scale_to_spectral_radius

__all__ = ["init_rnn_params", "rnn_regression_loss_and_grads", "clip_grad_norm", "train_rnn"]


def init_rnn_params(
    input_size: int,
    hidden_size: int,
    output_size: int,
    rho: float | None = None,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Wx ~ N(0, 1/D), Wh ~ N(0, 1/H), Wy ~ N(0, 1/H), b = by = 0: an RNN with a linear readout.

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        D, H and O.
    rho : float, optional
        If given, ``Wh`` is rescaled to spectral radius ρ (see :func:`nnbook.rnn.scale_to_spectral_radius`).
    seed : int
        Seed of the random generator (same seed, same weights).

    Returns
    -------
    dict with ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,), ``Wy`` (H, O), ``by`` (O,), float64.

    Notes
    -----
    Book: chapter 7, Recurrent networks.
    """
    D = check_int(input_size, "input_size")
    H = check_int(hidden_size, "hidden_size")
    O = check_int(output_size, "output_size")
    rng = np.random.default_rng(seed)
    Wh = rng.standard_normal((H, H)) / np.sqrt(H)
    if rho is not None:
        Wh = scale_to_spectral_radius(Wh, rho)
    return {
        "Wx": rng.standard_normal((D, H)) / np.sqrt(D),
        "Wh": Wh,
        "b": np.zeros(H),
        "Wy": rng.standard_normal((H, O)) / np.sqrt(H),
        "by": np.zeros(O),
    }


def rnn_regression_loss_and_grads(
    params: Mapping[str, np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    activation: str = "tanh",
) -> tuple[float, dict[str, np.ndarray]]:
    """J = mse(ŷ, y) with ŷ = h_T @ Wy + by (y of shape (N, O)) or ŷ_t = h_t @ Wy + by (y (N, T, O)).

    The RNN starts from h_0 = 0. With ``y`` of shape ``(N, O)`` only the last state is read
    (a sequence-to-one task, where the gradient must travel back through every step); with
    ``y`` of shape ``(N, T, O)`` every state is read (sequence to sequence).

    Parameters
    ----------
    params : dict
        ``Wx`` (D, H), ``Wh`` (H, H), ``b`` (H,), ``Wy`` (H, O), ``by`` (O,),
        e.g. from :func:`init_rnn_params`.
    x : ndarray, shape (N, T, D)
    y : ndarray, shape (N, O) or (N, T, O)
    activation : {"tanh", "sigmoid"}

    Returns
    -------
    loss : float
    grads : dict
        dJ/dθ for every key of ``params`` (same shapes).

    Notes
    -----
    Book: chapter 7, Training an RNN.
    """
    missing = [k for k in _PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params must contain {list(_PARAM_NAMES)}; missing {missing}")
    Wx, Wh, b, Wy, by = (as_float(params[k], f"params[{k!r}]") for k in _PARAM_NAMES)
    x, y = as_float(x, "x"), as_float(y, "y")
    if x.ndim != 3 or 0 in x.shape[:2]:
        raise ValueError(f"x must be a 3-D array (N, T, D) with N >= 1 and T >= 1, got shape {x.shape}")
    n, T, _ = x.shape
    H = Wh.shape[0]
    if Wy.ndim != 2 or Wy.shape[0] != H:
        raise ValueError(f"params['Wy'] must have shape (H, O) with H = {H}, got {Wy.shape}")
    O = Wy.shape[1]
    check_shape(by, (O,), "params['by']", "(O,)")
    if y.shape not in ((n, O), (n, T, O)):
        raise ValueError(f"y must have shape (N, O) = {(n, O)} or (N, T, O) = {(n, T, O)}, got {y.shape}")

    h, cache = rnn_forward(x, np.zeros((n, H)), Wx, Wh, b, activation)
    read = h[:, -1] if y.ndim == 2 else h  # the states the readout sees
    y_hat = read @ Wy + by
    loss = mse(y_hat, y)
    dy = mse_grad(y_hat, y)
    dread = dy @ Wy.T
    if y.ndim == 2:
        dh = np.zeros_like(h)
        dh[:, -1] = dread
    else:
        dh = dread
    _, _, dWx, dWh, db = _rnn_backward(dh, cache)
    grads = {
        "Wx": dWx,
        "Wh": dWh,
        "b": db,
        "Wy": read.reshape(-1, H).T @ dy.reshape(-1, O),
        "by": dy.reshape(-1, O).sum(axis=0),
    }
    return loss, grads


def _global_norm(grads: Mapping[str, np.ndarray]) -> float:
    """‖g‖ = √(Σ_θ ‖∂J/∂θ‖²), computed as m·‖g/m‖ with m the largest |entry|: exploding
    gradients can have entries whose squares overflow although the norm itself does not."""
    arrays = [np.asarray(g, dtype=np.float64) for g in grads.values()]
    m = max((float(np.max(np.abs(g))) for g in arrays if g.size), default=0.0)
    if m == 0 or not np.isfinite(m):
        return m
    return m * float(np.sqrt(sum(np.sum(np.square(g / m)) for g in arrays)))


def clip_grad_norm(grads: Mapping[str, np.ndarray], max_norm: float) -> tuple[dict[str, np.ndarray], float]:
    """g ← g · min(1, c / ‖g‖) with ‖g‖ = √(Σ_θ ‖∂J/∂θ‖²): gradient clipping by global norm.

    Rescales all gradients together (so the direction is kept) when their joint norm
    exceeds ``max_norm``: a standard cure for exploding gradients in RNNs.

    Parameters
    ----------
    grads : dict of str -> ndarray
    max_norm : float, > 0

    Returns
    -------
    clipped : dict
        New arrays, same keys.
    norm : float
        The global norm before clipping.

    Notes
    -----
    Book: chapter 7, Vanishing and exploding gradients.
    """
    if not isinstance(grads, Mapping):
        raise ValueError(f"grads must be a dict of arrays, got {type(grads).__name__}")
    grads = {k: as_float(g, f"grads[{k!r}]") for k, g in grads.items()}
    max_norm = check_positive(max_norm, "max_norm")
    norm = _global_norm(grads)
    factor = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: np.asarray(g) * factor for k, g in grads.items()}, norm


def train_rnn(
    params: Mapping[str, np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    lr: float,
    epochs: int,
    clip: float | None = None,
    activation: str = "tanh",
) -> tuple[dict[str, np.ndarray], dict[str, list[float]]]:
    """θ ← θ − η ∇J(θ) (full batch), with ∇J optionally clipped to norm ``clip``.

    Parameters
    ----------
    params : dict
        Initial parameters ``Wx, Wh, b, Wy, by`` (see :func:`rnn_regression_loss_and_grads`);
        not modified.
    x, y, activation
        As in :func:`rnn_regression_loss_and_grads`.
    lr : float >= 0
        The learning rate η.
    epochs : int >= 0
        Number of gradient steps.
    clip : float, optional
        If given, the maximal global gradient norm (see :func:`clip_grad_norm`).

    Returns
    -------
    params : dict
        The trained parameters (new arrays).
    history : dict
        ``"loss"`` (before each step, plus the final loss), ``"grad_norm"`` (the
        global gradient norm before clipping, per step) and ``"diverged"``: True if the loss
        or gradient overflowed or the loss grew more than ``DIVERGENCE_FACTOR`` (10⁴) times
        above its first value; training then stopped, with one ``DivergenceWarning``, at the
        parameters of the last finite loss (the last entry of ``"loss"``), so the lists are
        shorter than ``epochs``.

    Notes
    -----
    Book: chapter 7, Training an RNN.
    """
    epochs = check_int(epochs, "epochs", minimum=0)
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    if clip is not None:
        clip = check_positive(clip, "clip")
    missing = [k for k in _PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"params must contain {list(_PARAM_NAMES)}; missing {missing}")
    params = {k: np.array(params[k], dtype=np.float64) for k in _PARAM_NAMES}
    history: dict[str, Any] = {"loss": [], "grad_norm": [], "diverged": False}
    previous = params
    for step in range(epochs):
        with np.errstate(over="raise", invalid="raise"):
            try:
                loss, grads = rnn_regression_loss_and_grads(params, x, y, activation)
                norm = _global_norm(grads)
                start = history["loss"][0] if history["loss"] else loss
                diverged = not (np.isfinite(loss) and np.isfinite(norm)) or loss > DIVERGENCE_FACTOR * start
            except FloatingPointError:
                diverged = True
        if not diverged:
            if clip is not None:
                grads, _ = clip_grad_norm(grads, clip)
            with np.errstate(over="ignore", invalid="ignore"):
                new = {k: params[k] - lr * grads[k] for k in _PARAM_NAMES}  # θ ← θ − η ∇J(θ)
            history["loss"].append(loss)
            history["grad_norm"].append(norm)
            if all(np.isfinite(v).all() for v in new.values()):
                previous, params = params, new
                continue
            previous = params  # the update itself overflowed: keep the parameters before it
        # Diverged: undo the last step, so that params are those of the last finite loss,
        # which becomes the final entry of history["loss"].
        history["diverged"] = True
        params = previous
        if history["grad_norm"]:
            history["grad_norm"].pop()
        else:
            history["loss"].append(float("nan"))
        warnings.warn(
            f"train_rnn: the loss diverged at step {step + 1} of {epochs} (it overflowed or grew "
            f"more than {DIVERGENCE_FACTOR:g}-fold); training stopped with the parameters of the "
            f"last finite loss. Lower the learning rate η (lr={lr:g}) or clip the gradient.",
            DivergenceWarning, stacklevel=2,
        )
        return params, history
    history["loss"].append(rnn_regression_loss_and_grads(params, x, y, activation)[0])
    return params, history
