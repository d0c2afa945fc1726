"""Checks for the exercises of chapter 5 (vanishing gradients, ReLU, batch normalization).

The reference values are computed here from the book's formulas. When an answer is wrong,
the check looks for the usual mistakes: the unbiased batch variance, a missing ``ε``,
normalizing over the wrong axis, Xavier's variance where He's was asked, a variance used
as a standard deviation, gradient norms squared or listed in the wrong order.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._check import call, check_close, check_shape, fail, passed

__all__ = ["check_batchnorm_forward", "check_he_init", "check_grad_norms"]


def _bn(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float, *, ddof: int = 0,
        axis: int = 0, eps_inside: bool = True) -> np.ndarray:
    mu = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, ddof=ddof, keepdims=True)
    scale = np.sqrt(var + eps) if eps_inside else np.sqrt(var) + eps
    with np.errstate(divide="ignore", invalid="ignore"):
        return gamma * (x - mu) / scale + beta


def check_batchnorm_forward(fn: Callable) -> bool:
    """Check ``fn(x, gamma, beta, eps) -> out`` (training mode, biased batch variance).

    ``out = γ x̂ + β``, ``x̂ = (x − μ_B)/√(σ²_B + ε)`` per column; ``x`` of shape (n, d).
    Book: chapter 5, Exercises (Batch normalization, forward).
    """
    ex = "ex-ch05-batchnorm-code"
    rng = np.random.default_rng(50)
    n, d = 4, 3
    # Column 0 ordinary, column 1 large and shifted, column 2 with a variance near eps.
    x = rng.normal(0.0, 1.0, (n, d)) * np.array([1.0, 30.0, 3e-3]) + np.array([0.0, 100.0, 1.0])
    gamma = np.array([1.5, 0.5, 2.0])
    beta = np.array([0.1, -0.3, 0.7])
    eps = 1e-5

    out = check_shape(ex, "the output", call(ex, fn, x.copy(), gamma, beta, eps=eps), (n, d))
    if not np.all(np.isfinite(out)):
        fail(ex, "the output contains inf or nan")
    expected = _bn(x, gamma, beta, eps)
    if not np.allclose(out, expected, rtol=1e-7, atol=1e-10):
        wrong = {
            "the variance divides by n − 1 (unbiased, ddof=1); batch norm uses the biased batch "
            "variance σ²_B = (1/n) Σ_k (x_k − μ_B)² over the n rows": _bn(x, gamma, beta, eps, ddof=1),
            "ε is missing: divide by √(σ²_B + ε), which also keeps a constant feature finite":
                _bn(x, gamma, beta, 0.0),
            "ε is added after the square root; the book divides by √(σ²_B + ε)":
                _bn(x, gamma, beta, eps, eps_inside=False),
            "the statistics were taken over the features (axis 1); batch norm averages over "
            "the batch, axis 0, one mean and variance per feature":
                _bn(x, gamma, beta, eps, axis=1),
            "γ and β were not applied: the output is γ x̂ + β": _bn(x, 1.0, 0.0, eps),
            "the variance is used where its square root belongs: x̂ = (x − μ_B)/√(σ²_B + ε)":
                gamma * (x - x.mean(0)) / (x.var(0) + eps) + beta,
        }
        for message, candidate in wrong.items():
            if candidate.shape == out.shape and np.allclose(out, candidate, rtol=1e-7, atol=1e-10):
                fail(ex, message)
        check_close(ex, "the output", out, expected, rtol=1e-7, atol=1e-10,
                    hint="x̂ = (x − μ_B)/√(σ²_B + ε), out = γ x̂ + β, statistics over axis 0")

    # A constant feature has σ²_B = 0: only ε keeps the output finite (it is exactly β there).
    x_const = x.copy()
    x_const[:, 0] = 2.5
    out = check_shape(ex, "the output", call(ex, fn, x_const.copy(), gamma, beta, eps=eps),
                      (n, d))
    if not np.all(np.isfinite(out)):
        fail(ex, "a constant feature (σ²_B = 0) gives inf or nan: add ε inside the square root")
    check_close(ex, "the output", out, _bn(x_const, gamma, beta, eps), rtol=1e-7, atol=1e-10,
                at="with a constant feature, where the output must equal β")
    return passed(ex, "batch mean, biased variance, ε in the root")


def check_he_init(fn: Callable) -> bool:
    """Check ``fn(fan_in, fan_out, rng) -> W``: shape (fan_in, fan_out), std √(2/fan_in).

    ``W ~ N(0, 2/d_{l−1})`` with ``d_{l−1} = fan_in``. Book: chapter 5, Exercises (He
    initialization).
    """
    ex = "ex-ch05-he-code"
    fan_in, fan_out = 400, 100
    W = np.asarray(call(ex, fn, fan_in, fan_out, np.random.default_rng(0)))
    if W.shape == (fan_out, fan_in):
        fail(ex, f"W has shape {W.shape}: W looks transposed; the book's W has shape "
             "(d_in, d_out) = (fan_in, fan_out) because z = x @ W + b")
    W = check_shape(ex, "W", W, (fan_in, fan_out))
    again = np.asarray(call(ex, fn, fan_in, fan_out, np.random.default_rng(0)))
    if not np.array_equal(W, again):
        fail(ex, "two calls with the same rng seed gave different weights: draw from the rng "
             "argument, not from np.random")
    std = W.std()
    if abs(W.mean()) > 0.1 * std:
        fail(ex, f"the weights have mean {W.mean():.3g}; they should be centred at 0")
    target = np.sqrt(2 / fan_in)
    if abs(std / target - 1) > 0.03:
        candidates = {
            "√(1/fan_in) (LeCun/Xavier for tanh); He's rule for ReLU doubles the variance: "
            "Var(W) = 2/fan_in": np.sqrt(1 / fan_in),
            "√(2/fan_out); the variance argument of the forward pass uses fan_in, the number of "
            "inputs summed in z_j": np.sqrt(2 / fan_out),
            "√(2/(fan_in + fan_out)) (Glorot); He uses 2/fan_in": np.sqrt(2 / (fan_in + fan_out)),
            "2/fan_in: that is the VARIANCE; the standard deviation is its square root":
                2 / fan_in,
            "1 (rng.normal without a scale); scale it by √(2/fan_in)": 1.0,
        }
        for message, value in candidates.items():
            if abs(std / value - 1) < 0.03:
                fail(ex, f"the standard deviation of W is {std:.4g}, which matches {message}")
        fail(ex, f"the standard deviation of W is {std:.4g}, expected √(2/fan_in) = {target:.4g}")
    return passed(ex, f"shape (fan_in, fan_out), std {std:.4f} ≈ √(2/fan_in)")


def check_grad_norms(fn: Callable) -> bool:
    """Check ``fn(model, X, y) -> norms``: ``‖∂J/∂W⁽ˡ⁾‖_F`` for l = 1..L, in layer order.

    ``norms`` of shape (L,). Book: chapter 5, Exercises (Per-layer gradient norms).
    """
    from ..network import MLP  # imported here: the network module is only needed by this check

    ex = "ex-ch05-gradnorms-code"
    rng = np.random.default_rng(51)
    X = rng.normal(0.0, 1.0, (64, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    # Eleven layers, so that W10 and W11 exist and an alphabetical sort puts them before W2.
    model = MLP([2] + [16] * 10 + [2], activation="sigmoid", loss="ce", seed=3)
    _, grads = model.loss_and_grads(X, y)
    L = sum(1 for k in model.params if k.startswith("W"))
    expected = np.array([np.linalg.norm(grads[f"W{l}"]) for l in range(1, L + 1)])

    got = np.asarray(call(ex, fn, model, X, y), dtype=float).ravel()
    if got.shape != (L,):
        fail(ex, f"got {got.size} norms, expected one per weight matrix: {L} "
             "(biases are not counted)")
    if np.allclose(got, expected, rtol=1e-6):
        return passed(ex, f"{L} norms, {expected[0]:.1e} (layer 1) to "
                      f"{expected[-1]:.1e} (layer {L})")
    alphabetical = sorted(range(1, L + 1), key=lambda l: f"W{l}")
    with_bias = np.array([np.sqrt(np.sum(grads[f"W{l}"] ** 2) + np.sum(grads[f"b{l}"] ** 2))
                          for l in range(1, L + 1)])
    wrong = {
        "the norms are squared: ‖G‖_F = √(Σ G_ij²)": expected ** 2,
        "the order is reversed; list layer 1 (the input side) first": expected[::-1],
        "the layers are in alphabetical order (W1, W10, W11, W2, ...); sort them by number":
            expected[np.array(alphabetical) - 1],
        "the biases were included; measure ‖∂J/∂W⁽ˡ⁾‖ only": with_bias,
    }
    for message, candidate in wrong.items():
        if np.allclose(got, candidate, rtol=1e-6):
            fail(ex, message)
    check_close(ex, "the norms", got, expected, rtol=1e-6,
                hint="norms[l − 1] = np.linalg.norm(grads[f'W{l}']) from model.loss_and_grads")
    return True
