"""Checks for the exercises of chapter 11 (attention, residual connections, layer normalization).

The reference values are computed here from the book's formulas. When an answer is wrong, the
check looks for the usual mistakes: a mask that looks ahead, leaves out the diagonal, or marks
the forbidden keys instead of the allowed ones; layer norm taken over the batch (batch norm),
with the unbiased variance, without ε or without γ and β.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._check import call, check_close, check_shape, fail, passed

__all__ = ["check_causal_mask", "check_layernorm_forward"]


def check_causal_mask(fn: Callable) -> bool:
    """Check ``fn(T) -> M``: boolean (T, T), M[t, s] = True exactly when s ≤ t.

    Book: chapter 11, Exercises (A causal mask).
    """
    ex = "ex-ch11-causal-code"
    for T in (4, 6, 1):
        M = np.asarray(call(ex, fn, T))
        M = check_shape(ex, f"the mask for T = {T}", M, (T, T))
        expected = np.tril(np.ones((T, T), dtype=bool))
        if M.dtype != np.bool_:
            fail(ex, f"the mask has dtype {M.dtype}; it must be boolean (True where query t may "
                 "attend to key s): attention_forward and torch treat a non-boolean mask "
                 "differently (torch adds a float mask to the scores)")
        if np.array_equal(M, expected):
            continue
        if np.array_equal(M, expected.T):
            fail(ex, "row t allows the keys s ≥ t: the mask looks into the future (it is the "
                 "transpose); query t may attend to s ≤ t")
        if np.array_equal(M, ~expected):
            fail(ex, "True marks the forbidden keys; the book's mask (like torch's boolean "
                 "attn_mask) is True where a query MAY attend")
        if np.array_equal(M, np.tril(np.ones((T, T), dtype=bool), k=-1)):
            fail(ex, "the diagonal is False: query t may attend to its own step s = t (without "
                 "it the first query has no key at all and its softmax is undefined)")
        if np.array_equal(M, ~np.tril(np.ones((T, T), dtype=bool), k=-1)):
            fail(ex, "this is True for s ≥ t (the future and the present) ; the mask must be True "
                 "for s ≤ t")
        bad = tuple(int(i) for i in np.argwhere(M != expected)[0])
        fail(ex, f"for T = {T}, entry (t, s) = {bad} is {bool(M[bad])}, expected "
             f"{bool(expected[bad])} (True exactly when s ≤ t)")
    return passed(ex, "boolean, lower triangle with the diagonal: query t sees keys 1 … t")


def _ln(x, gamma, beta, eps, *, axis=-1, ddof=0, eps_inside=True):
    mu = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, ddof=ddof, keepdims=True)
    scale = np.sqrt(var + eps) if eps_inside else np.sqrt(var) + eps
    with np.errstate(divide="ignore", invalid="ignore"):
        return gamma * (x - mu) / scale + beta


def check_layernorm_forward(fn: Callable) -> bool:
    """Check ``fn(x, gamma, beta, eps) -> out``: each row over its last axis, biased variance.

    ``out = γ ⊙ (x − μ)/√(σ² + ε) + β`` with μ, σ² over the features of each row; ``x`` of
    shape (n, d) and (N, T, d). Book: chapter 11, Exercises (Layer normalization, forward).
    """
    ex = "ex-ch11-layernorm-code"
    rng = np.random.default_rng(110)
    n, d = 4, 5
    x = rng.normal(0.0, 1.0, (n, d)) * np.array([[1.0], [20.0], [0.5], [3.0]]) + np.array(
        [[0.0], [50.0], [-1.0], [2.0]])
    gamma = np.array([1.5, 0.5, 2.0, -1.0, 0.8])
    beta = np.array([0.1, -0.3, 0.7, 0.0, 0.2])
    eps = 1e-5
    out = check_shape(ex, "the output", call(ex, fn, x.copy(), gamma, beta, eps), (n, d))
    expected = _ln(x, gamma, beta, eps)
    if not (np.all(np.isfinite(out)) and np.allclose(out, expected, rtol=1e-7, atol=1e-10)):
        wrong = {
            "the statistics were taken over the batch (axis 0): that is batch norm; layer norm "
            "takes one mean and variance per example, over its features (the last axis)":
                _ln(x, gamma, beta, eps, axis=0),
            "the variance divides by d − 1 (unbiased, ddof=1); layer norm uses the biased "
            "variance (1/d) Σ_j (x_j − μ)², like torch's layer_norm": _ln(x, gamma, beta, eps, ddof=1),
            "ε is missing: divide by √(σ² + ε)": _ln(x, gamma, beta, 0.0),
            "ε is added after the square root; divide by √(σ² + ε)":
                _ln(x, gamma, beta, eps, eps_inside=False),
            "γ and β were not applied: the output is γ ⊙ x̂ + β": _ln(x, 1.0, 0.0, eps),
        }
        for message, candidate in wrong.items():
            if np.allclose(out, candidate, rtol=1e-7, atol=1e-10):
                fail(ex, message)
        check_close(ex, "the output", out, expected, rtol=1e-7, atol=1e-10,
                    hint="x̂ = (x − μ)/√(σ² + ε) per row, out = γ ⊙ x̂ + β")
    seq = rng.normal(size=(2, 3, d))
    out = check_shape(ex, "the output for x of shape (N, T, d) = (2, 3, 5)",
                      call(ex, fn, seq.copy(), gamma, beta, eps), seq.shape)
    check_close(ex, "the output", out, _ln(seq, gamma, beta, eps), rtol=1e-7, atol=1e-10,
                at="for x of shape (N, T, d): normalize over the last axis, whatever comes before it")
    alone = check_shape(ex, "the output", call(ex, fn, x[:1].copy(), gamma, beta, eps), (1, d))
    check_close(ex, "the output", alone, expected[:1], rtol=1e-7, atol=1e-10,
                at="for a batch of one row, which must give that row's output in any batch")
    return passed(ex, "per-row mean and biased variance over the last axis, ε in the root, γ and β")
