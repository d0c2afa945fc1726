"""How the optimizers behave: quadratics and their rates, paths, minibatch noise, controlled runs.

The update rules are in :mod:`nnbook.optim`; this module measures them. On a quadratic
J(w) = (1/n)‖Aw − y‖² (chapter 3's valley) the rates of gradient descent and of the heavy
ball follow from the eigenvalues μ of ∇²J; :func:`run_path` records an optimizer's iterates;
:func:`minibatch_gradient_variance` measures the noise of a minibatch gradient; and
:func:`train_with` trains an :class:`~nnbook.network.MLP` with any optimizer and learning-rate
schedule, drawing its minibatches from ``seed`` alone, so that two runs that differ only in the
optimizer see the same initialization and the same minibatches.

Book: chapter 8, Optimization.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ._validate import check_int, check_nonnegative, check_pair, check_positive, check_unit_interval
from .data import make_regression_1d
from .network import MLP
from .optim import get_optimizer

__all__ = [
    "Quadratic", "valley_quadratic", "quadratic_rates", "momentum_rate", "run_path", "minibatch_path",
    "measured_rate", "make_unique_features", "minibatch_gradient_variance", "Run", "train_with",
]


@dataclass(frozen=True)
class Quadratic:
    r"""The least-squares loss J(w) = (1/n)‖A w − y‖², a quadratic bowl with constant Hessian.

    ``A`` has shape ``(n, d)``, ``y`` ``(n,)``; ∇J(w) = (2/n) Aᵀ(Aw − y) and
    ∇²J = (2/n) AᵀA, whose eigenvalues μ_min ≤ … ≤ μ_max give κ = μ_max/μ_min.

    Book: chapter 8, Momentum (chapter 3's valley).
    """

    A: np.ndarray
    y: np.ndarray

    @property
    def hessian(self) -> np.ndarray:
        """∇²J = (2/n) AᵀA, shape ``(d, d)``."""
        return 2.0 / len(self.y) * self.A.T @ self.A

    @property
    def mu(self) -> np.ndarray:
        """The eigenvalues μ of ∇²J in increasing order."""
        return np.linalg.eigvalsh(self.hessian)

    @property
    def kappa(self) -> float:
        """The condition number κ = μ_max/μ_min."""
        mu = self.mu
        return float(mu[-1] / mu[0])

    @property
    def w_star(self) -> np.ndarray:
        """The minimizer (least-squares solution), shape ``(d,)``."""
        return np.linalg.lstsq(self.A, self.y, rcond=None)[0]

    def loss(self, w: np.ndarray) -> np.ndarray:
        """J(w) = mean((A w − y)²); ``w`` of shape ``(d,)`` or ``(..., d)`` (a grid of points).

        ``inf`` (without a warning) where J exceeds the floating-point range, as on a diverged path.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            residual = np.asarray(w) @ self.A.T - self.y
            return np.mean(residual**2, axis=-1)

    def grad(self, w: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """∇J(w) = (2/n) Aᵀ(A w − y), shape ``(d,)``; over the minibatch ``rows`` if given."""
        A, y = (self.A, self.y) if rows is None else (self.A[rows], self.y[rows])
        return 2.0 / len(y) * (A.T @ (A @ w - y))


def valley_quadratic() -> Quadratic:
    """Chapter 3's narrow valley: a line ŷ = w x + c fitted to 40 points with x in [0, 3].

    The data are ``make_regression_1d(40, noise=0.2, seed=0, low=0.0, high=3.0)``; the
    parameters are w = (w, c), A = [x, 1]; κ ≈ 22. Book: chapter 3, In two dimensions;
    chapter 8, Momentum.
    """
    x, y = make_regression_1d(40, noise=0.2, seed=0, low=0.0, high=3.0)
    return Quadratic(np.column_stack([x[:, 0], np.ones(len(x))]), y[:, 0])


def quadratic_rates(mu_min: float, mu_max: float) -> dict[str, float]:
    r"""The best constant step sizes on a quadratic and the rates they give, per step.

    Gradient descent at η = 2/(μ_min + μ_max) contracts the error by (κ − 1)/(κ + 1) per
    step; the heavy ball at η = 4/(√μ_max + √μ_min)², β₁ = ((√κ − 1)/(√κ + 1))² by
    (√κ − 1)/(√κ + 1). Returns ``eta_gd, rate_gd, eta_momentum, beta_momentum,
    rate_momentum``.

    Book: chapter 8, Momentum.
    """
    mu_min = check_positive(mu_min, "mu_min")
    mu_max = check_positive(mu_max, "mu_max")
    if mu_max < mu_min:
        raise ValueError(f"mu_max must be >= mu_min, got {mu_max!r} < {mu_min!r}")
    kappa, root = mu_max / mu_min, np.sqrt(mu_max / mu_min)
    rate_momentum = float((root - 1) / (root + 1))
    return {
        "eta_gd": 2.0 / (mu_min + mu_max),
        "rate_gd": float((kappa - 1) / (kappa + 1)),
        "eta_momentum": float(4.0 / (np.sqrt(mu_max) + np.sqrt(mu_min)) ** 2),
        "beta_momentum": rate_momentum**2,
        "rate_momentum": rate_momentum,
    }


def momentum_rate(eta: float, beta: float, mu: Sequence[float]) -> float:
    r"""ρ of the heavy ball's iteration on a quadratic: the worst rate over the eigenvalues μ.

    Along an eigenvector with eigenvalue μ the error follows
    e_{t+1} = (1 + β₁ − ημ) e_t − β₁ e_{t−1}; its rate is the largest modulus ``|z|`` of the roots of
    z² − (1 + β₁ − ημ) z + β₁ = 0. With β₁ = 0 this is gradient descent's ``|1 − ημ|``.

    Book: chapter 8, Momentum.
    """
    eta = check_nonnegative(eta, "eta")
    beta = check_unit_interval(beta, "beta")
    worst = 0.0
    for m in np.atleast_1d(np.asarray(mu, dtype=float)):
        roots = np.roots([1.0, -(1.0 + beta - eta * m), beta])
        worst = max(worst, float(np.max(np.abs(roots))))
    return worst


def run_path(grad: Callable[[np.ndarray], np.ndarray], w0: Sequence[float], optimizer: Any,
             lr: float, steps: int, **options: Any) -> np.ndarray:
    """The iterates w_0, w_1, …, w_steps of ``optimizer`` on ∇J = ``grad``, shape ``(steps + 1, d)``.

    ``optimizer`` is a name or callable for :func:`nnbook.optim.get_optimizer`; ``options``
    its hyperparameters. Stops early (the rest ``nan``) if an iterate is no longer finite.
    Book: chapter 8, The optimizers on a 2-D surface.
    """
    step = get_optimizer(optimizer)
    steps = check_int(steps, "steps", minimum=0)
    params, state = {"w": np.array(w0, dtype=float)}, {}
    path = np.full((steps + 1, params["w"].size), np.nan)
    path[0] = params["w"]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            g = grad(params["w"])
            if not np.all(np.isfinite(g)):  # diverged: the path ends here
                break
            step(params, {"w": g}, state, lr, **options)
            if not np.all(np.isfinite(params["w"])):
                break
            path[t] = params["w"]
    return path


def minibatch_path(quadratic: Quadratic, w0: Sequence[float], lr: float, steps: int,
                   batch_size: int, seed: int = 0) -> np.ndarray:
    """Minibatch SGD on ``quadratic``: w ← w − η g_B, shape ``(steps + 1, d)``.

    Each epoch visits the n rows in a random order drawn from ``seed``, B rows per step
    (``batch_size = n`` is full-batch gradient descent). Book: chapter 8, Minibatch SGD.
    """
    steps = check_int(steps, "steps", minimum=0)
    n = len(quadratic.y)
    batch_size = check_int(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"batch_size must be at most n = {n}, got {batch_size}")
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    rng = np.random.default_rng(seed)
    params = {"w": np.array(w0, dtype=float)}
    path = np.empty((steps + 1, params["w"].size))
    path[0] = params["w"]
    order, start = rng.permutation(n), 0
    for t in range(1, steps + 1):
        if start + batch_size > n:
            order, start = rng.permutation(n), 0
        rows = order[start : start + batch_size]
        start += batch_size
        params["w"] -= lr * quadratic.grad(params["w"], rows)
        path[t] = params["w"]
    return path


def measured_rate(errors: Sequence[float], start: int, stop: int) -> float:
    """The mean contraction per step between steps ``start`` and ``stop``: (e_stop/e_start)^(1/(stop − start)).

    Book: chapter 8, Momentum.
    """
    errors = np.asarray(errors, dtype=float)
    if not 0 <= start < stop < len(errors):
        raise ValueError(f"start and stop must satisfy 0 <= start < stop < {len(errors)}, got {start}, {stop}")
    return float((errors[stop] / errors[start]) ** (1.0 / (stop - start)))


def make_unique_features(n: int = 40, p: float = 0.6, n_test: int = 1000,
                         seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""A regression on which adaptive methods generalize badly (Wilson et al., 2017, §3.3).

    Labels y_k = ±1 (+1 with probability p). Row k has d = 6n features: x_{k1} = y_k (the
    feature that predicts the label), x_{k2} = x_{k3} = 1 (shared by all rows), and a block of
    features that only row k has: one if y_k = 1, five if y_k = −1. A test row has the first
    three features and unique features never seen in training (zero here, since no method
    moves a weight whose gradient was always 0). Returns ``(X, y, X_test, y_test)``.

    Book: chapter 8, Where Adam is not the answer.
    """
    n = check_int(n, "n")
    n_test = check_int(n_test, "n_test")
    p = check_unit_interval(p, "p")
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(n) < p, 1.0, -1.0)
    X = np.zeros((n, 6 * n))
    X[:, 0], X[:, 1:3] = y, 1.0
    for k in range(n):
        start = 3 + 5 * k
        X[k, start : start + (1 if y[k] > 0 else 5)] = 1.0
    y_test = np.where(rng.random(n_test) < p, 1.0, -1.0)
    X_test = np.zeros((n_test, 6 * n))
    X_test[:, 0], X_test[:, 1:3] = y_test, 1.0
    return X, y, X_test, y_test


def _flat(grads: Mapping[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([g.ravel() for g in grads.values()])


def minibatch_gradient_variance(model: MLP, X: np.ndarray, y: np.ndarray,
                                batch_sizes: Sequence[int], draws: int = 200,
                                seed: int = 0) -> dict[str, Any]:
    r"""Measure the noise of the minibatch gradient g_B around the full gradient ∇J.

    For each B, ``draws`` minibatches of B rows drawn uniformly *with replacement* give
    E‖g_B − ∇J‖² (``variance[B]``) and ‖mean of the g_B − ∇J‖ (``bias[B]``); with the
    per-example spread σ² = (1/N) Σ_k ‖∇J_k − ∇J‖² the theory says E[g_B] = ∇J and
    E‖g_B − ∇J‖² = σ²/B. Returns ``{"variance", "bias", "sigma2", "full_norm"}``.

    Book: chapter 8, Minibatch SGD.
    """
    draws = check_int(draws, "draws", minimum=2)
    batch_sizes = [check_int(b, "batch_sizes") for b in batch_sizes]
    rng = np.random.default_rng(seed)
    _, full = model.loss_and_grads(X, y)
    full = _flat(full)
    per_example = np.stack([_flat(model.loss_and_grads(X[k : k + 1], y[k : k + 1])[1])
                            for k in range(len(X))])
    sigma2 = float(np.mean(np.sum((per_example - full) ** 2, axis=1)))
    variance, bias = {}, {}
    for B in batch_sizes:
        # the minibatch gradient is the mean of its rows' gradients (the loss is a mean)
        idx = rng.integers(0, len(X), size=(draws, B))
        g = np.stack([per_example[rows].mean(axis=0) for rows in idx])
        variance[B] = float(np.mean(np.sum((g - full) ** 2, axis=1)))
        bias[B] = float(np.linalg.norm(g.mean(axis=0) - full))
    return {"variance": variance, "bias": bias, "sigma2": sigma2,
            "full_norm": float(np.linalg.norm(full))}


@dataclass
class Run:
    """What :func:`train_with` records: per epoch on the whole sets, and per step.

    ``loss``/``accuracy`` on the training set and ``val_loss``/``val_accuracy`` (``nan``
    without validation data) after each epoch, evaluation mode; ``step_loss`` the minibatch
    loss before each step; ``lr`` the η of each step; ``diverged`` if an update overflowed.
    Book: chapter 8, The optimizers side by side.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    diverged: bool = False


def train_with(model: MLP, X: np.ndarray, y: np.ndarray, optimizer: Any = "sgd", lr: float = 0.1,
               epochs: int = 10, batch_size: int = 32, seed: int = 0,
               options: Mapping[str, Any] | None = None, schedule: Sequence[float] | None = None,
               X_val: np.ndarray | None = None, y_val: np.ndarray | None = None) -> Run:
    r"""Train ``model`` in place by minibatch steps of ``optimizer``: w ← step(w, ∇J_B, η_t).

    The minibatches of every epoch are a permutation drawn from ``seed`` alone, so runs that
    differ in the optimizer, η or schedule see the same batches in the same order.
    ``schedule`` (one η per step, length ``epochs × ceil(N / batch_size)``, e.g. from
    :mod:`nnbook.schedules`) replaces the constant ``lr``. Stops, marking ``diverged``, if the
    loss is no longer finite.

    Book: chapter 8, The optimizers side by side.
    """
    step = get_optimizer(optimizer)
    options = dict(options or {})
    epochs = check_int(epochs, "epochs")
    batch_size = check_int(batch_size, "batch_size")
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    check_pair(X_val, y_val)
    n = len(X)
    per_epoch = -(-n // batch_size)
    if schedule is None:
        rates = np.full(epochs * per_epoch, lr)
    else:
        rates = np.asarray(schedule, dtype=float)
        if rates.shape != (epochs * per_epoch,) or not np.all(np.isfinite(rates)) or np.any(rates < 0):
            raise ValueError(f"schedule must hold epochs × ceil(N / batch_size) = {epochs * per_epoch} "
                             f"finite learning rates >= 0, got shape {rates.shape}")
    rng = np.random.default_rng(seed)
    state: dict = {}
    run = Run()
    t = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                loss, grads = model.loss_and_grads(X[idx], y[idx])
                if not np.isfinite(loss):
                    run.diverged = True
                    break
                step(model.params, grads, state, float(rates[t]), **options)
                run.step_loss.append(float(loss))
                run.lr.append(float(rates[t]))
                t += 1
            if run.diverged:
                break
            loss, acc = model.evaluate(X, y)
            run.loss.append(float(loss))
            run.accuracy.append(float(acc))
            if X_val is not None:
                v_loss, v_acc = model.evaluate(X_val, y_val)
            else:
                v_loss = v_acc = float("nan")
            run.val_loss.append(float(v_loss))
            run.val_accuracy.append(float(v_acc))
    return run
