"""Checks for the exercises of chapter 12, Conclusion: exercises that combine the chapters.

The references come from the package itself wherever it already computes the answer: the
ridge solution is confirmed by running :func:`nnbook.train` on a one-layer ``MLP`` with the
L2 penalty, a training step is compared with one epoch of ``train``, and gradient profiles
come from real networks built with ``MLP``. When an answer is wrong, each check looks for the
usual mistakes: ``λ`` where ``nλ`` belongs, an intercept that is missing or penalized, the
penalty's factor 2 lost or counted twice, biases penalized, the layers read in reverse order.
"""
from __future__ import annotations

import copy
from functools import partial
from typing import Callable

import numpy as np

from ._check import call, check_close, check_shape, fail, matches, passed

__all__ = ["check_ridge_solution", "check_train_step", "check_diagnose"]


_close = partial(matches, rtol=1e-7, atol=1e-10)  # same shape and values


# ------------------------------------------------------------------ ridge regression
def _ridge(X: np.ndarray, y: np.ndarray, ridge: float, *, center: bool = True,
           intercept: bool = True) -> tuple[np.ndarray, float]:
    """Solve (X̃ᵀX̃ + ridge·I) w = X̃ᵀỹ, b = ȳ − x̄ w (X̃, ỹ centred when ``center``)."""
    d = X.shape[1]
    x_mean, y_mean = (X.mean(axis=0), y.mean()) if center else (np.zeros(d), 0.0)
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + ridge * np.eye(d), Xc.T @ yc)
    b = float(y.mean() - X.mean(axis=0) @ w) if intercept else 0.0
    return w, b


def _ridge_bias_penalized(X: np.ndarray, y: np.ndarray, ridge: float) -> tuple[np.ndarray, float]:
    """The same linear model with b appended to w and penalized like the weights."""
    n, d = X.shape
    Xa = np.hstack([X, np.ones((n, 1))])
    theta = np.linalg.solve(Xa.T @ Xa + ridge * np.eye(d + 1), Xa.T @ y)
    return theta[:d], float(theta[d])


def _ridge_data(n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Inputs and targets away from 0 on purpose: the intercept matters.
    X = rng.normal(size=(n, d)) + rng.uniform(-1.0, 1.0, size=d)
    y = X @ rng.normal(size=d) + 3.0 + 0.3 * rng.normal(size=n)
    return X, y


def check_ridge_solution(my_ridge_solution: Callable) -> bool:
    """Check ``my_ridge_solution(X, y, lam) -> (w, b)``, the minimizer of the ridge objective.

    Book: chapter 12 (conclusion), Exercises. The objective is the one that ``MLP([d, 1], loss="mse")``
    trained with ``l2=lam`` minimizes, ``J(w, b) = (1/n) Σ_k (x_k w + b − y_k)² + λ ‖w‖²``
    with the bias not penalized, so ``w = (X̃ᵀX̃ + nλ I)⁻¹ X̃ᵀỹ`` on centred data and
    ``b = ȳ − x̄ w``. Cases: ``n > d``, ``d > n`` (where only ``λ > 0`` makes the solution
    unique) and ``λ = 0``. Recognizes ``λ`` in place of ``nλ``, a factor 2 on the penalty,
    a missing or penalized intercept, uncentred data and an ignored ``λ``. Finally, the
    answer must agree with 500 steps of :func:`nnbook.train` on the same problem.
    """
    ex = "ex-ch12-ridge-code"
    for n, d, lam, seed in [(40, 3, 0.1, 80), (6, 10, 0.05, 81), (30, 4, 0.0, 82)]:
        X, y = _ridge_data(n, d, seed)
        at = f"X of shape ({n}, {d}), λ = {lam}"
        out = call(ex, my_ridge_solution, X.copy(), y.copy(), lam)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            fail(ex, "my_ridge_solution must return the pair (w, b)")
        w = np.asarray(out[0], dtype=float)
        if w.shape == (d, 1):
            fail(ex, f"w has shape {w.shape}, expected ({d},): return a 1-D vector, e.g. w.ravel()")
        w = check_shape(ex, f"w ({at})", w, (d,))
        b = np.asarray(out[1], dtype=float)
        if b.size != 1:
            fail(ex, f"b should be one number, got an array of shape {b.shape} ({at})")
        b = float(b.ravel()[0])
        if not (np.all(np.isfinite(w)) and np.isfinite(b)):
            fail(ex, f"w or b contains inf or nan ({at})")
        w_ref, b_ref = _ridge(X, y, n * lam)
        if _close(w, w_ref) and _close(b, b_ref):
            continue
        wrong = {}
        if lam > 0:
            wrong.update({
                "the penalty enters as λ instead of nλ: (X̃ᵀX̃ + λI) solves the SUM of squared "
                "errors, but J averages them; setting (2/n) X̃ᵀ(X̃w − ỹ) + 2λw = 0 gives "
                "X̃ᵀX̃ + nλI": _ridge(X, y, lam),
                "λ is ignored: this is plain least squares; the penalty adds nλI to X̃ᵀX̃":
                    _ridge(X, y, 0.0) if n > d else None,
                "a factor 2 is off (2nλ): the data term and the penalty each bring a 2 to the "
                "gradient, and the two cancel": _ridge(X, y, 2 * n * lam),
                "a factor 2 is off (nλ/2): the data term and the penalty each bring a 2 to the "
                "gradient, and the two cancel": _ridge(X, y, n * lam / 2),
                "the bias was penalized too: the book's penalty λ Σ θ² covers the weights "
                "only, so b = ȳ − x̄ w exactly": _ridge_bias_penalized(X, y, n * lam),
            })
        wrong.update({
            "there is no intercept (b = 0 and X, y not centred): the model is x w + b; "
            "∂J/∂b = 0 gives b = ȳ − x̄ w, and then w solves the centred problem":
                _ridge(X, y, n * lam, center=False, intercept=False),
            "b is missing: w is right, but the intercept is b = ȳ − x̄ w, not 0":
                (w_ref, 0.0),
            "X and y must be centred before solving for w (X̃ = X − x̄, ỹ = y − ȳ), because "
            "the unpenalized b absorbs the means": _ridge(X, y, n * lam, center=False),
        })
        for message, candidate in wrong.items():
            if candidate is not None and _close(w, candidate[0]) and _close(b, candidate[1]):
                fail(ex, f"{message} ({at})")
        check_close(ex, f"w ({at})", w, w_ref, rtol=1e-6, atol=1e-9,
                    hint="w = (X̃ᵀX̃ + nλI)⁻¹ X̃ᵀỹ with X̃ = X − x̄, ỹ = y − ȳ")
        check_close(ex, f"b ({at})", b, b_ref, rtol=1e-6, atol=1e-9, hint="b = ȳ − x̄ w")

    # The package's gradient descent on J + λ‖W‖² lands on the same point.
    from ..network import MLP, train  # imported here: only this part needs the network

    n, d, lam = 40, 3, 0.1
    X, y = _ridge_data(n, d, 80)
    w, b = call(ex, my_ridge_solution, X.copy(), y.copy(), lam)
    Xa = np.hstack([X, np.ones((n, 1))])
    hessian = (2 / n) * Xa.T @ Xa + 2 * lam * np.diag([1.0] * d + [0.0])
    mu = np.linalg.eigvalsh(hessian)
    model = MLP([d, 1], loss="mse", seed=0)
    train(model, X, y, lr=2 / (mu[0] + mu[-1]), epochs=500, l2=lam)
    check_close(ex, "w compared with 500 steps of train(MLP([3, 1], loss='mse'), l2=0.1)",
                np.asarray(w, dtype=float), model.params["W1"][:, 0], rtol=1e-6, atol=1e-9)
    check_close(ex, "b compared with 500 steps of train(MLP([3, 1], loss='mse'), l2=0.1)",
                float(np.asarray(b).ravel()[0]), model.params["b1"][0], rtol=1e-6, atol=1e-9)
    return passed(ex, "w = (X̃ᵀX̃ + nλI)⁻¹X̃ᵀỹ, b = ȳ − x̄w, the point where gradient descent "
                      "with the L2 penalty converges")


# ------------------------------------------------------------------ one training step
def _step_problem(seed: int = 88):
    """A small batch-normalized MLP whose biases, γ and β are far from their initial values."""
    from ..network import MLP  # imported here: the network module is only needed by the checks

    rng = np.random.default_rng(seed)
    model = MLP([4, 6, 3], activation="tanh", loss="ce", batchnorm=True, seed=seed)
    for name, value in model.params.items():
        if not name.startswith("W"):  # biases start at 0, γ at 1: move them, so a penalty shows
            value += rng.normal(0.0, 0.5, size=value.shape)
    X = rng.normal(size=(24, 4))
    y = rng.integers(0, 3, size=24)
    return model, X, y


def check_train_step(my_train_step: Callable) -> bool:
    """Check ``my_train_step(model, X, y, lr, l2)``: one step ``θ ← θ − η ∇(J + λ Σ_l ‖W^(l)‖²)``.

    Book: chapter 12 (conclusion), Exercises (chapter 3, gradient descent; chapter 4, L2). The step must
    update ``model.params`` like one full-batch epoch of :func:`nnbook.train` with
    ``l2=lam`` (the reference), and return ``J + λ Σ ‖W^(l)‖²`` at the parameters before the
    step. The model has batch norm, so ``params`` holds ``W``, ``b``, ``gamma`` and ``beta``;
    only the ``W`` are penalized. Recognizes penalized biases/γ/β, a lost or doubled factor 2
    (``λW`` or ``l2`` passed to ``loss_and_grads`` and added again), a missing penalty, an
    ascent step, an ignored learning rate and parameters that are never written back.
    """
    from ..network import train

    ex = "ex-ch12-train-step-code"
    lr, lam = 0.3, 0.05
    model, X, y = _step_problem()
    before = {k: v.copy() for k, v in model.params.items()}
    _, grads = copy.deepcopy(model).loss_and_grads(X, y)  # data-loss gradient only
    objective, _ = copy.deepcopy(model).loss_and_grads(X, y, l2=lam)
    reference = copy.deepcopy(model)
    train(reference, X, y, lr=lr, epochs=1, l2=lam)

    student = copy.deepcopy(model)
    out = call(ex, my_train_step, student, X.copy(), y.copy(), lr, lam)
    params = student.params
    if set(params) != set(before):
        fail(ex, f"model.params now has keys {sorted(params)}, expected {sorted(before)}")
    if all(np.array_equal(params[k], before[k]) for k in params):
        fail(ex, "model.params did not change: write the new values back, e.g. "
                 "model.params[name] = ... or model.params[name] -= ...")

    for k in before:
        got = np.asarray(check_shape(ex, f"model.params[{k!r}]", params[k], before[k].shape),
                         dtype=float)
        p, g = before[k], grads[k]
        if k.startswith("W"):
            wrong = {
                "the penalty's gradient is λW; differentiating λ Σ W² gives 2λW":
                    p - lr * (g + lam * p),
                "the penalty is counted twice (4λW): loss_and_grads(X, y, l2=...) already adds "
                "2λW; call it without l2 and add 2λW once": p - lr * (g + 4 * lam * p),
                "the L2 penalty is missing: add 2λW to the gradient of every weight matrix":
                    p - lr * g,
                "the step goes uphill: gradient DEScent subtracts, θ − η ∇J":
                    p + lr * (g + 2 * lam * p),
                "the learning rate η is ignored: θ − η (∇J + 2λW)": p - (g + 2 * lam * p),
            }
        else:
            wrong = {
                f"{k} was penalized: biases and the batch-norm parameters γ, β are not in the "
                "penalty λ Σ ‖W^(l)‖², so they take the plain step θ − η ∂J/∂θ":
                    p - lr * (g + 2 * lam * p),
                f"{k} did not move: every parameter takes a gradient step, only the penalty is "
                "restricted to the weights": p,
                "the step goes uphill: gradient DEScent subtracts, θ − η ∂J/∂θ": p + lr * g,
                "the learning rate η is ignored: θ − η ∂J/∂θ": p - g,
            }
        if not _close(got, reference.params[k], rtol=1e-9, atol=1e-12):
            for message, candidate in wrong.items():
                if _close(got, candidate, rtol=1e-9, atol=1e-12):
                    fail(ex, f"model.params[{k!r}]: {message}")
        check_close(ex, f"model.params[{k!r}] after the step", got, reference.params[k],
                    rtol=1e-9, atol=1e-12, at=f"η = {lr}, λ = {lam}",
                    hint="θ − η (∂J/∂θ + 2λθ) for the weights, θ − η ∂J/∂θ for the rest")

    if out is None:
        fail(ex, "my_train_step returned nothing: return the objective J + λ Σ ‖W^(l)‖² "
                 "at the parameters before the step")
    value = np.asarray(out, dtype=float)
    if value.size != 1:
        fail(ex, f"the returned objective should be one number, got shape {value.shape}")
    value = float(value.ravel()[0])
    if not np.isclose(value, objective, rtol=1e-9):
        data_loss = objective - lam * sum(np.sum(before[k] ** 2) for k in before if k[0] == "W")
        everything = data_loss + lam * sum(np.sum(v ** 2) for v in before.values())
        if np.isclose(value, data_loss, rtol=1e-9):
            fail(ex, f"the returned value {value:.6g} is the data loss alone; return "
                     f"J + λ Σ ‖W^(l)‖² = {objective:.6g}")
        if np.isclose(value, everything, rtol=1e-9):
            fail(ex, f"the returned value {value:.6g} penalizes biases, γ and β too; the "
                     f"objective is J + λ Σ ‖W^(l)‖² = {objective:.6g} (weights only)")
        fail(ex, f"the returned value is {value:.6g}, expected J + λ Σ ‖W^(l)‖² = "
                 f"{objective:.6g} at the parameters before the step")
    return passed(ex, "the step matches one epoch of train(..., l2=λ), objective included")


# ------------------------------------------------------------------ gradient profiles
LABELS = ("vanishing", "healthy", "exploding")


def _diagnosis(norms: np.ndarray) -> str:
    r = norms[0] / norms[-1]
    return "vanishing" if r < 1e-2 else "exploding" if r > 1e2 else "healthy"


def _network(activation: str, hidden: int, init, seed: int = 8, width: int = 32):
    """A check network at initialization and its data: 16 inputs, ``hidden`` layers of
    ``width`` units, 4 classes."""
    from ..network import MLP

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(128, 16))
    y = rng.integers(0, 4, size=128)
    model = MLP([16] + [width] * hidden + [4], activation=activation, init=init, seed=seed)
    return model, X, y


def _network_norms(activation: str, hidden: int, init, seed: int = 8,
                   width: int = 32) -> np.ndarray:
    """``(‖∂J/∂W^(1)‖, ..., ‖∂J/∂W^(L)‖)`` of a check network at initialization."""
    model, X, y = _network(activation, hidden, init, seed, width)
    _, grads = model.loss_and_grads(X, y)
    return np.array([np.linalg.norm(grads[f"W{l}"]) for l in range(1, model.n_layers + 1)])


def _sqrt_q(activation: str, hidden: int, init, seed: int = 8, width: int = 32) -> float:
    """Chapter 5's per-layer estimate ``√q = √(d · Var(W) · E[φ'(z)²])`` for a check network,
    with ``Var(W)`` and ``φ'(z)`` measured on its hidden-to-hidden layers at initialization."""
    from ..activations import relu_grad, sigmoid_grad, tanh_grad

    model, X, _ = _network(activation, hidden, init, seed, width)
    _, values = model.forward(X, return_cache=True)
    grad = {"sigmoid": sigmoid_grad, "tanh": tanh_grad, "relu": relu_grad}[activation]
    z = np.concatenate([values[f"z{l}"] for l in range(2, hidden + 1)])
    v = np.var(np.concatenate([model.params[f"W{l}"].ravel() for l in range(2, hidden + 1)]))
    return float(np.sqrt(width * v * np.mean(grad(z) ** 2)))


def check_diagnose(my_diagnose: Callable) -> bool:
    """Check ``my_diagnose(grad_norms) -> str`` on crafted profiles and on real networks.

    Book: chapter 12 (conclusion), Exercises (chapter 5, vanishing gradients; chapter 7, RNNs). With
    ``r = grad_norms[0] / grad_norms[-1]`` (layer 1 over layer L), the answer is
    ``"vanishing"`` for ``r < 1e-2``, ``"exploding"`` for ``r > 1e2`` and ``"healthy"``
    otherwise. The real networks, as chapter 5 measured and explained them: sigmoid with
    Xavier initialization (vanishing: slope 1/4 at 0, so ``√q ≈ 1/4`` per layer), ReLU with He
    (healthy) and tanh with 12 hidden layers of width 32 and weights of standard deviation 1,
    far above Xavier's: the units saturate, but ``d · Var(W) = 32`` grows faster than
    ``E[tanh'(z)²]`` shrinks, so chapter 5's per-layer factor ``√q = √(d Var(W) E[tanh'(z)²])``
    is well above 1 (exploding). Recognizes the ratio taken last/first (layers reversed) and
    a diagnosis from the overall size of the norms instead of their ratio.
    """
    ex = "ex-ch12-diagnose-code"
    crafted = [
        ("norms of similar size", [0.3, 0.5, 0.4, 0.6]),
        ("tiny norms, all of the same size", [2e-9, 1e-9, 3e-9]),
        ("huge norms, all of the same size", [3e4, 1e4, 2e4]),
        ("norms shrinking towards the input", [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]),
        ("norms growing towards the input", [50.0, 5.0, 0.5, 0.05]),
        ("tiny norms growing towards the input", [1e-4, 1e-6, 1e-7]),
        ("norms that peak in the middle", [1e-3, 10.0, 1.0]),
        ("a single layer", [0.7]),
    ]
    cases = [(name, np.array(norms)) for name, norms in crafted]
    for activation, hidden, init, name in [
        ("sigmoid", 8, None, "a sigmoid MLP with 8 hidden layers (Xavier)"),
        ("relu", 8, None, "a ReLU MLP with 8 hidden layers (He)"),
        ("tanh", 12, 1.0, "a tanh MLP with 12 hidden layers, weights of std 1"),
    ]:
        cases.append((name, _network_norms(activation, hidden, init)))

    for name, norms in cases:
        got = call(ex, my_diagnose, norms.copy())
        expected = _diagnosis(norms)
        r = norms[0] / norms[-1]
        at = f"{name}: grad_norms = {np.array2string(norms, precision=2)}, first / last = {r:.3g}"
        if not isinstance(got, str) or got not in LABELS:
            fail(ex, f"return one of the strings {LABELS}, got {got!r} ({at})")
        if got == expected:
            continue
        flipped = call(ex, my_diagnose, norms[::-1].copy())
        if got == _diagnosis(norms[::-1]) and flipped == expected:
            fail(ex, f"answered {got!r} for {at}, expected {expected!r}: the layers look "
                     "reversed; grad_norms[0] is layer 1, the input side, and a vanishing "
                     "gradient is SMALL there: use r = grad_norms[0] / grad_norms[-1]")
        if got == flipped and _diagnosis(norms[::-1]) != expected:
            fail(ex, f"answered {got!r} for {at}, expected {expected!r}, and the same for the "
                     "layers in reverse order: the answer must depend on WHICH end is small "
                     "(vanishing: layer 1 gets the small gradient; exploding: the large one), "
                     "so use the directed ratio r = grad_norms[0] / grad_norms[-1]")
        if np.ptp(np.log10(norms)) < 1 and expected == "healthy":
            fail(ex, f"answered {got!r} for {at}, expected 'healthy': all layers receive "
                     "gradients of the same size; the diagnosis is about the ratio across "
                     "depth, not about how large the norms are")
        fail(ex, f"answered {got!r} for {at}, expected {expected!r} "
                 "(r < 1e-2 vanishing, r > 1e2 exploding, otherwise healthy)")
    return passed(ex, "crafted profiles, and sigmoid / ReLU / large-weight tanh networks "
                      "diagnosed as vanishing / healthy / exploding")
