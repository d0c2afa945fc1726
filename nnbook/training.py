"""Training an :class:`~nnbook.network.MLP` by gradient descent, and the :class:`History` it records.

Where the design leaves a choice, this module takes the following one. ``History.loss`` and
``History.accuracy`` are measured after each epoch on the whole training set in evaluation
mode (no dropout, batch-norm running statistics) and without the L2 penalty, so they compare
directly with ``val_loss``; the objective actually minimized (training mode, penalty
included) is ``History.objective``. ``grad_norms`` are norms of the full gradient, penalty
included.

Book: chapter 3 (gradient descent), chapter 4 (overfitting), chapter 5 (gradient norms).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from ._validate import DIVERGENCE_FACTOR, DivergenceWarning, check_int, check_nonnegative, check_pair, is_int
from .network import MLP
from .optim import _sgd_update, check_optimizer_options, get_optimizer

__all__ = ["History", "train", "DivergenceWarning", "DIVERGENCE_FACTOR"]

@dataclass
class History:
    """What :func:`train` records, one entry per epoch.

    Attributes
    ----------
    loss, val_loss : list of float
        Data loss (no L2 penalty) on the whole training / validation set, in evaluation mode
        (no dropout, batch-norm running statistics), after the epoch's updates. ``val_loss``
        is all ``nan`` without validation data.
    accuracy, val_accuracy : list of float
        Fraction of correctly classified rows, likewise; ``nan`` for ``loss="mse"``.
    objective : list of float
        The mean over the epoch's minibatches of the objective actually minimized: the loss
        in training mode (dropout on) plus the L2 penalty.
    grad_norms : ndarray, shape (epochs, L)
        ``‖∂J/∂W_l‖`` (Frobenius norm, penalty included) per layer, averaged over the
        epoch's minibatches.
    diverged : bool
        True if training diverged (learning rate too large): either the computation
        overflowed (the model then keeps its parameters from before the step that overflowed,
        and that epoch is ``nan``), or the training loss grew more than ``DIVERGENCE_FACTOR``
        (10⁴) times above its value before training (that epoch is recorded, the model keeps
        its parameters). Training then stopped with one :class:`DivergenceWarning`, and the
        remaining epochs are ``nan``.

    Notes
    -----
    Book: chapter 3 (learning curves), chapter 4 (overfitting), chapter 5 (gradient norms).
    """

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    objective: list[float] = field(default_factory=list)
    grad_norms: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    diverged: bool = False

    @property
    def epochs(self) -> int:
        """Number of recorded epochs."""
        return len(self.loss)


def _snapshot(model: MLP, saved: tuple[dict, dict] | None = None) -> tuple[dict, dict]:
    """Copy the parameters and running statistics (into the arrays of ``saved`` if given)."""
    if saved is None:
        params = {name: value.copy() for name, value in model.params.items()}
    else:
        params = saved[0]
        for name, value in model.params.items():
            np.copyto(params[name], value)
    # batchnorm_forward replaces the running arrays (it never writes into them): keep references
    running = {name: dict(stats) for name, stats in model.running.items()}
    return params, running


def _restore(model: MLP, saved: tuple[dict, dict]) -> None:
    params, running = saved
    for name, value in params.items():
        model.params[name][...] = value
    for name, stats in running.items():
        model.running[name].update(stats)


def _warn_diverged(epoch: int, epochs: int, lr: float, why: str) -> None:
    warnings.warn(
        f"train: the loss diverged at epoch {epoch} of {epochs} ({why}); training stopped and "
        f"History.diverged is True. Lower the learning rate η (lr={lr:g}), e.g. by a factor "
        f"of 10.",
        DivergenceWarning,
        stacklevel=3,
    )


def train(
    model: MLP,
    X: np.ndarray,
    y: np.ndarray,
    lr: float,
    epochs: int = 100,
    batch_size: int | None = None,
    l2: float = 0.0,
    seed: int = 0,
    X_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    optimizer: str | Callable[..., None] = "sgd",
    optimizer_options: Mapping[str, Any] | None = None,
) -> History:
    """Gradient descent ``w ← w − η ∇J(w)`` on ``J = loss + λ Σ‖W‖²``, updating ``model`` in place.

    Parameters
    ----------
    model : MLP
    X : ndarray, shape (n, d_0)
        Finite real inputs (NaN or inf raise ``ValueError``).
    y : ndarray
        Training targets (see :class:`MLP`).
    lr : float
        Learning rate ``η >= 0``.
    epochs : int
        Number of passes over the training set, ``>= 1`` (default 100).
    batch_size : int, optional
        None: full-batch gradient descent, one step per epoch. Otherwise the rows are
        shuffled every epoch and split into minibatches of this size (the last one may be
        smaller; with batch norm a last minibatch of one row joins the one before it, since
        one row has no batch variance), one step per minibatch (stochastic gradient descent).
    l2 : float
        ``λ >= 0``, the L2 penalty on the weights.
    seed : int
        Seeds the shuffles and the dropout masks (the initialization is seeded by the
        model's own ``seed``): same model seed and same ``seed``, same History.
    X_val, y_val : ndarray, optional
        Validation data, evaluated after every epoch (both or neither).
    optimizer : {"sgd", "momentum", "rmsprop", "adam"} or callable
        The update rule (see :func:`~nnbook.optim.get_optimizer`): ``"sgd"`` (default) is
        plain gradient descent ``w ← w − η ∇J(w)``; a callable is used as
        ``step(params, grads, state, lr, **optimizer_options)``. The optimizer's ``state``
        starts empty (``{}``) at every call of ``train``.
    optimizer_options : dict, optional
        Hyperparameters of the optimizer, e.g. ``{"beta1": 0.9, "beta2": 0.999}`` for
        ``"adam"`` or ``{"beta": 0.9}`` for ``"momentum"``; an unknown name raises
        ``ValueError``.

    Returns
    -------
    History
        With ``diverged`` True (and one :class:`DivergenceWarning`) if the loss overflowed
        or grew more than ``DIVERGENCE_FACTOR`` times above its value before training.

    Notes
    -----
    Book: chapter 3, Gradient descent; chapter 4, Overfitting.
    """
    if not isinstance(model, MLP):
        raise ValueError(f"model must be an MLP, got {type(model).__name__}")
    X = model._check_X(X, "X")
    y = model._check_y(y, X.shape[0], "y")
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    epochs = check_int(epochs, "epochs")
    if batch_size is not None and (not is_int(batch_size) or batch_size < 1):
        raise ValueError(f"batch_size must be None or an integer >= 1, got {batch_size!r}")
    l2 = check_nonnegative(l2, "l2")
    check_int(seed, "seed", minimum=0)
    if model.batchnorm and (X.shape[0] < 2 or batch_size == 1):
        raise ValueError(
            "batch_size must be >= 2 and X must have >= 2 rows to train with batch norm "
            f"(got batch_size={batch_size!r}, {X.shape[0]} rows): a single row has batch variance 0"
        )
    if optimizer_options is None:
        optimizer_options = {}
    elif not isinstance(optimizer_options, Mapping):
        raise ValueError(f"optimizer_options must be a dict of hyperparameters or None, "
                         f"got {type(optimizer_options).__name__}")
    step = get_optimizer(optimizer)  # ValueError for an unknown name
    if isinstance(optimizer, str):
        check_optimizer_options(optimizer.lower(), optimizer_options)
    plain_gd = isinstance(optimizer, str) and optimizer.lower() == "sgd"
    state: dict = {}  # the optimizer's memory, fresh for every call
    check_pair(X_val, y_val)
    has_val = X_val is not None
    if has_val:
        X_val = model._check_X(X_val, "X_val")
        y_val = model._check_y(y_val, X_val.shape[0], "y_val")

    rng = np.random.default_rng(seed)
    n = X.shape[0]
    full_batch = batch_size is None or batch_size >= n
    L = model.n_layers
    history = History(grad_norms=np.full((epochs, L), np.nan))
    nan = float("nan")
    saved = _snapshot(model)  # arrays to hold the last finite state, reused at every step

    # The arguments were checked above, once: the loop calls the unchecked _loss_and_grads
    # and _sgd_update (the update of sgd_step).
    # Overflow can only come from divergence (every function is stable otherwise): stop there.
    with np.errstate(over="raise", invalid="raise"):
        try:
            start_loss = model._evaluate(X, y)[0]
        except FloatingPointError:  # the model overflows before any step (e.g. a huge init)
            start_loss = np.inf
        for epoch in range(epochs):
            try:
                if full_batch:
                    batches = [(X, y)]
                else:
                    # Shuffle once; the minibatches are then slices (views) of the shuffled copy.
                    order = rng.permutation(n)
                    X_shuffled, y_shuffled = X[order], y[order]
                    starts = list(range(0, n, batch_size))
                    if model.batchnorm and n - starts[-1] == 1:
                        starts.pop()  # with batch norm, a last single row joins the batch before it
                    ends = starts[1:] + [n]
                    batches = [(X_shuffled[i:j], y_shuffled[i:j]) for i, j in zip(starts, ends)]
                norms = np.zeros(L)
                objective = 0.0
                for Xb, yb in batches:
                    # keep the last finite state, to restore it if this step overflows
                    saved = _snapshot(model, saved)
                    loss, grads = model._loss_and_grads(Xb, yb, l2, rng)
                    if plain_gd:
                        _sgd_update(model.params, grads, lr)  # w ← w − η ∇J(w)
                    else:
                        step(model.params, grads, state, lr, **optimizer_options)
                    objective += loss
                    for l in range(L):
                        norms[l] += np.linalg.norm(grads[f"W{l + 1}"])
                train_loss, train_acc = model._evaluate(X, y)
                val_loss, val_acc = model._evaluate(X_val, y_val) if has_val else (nan, nan)
                if not (np.isfinite(train_loss) and np.isfinite(objective)):
                    raise FloatingPointError("non-finite loss")
            except FloatingPointError:
                _restore(model, saved)
                history.diverged = True
                _warn_diverged(epoch + 1, epochs, lr, "the computation overflowed")
                break
            history.grad_norms[epoch] = norms / len(batches)
            history.objective.append(objective / len(batches))
            history.loss.append(train_loss)
            history.accuracy.append(train_acc)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_acc)
            if train_loss > DIVERGENCE_FACTOR * start_loss:
                history.diverged = True
                _warn_diverged(
                    epoch + 1, epochs, lr,
                    f"loss {train_loss:.3g}, more than {DIVERGENCE_FACTOR:g} times its value "
                    f"{start_loss:.3g} before training",
                )
                break

    missing = epochs - len(history.loss)
    for values in (history.loss, history.accuracy, history.val_loss, history.val_accuracy, history.objective):
        values.extend([nan] * missing)
    return history
