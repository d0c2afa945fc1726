"""Checks for the exercises of chapter 4 (overfitting, L2 regularization, dropout).

Each check calls the student's function on small fixed inputs, compares with the book's
formulas (computed here independently of the student's code) and, when the answer is
wrong, recognizes the usual mistakes: penalizing biases, forgetting the square,
``λ`` instead of ``2λ`` in the gradient, forgetting the ``1/(1 − p)`` of inverted dropout,
or treating ``p`` as the probability of *keeping* a unit.

Book: chapter 4, Exercises.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._check import call, check_close, check_shape, fail, passed

__all__ = ["check_l2_penalty", "check_dropout"]


def _params(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A small MLP-like parameter dict, with negative entries so ``θ`` and ``|θ|`` differ."""
    return {
        "W1": rng.normal(0.0, 1.0, (3, 4)),
        "b1": rng.normal(0.0, 1.0, 4),
        "W2": rng.normal(0.0, 1.0, (4, 2)),
        "b2": rng.normal(0.0, 1.0, 2),
    }


def check_l2_penalty(fn: Callable) -> bool:
    """Check ``fn(params, lam) -> (penalty, grads)``: ``λ Σ_q θ_q²`` over the weights, ``2λW``.

    Book: chapter 4, Exercises. Biases are not penalized (zero or missing gradients).
    """
    ex = "ex-ch04-l2-code"
    rng = np.random.default_rng(4)
    params = _params(rng)
    originals = {k: v.copy() for k, v in params.items()}
    lam = 0.3
    weights = [k for k in params if k.startswith("W")]

    out = call(ex, fn, params, lam)
    if not isinstance(out, tuple) or len(out) != 2:
        fail(ex, "return a pair (penalty, grads): the penalty as a number and a dict of gradients")
    penalty, grads = out
    for k, v in params.items():
        if not np.array_equal(v, originals[k]):
            fail(ex, f"params[{k!r}] was modified; compute the penalty without "
                 "changing the weights")

    penalty = np.asarray(penalty, dtype=float)
    if penalty.shape != ():
        fail(ex, f"the penalty should be one number, got an array of shape {penalty.shape}")
    expected = lam * sum(np.sum(params[k] ** 2) for k in weights)
    if not np.isclose(penalty, expected, rtol=1e-9):
        everything = lam * sum(np.sum(v ** 2) for v in params.values())
        no_square = lam * sum(np.sum(params[k]) for k in weights)
        abs_value = lam * sum(np.sum(np.abs(params[k])) for k in weights)
        mean_square = lam * sum(np.mean(params[k] ** 2) for k in weights)
        if np.isclose(penalty, everything):
            fail(ex, f"penalty is {penalty:.6g}, expected {expected:.6g}: it looks like the "
                 "biases b1, b2 were penalized too; only the weight matrices W1, W2 enter λ Σ θ²")
        if np.isclose(penalty, no_square) or np.isclose(penalty, abs_value):
            fail(ex, f"penalty is {penalty:.6g}, expected {expected:.6g}: the entries must be "
                 "squared (λ Σ θ², not λ Σ θ or λ Σ |θ|)")
        if np.isclose(penalty, expected / lam):
            fail(ex, f"penalty is {penalty:.6g}, expected {expected:.6g}: multiply by λ")
        if np.isclose(penalty, 2 * expected) or np.isclose(penalty, expected / 2):
            fail(ex, f"penalty is {penalty:.6g}, expected {expected:.6g}: the book's penalty is "
                 "λ Σ θ², with no factor 2 or 1/2")
        if np.isclose(penalty, mean_square):
            fail(ex, f"penalty is {penalty:.6g}, expected {expected:.6g}: sum the squares, "
                 "do not average them")
        fail(ex, f"penalty is {penalty:.6g}, expected λ Σ W² = {expected:.6g} (λ = {lam})")

    if not isinstance(grads, dict):
        fail(ex, f"grads should be a dict keyed like params, got {type(grads).__name__}")
    for k in weights:
        if k not in grads:
            fail(ex, f"grads has no entry {k!r}: every weight matrix gets a gradient")
        got = check_shape(ex, f"grads[{k!r}]", grads[k], params[k].shape)
        if np.allclose(got, lam * params[k]) and lam != 0:
            fail(ex, f"grads[{k!r}] is λ W; differentiating λ θ² gives 2 λ θ (the 2 comes down "
                 "from the square)")
        if np.allclose(got, 2 * params[k]):
            fail(ex, f"grads[{k!r}] is 2 W; the gradient of λ θ² is 2 λ θ: multiply by λ")
        check_close(ex, f"grads[{k!r}]", got, 2 * lam * params[k], rtol=1e-9,
                    at=f"λ = {lam}", hint="∂(λ Σ θ²)/∂θ_j = 2 λ θ_j")
    for k in params:
        if k.startswith("b") and k in grads:
            got = check_shape(ex, f"grads[{k!r}]", grads[k], params[k].shape)
            if np.any(got != 0):
                fail(ex, f"grads[{k!r}] is not zero: biases are not penalized, so the penalty "
                     "does not depend on them (give them a zero gradient or leave them out)")

    # λ = 0 switches the penalty off entirely.
    penalty0, grads0 = call(ex, fn, params, 0.0)
    if not np.isclose(float(np.asarray(penalty0)), 0.0):
        fail(ex, f"with λ = 0 the penalty should be 0, got {float(np.asarray(penalty0)):.6g}")
    return passed(ex, "λ Σ W² over the weights only, gradient 2λW")


def check_dropout(fn: Callable) -> bool:
    """Check ``fn(x, p, rng) -> out``: ``x ⊙ r / (1 − p)``, ``r_j ~ Bernoulli(1 − p)``.

    Book: chapter 4, Exercises. ``p`` is the probability of DROPPING a unit (CS231n's ``p``
    is the keep probability); the mask comes from ``rng``.
    """
    ex = "ex-ch04-dropout-code"
    x = np.random.default_rng(5).uniform(0.5, 2.0, (400, 50))  # no zeros: a zero means dropped

    out0 = check_shape(ex, "the output for p = 0", call(ex, fn, x, 0.0, np.random.default_rng(0)),
                       x.shape)
    check_close(ex, "the output for p = 0", out0, x, rtol=1e-12,
                hint="with p = 0 nothing is dropped and 1/(1 − p) = 1, so out = x")

    for p in (0.25, 0.6):
        out = check_shape(ex, f"the output for p = {p}",
                          call(ex, fn, x, p, np.random.default_rng(1)), x.shape)
        if not np.all(np.isfinite(out)):
            fail(ex, f"the output for p = {p} contains inf or nan")
        again = np.asarray(call(ex, fn, x, p, np.random.default_rng(1)))
        if not np.array_equal(out, again):
            fail(ex, "two calls with the same seed gave different masks: draw the mask from the "
                 "rng argument (e.g. rng.random(x.shape)), not from np.random")
        dropped = out == 0
        frac = dropped.mean()
        if abs(frac - (1 - p)) < 0.03 and abs(frac - p) > 0.05:
            fail(ex, f"with p = {p} a fraction {frac:.2f} of the units was dropped, about 1 − p: "
                 "p is the probability of DROPPING a unit, so keep a unit when u >= p")
        if abs(frac - p) > 0.03:
            fail(ex, f"with p = {p} a fraction {frac:.2f} of the units was dropped, expected "
                 f"about {p}")
        kept = ~dropped
        if np.allclose(out[kept], x[kept]):
            fail(ex, f"the kept units equal x: inverted dropout scales them by 1/(1 − p) = "
                 f"{1 / (1 - p):.4g} so that E[out] = x")
        if np.allclose(out[kept], (1 - p) * x[kept]):
            fail(ex, "the kept units are multiplied by (1 − p); inverted dropout DIVIDES by "
                 "(1 − p) during training")
        if np.allclose(out[kept], x[kept] / p):
            fail(ex, "the kept units are divided by p; the keep probability is 1 − p, so divide "
                 "by (1 − p)")
        check_close(ex, "a kept unit", out[kept], x[kept] / (1 - p), rtol=1e-12,
                    at=f"p = {p}", hint="kept units are x / (1 − p), dropped ones are 0")
        ratio = out.mean() / x.mean()
        if abs(ratio - 1) > 0.05:
            fail(ex, f"the mean of the output is {ratio:.3f} times the mean of x; it should be "
                 "about 1 (E[out] = x)")
    return passed(ex, "drops a fraction p, keeps x / (1 − p)")
