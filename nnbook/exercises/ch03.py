"""Checks for the exercises of chapter 3, Backpropagation.

Book: chapter 3, Exercises.
"""
from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from ..gradcheck import numerical_gradient, rel_error
from ..losses import mse_grad
from ._check import call, check_close, check_shape, fail, matches, passed

__all__ = ["check_mse_grad", "check_dense_backward", "check_gd_step"]


_matches = partial(matches, atol=1e-12)  # mistakes are recognized by value, shapes included


def check_mse_grad(my_mse_grad: Callable) -> bool:
    """Check ``my_mse_grad(y_hat, y)`` against ``∂J/∂ŷ_k = (2/n)(ŷ_k − y_k)``.

    Book: chapter 3, Exercises. ``n`` counts every entry, as ``J`` is the mean over all of
    them. Recognizes a missing ``1/n``, a sign error, a missing factor 2 and a ``1/n`` that
    counts rows instead of entries.
    """
    ex = "ex-ch03-mse-grad-code"
    rng = np.random.default_rng(303)
    for shape in [(6,), (5, 1), (4, 3)]:
        y_hat = rng.normal(size=shape)
        y = rng.normal(size=shape)
        got = call(ex, my_mse_grad, y_hat.copy(), y.copy())
        got = np.asarray(check_shape(ex, f"my_mse_grad for shape {shape}", got, shape), float)
        n = y.size
        diff = y_hat - y
        at = f"y_hat and y of shape {shape}"
        if _matches(got, 2 * diff):
            fail(ex, f"forgot the 1/n: J is a mean, so every derivative carries 1/n ({at}, n = {n})")
        if _matches(got, -2 * diff / n) or _matches(got, -2 * diff):
            fail(ex, "sign error: d/dŷ (y − ŷ)² = −2(y − ŷ) = 2(ŷ − y); "
                     "the gradient must point towards larger loss")
        if _matches(got, diff / n):
            fail(ex, "forgot the factor 2 from differentiating the square")
        if len(shape) == 2 and shape[1] > 1 and _matches(got, 2 * diff / shape[0]):
            fail(ex, f"J averages over all n = {n} entries, not only the {shape[0]} rows ({at})")
        check_close(ex, "my_mse_grad(y_hat, y)", got, mse_grad(y_hat, y), at=at,
                    hint="∂J/∂ŷ_k = (2/n)(ŷ_k − y_k)")
    return passed(ex, "∂J/∂ŷ = (2/n)(ŷ − y), checked for shapes (6,), (5, 1), (4, 3)")


def check_dense_backward(my_dense_backward: Callable) -> bool:
    """Check ``my_dense_backward(dz, x, W) -> (dx, dW, db)`` by a gradient check.

    Book: chapter 3, Exercises. The upstream gradient ``dz = ∂J/∂z`` has shape
    ``(n, d_out)``; the answer must be ``dx = dz @ W.T``, ``dW = x.T @ dz``,
    ``db = dz.sum(axis=0)``, which are compared with central differences of
    ``J = Σ dz ⊙ (x @ W + b)``. Recognizes a transposed ``dW`` and a ``db`` that is a
    mean or not summed over the batch.
    """
    ex = "ex-ch03-dense-backward"
    rng = np.random.default_rng(313)
    for n, d_in, d_out in [(5, 3, 3), (6, 4, 2)]:
        x = rng.normal(size=(n, d_in))
        W = rng.normal(size=(d_in, d_out))
        b = rng.normal(size=d_out)
        dz = rng.normal(size=(n, d_out))
        at = f"x ({n}, {d_in}), W ({d_in}, {d_out})"
        out = call(ex, my_dense_backward, dz.copy(), x.copy(), W.copy())
        if not isinstance(out, (tuple, list)) or len(out) != 3:
            fail(ex, "my_dense_backward must return the tuple (dx, dW, db)")
        dx, dW, db = (np.asarray(g, dtype=float) for g in out)

        if dW.shape == (d_out, d_in) and d_in != d_out and _matches(dW.T, x.T @ dz):
            fail(ex, f"dW has shape {dW.shape} but W has shape {W.shape}: dW looks transposed; "
                     "dW = x.T @ dz")
        if d_in == d_out and _matches(dW, (x.T @ dz).T):
            fail(ex, f"dW looks transposed ({at}): dW[i, j] = Σ_samples x[:, i] dz[:, j], "
                     "i.e. dW = x.T @ dz")
        check_shape(ex, f"dW ({at})", dW, W.shape)
        if db.shape == (n, d_out):
            fail(ex, "db has one row per sample: sum dz over the batch axis (axis=0)")
        check_shape(ex, f"db ({at})", db, b.shape)
        if _matches(db, dz.mean(axis=0)):
            fail(ex, "db is the mean of dz over the batch; it is the SUM (J already carries "
                     "the 1/n, inside dz)")
        if d_in == d_out and _matches(dx, dz @ W):
            fail(ex, "dx looks like dz @ W; it is dz @ W.T (dx[:, i] = Σ_j dz[:, j] W[i, j])")
        check_shape(ex, f"dx ({at})", dx, x.shape)

        def J(x_, W_, b_):
            return float(np.sum(dz * (x_ @ W_ + b_)))

        numeric = {
            "dx": numerical_gradient(lambda v: J(v, W, b), x.copy()),
            "dW": numerical_gradient(lambda v: J(x, v, b), W.copy()),
            "db": numerical_gradient(lambda v: J(x, W, v), b.copy()),
        }
        for name, got in (("dx", dx), ("dW", dW), ("db", db)):
            err = rel_error(got, numeric[name])
            if not err < 1e-6:
                fail(ex, f"gradient check fails for {name} ({at}): relative error {err:.2e} "
                         "against central differences (expected < 1e-6)")
    return passed(ex, "dx = dz @ W.T, dW = x.T @ dz, db = Σ dz agree with central differences")


def check_gd_step(my_gd_step: Callable) -> bool:
    """Check ``my_gd_step(params, grads, lr)``: ``w ← w − η ∇J(w)`` for every array, in place.

    Book: chapter 3, Exercises. Like :func:`nnbook.sgd_step`, the function updates the dict
    ``params`` (rebinding ``params[key]`` or updating the array in place both count); then
    200 steps must minimize a convex quadratic. Recognizes an ascent step (``+``), a missing
    ``η``, and a loop that only rebinds a local name (so ``params`` never changes).
    """
    ex = "ex-ch03-gd-step"
    rng = np.random.default_rng(323)
    params = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=2)}
    grads = {"W1": rng.normal(size=(3, 2)), "b1": rng.normal(size=2)}
    before = {k: v.copy() for k, v in params.items()}
    grads_before = {k: v.copy() for k, v in grads.items()}
    lr = 0.1
    call(ex, my_gd_step, params, grads, lr)
    if set(params) != set(before):
        fail(ex, f"params now has keys {sorted(params)}, expected {sorted(before)}")
    if any(not np.array_equal(grads[k], grads_before[k]) for k in grads):
        fail(ex, "grads was modified; only params should change")
    if all(np.array_equal(params[k], before[k]) for k in params):
        fail(ex, "params did not change. Update the dict itself: params[key] = ... or "
                 "params[key] -= ...; in `for w in params.values(): w = w - lr * g` the "
                 "assignment only rebinds the local name w")
    for k in params:
        got = np.asarray(check_shape(ex, f"params['{k}']", params[k], before[k].shape), float)
        if _matches(got, before[k] + lr * grads[k]):
            fail(ex, f"params['{k}'] moved uphill: gradient DEScent subtracts, w − η∇J(w)")
        if _matches(got, before[k] - grads[k]):
            fail(ex, f"params['{k}'] ignores the learning rate η: w − η∇J(w)")
        check_close(ex, f"params['{k}'] after one step", got, before[k] - lr * grads[k],
                    at=f"lr = {lr}", hint="w − η∇J(w)")

    # J(w) = ||A w − c||² is convex; gradient descent with a safe η reaches its minimum.
    A = np.array([[2.0, 0.5], [0.5, 1.0], [0.0, 1.0]])
    c = np.array([1.0, -1.0, 0.5])
    w_star = np.linalg.lstsq(A, c, rcond=None)[0]
    eta = 0.5 / np.linalg.norm(A, 2) ** 2  # half of the largest stable step 1/‖A‖²
    p = {"w": np.zeros(2)}
    for _ in range(200):
        call(ex, my_gd_step, p, {"w": 2 * A.T @ (A @ p["w"] - c)}, eta)
    check_close(ex, "w after 200 steps on J(w) = ||A w − c||²", p["w"], w_star,
                rtol=1e-5, atol=1e-7, hint="repeated steps must converge to the minimizer")
    return passed(ex, "w ← w − η∇J(w), and 200 steps reach the minimum of a convex quadratic")
