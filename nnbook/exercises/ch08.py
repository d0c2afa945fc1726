"""Checks for the exercises of chapter 8, Optimization.

Book: chapter 8, Exercises.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..descent import quadratic_rates
from ..optim import adam_step
from ..schedules import cosine_decay
from ._check import call, check_close, check_shape, fail, matches, passed

__all__ = ["check_adam_step", "check_cosine_schedule", "check_heavy_ball_parameters"]


def _copy(d: dict) -> dict:
    return {k: np.array(v, copy=True) for k, v in d.items()}


def _adam_variant(params, grads, state, lr, beta1, beta2, eps, variant):
    """A plausible wrong Adam step, to recognize the student's mistake by its values."""
    t = state.get("t", 0) + 1
    for key, w in params.items():
        g = grads[key]
        m = state.setdefault("m", {}).setdefault(key, np.zeros_like(w))
        v = state.setdefault("v", {}).setdefault(key, np.zeros_like(w))
        m[...] = beta1 * m + (1 - beta1) * g
        v[...] = beta2 * v + (1 - beta2) * (g if variant == "g not g²" else g * g)
        if variant == "no correction":
            m_hat, v_hat = m, v
        elif variant == "t stuck at 1":
            m_hat, v_hat = m / (1 - beta1), v / (1 - beta2)
        else:
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        if variant == "eps inside the root":
            w -= lr * m_hat / np.sqrt(v_hat + eps)
        else:
            w -= lr * m_hat / (np.sqrt(np.abs(v_hat)) + eps)
    state["t"] = t


_ADAM_HINTS = {
    "no correction": "the bias correction is missing: divide m by 1 − β₁ᵗ and v by 1 − β₂ᵗ",
    "t stuck at 1": "the step count t does not advance: keep t in state (state['t']) and add 1 "
                    "at every call, before the bias corrections",
    "g not g²": "v must average the SQUARED gradients, g², not g",
    "eps inside the root": "ε belongs outside the square root: m̂ / (√v̂ + ε)",
}


def check_adam_step(my_adam_step: Callable) -> bool:
    """Check ``my_adam_step(params, grads, state, lr, beta1=0.9, beta2=0.999, eps=1e-8)``.

    Book: chapter 8, Exercises. Six steps on random parameters must match :func:`nnbook.adam_step`
    (in place in ``params``, memory in ``state``). Recognizes a missing bias correction, a step
    count that never advances, ``v`` averaging g instead of g², and ε inside the square root.
    """
    ex = "ex-ch08-adam-code"
    rng = np.random.default_rng(808)
    params = {"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    grads_seq = [{"W": rng.normal(size=(3, 2)) * 10.0 ** k, "b": rng.normal(size=2) * 10.0 ** -k}
                 for k in (0, 1, -1, 0, 2, -2)]
    lr, beta1, beta2, eps = 0.01, 0.8, 0.95, 1e-3  # ε large enough to see where it goes
    mine, ref = _copy(params), _copy(params)
    variants = {name: _copy(params) for name in _ADAM_HINTS}
    my_state, ref_state = {}, {}
    variant_states = {name: {} for name in _ADAM_HINTS}
    for t, grads in enumerate(grads_seq, start=1):
        before = _copy(mine)
        call(ex, my_adam_step, mine, _copy(grads), my_state, lr, beta1=beta1, beta2=beta2, eps=eps)
        adam_step(ref, grads, ref_state, lr, beta1=beta1, beta2=beta2, eps=eps)
        for name in _ADAM_HINTS:
            _adam_variant(variants[name], grads, variant_states[name], lr, beta1, beta2, eps, name)
        if set(mine) != set(ref):
            fail(ex, f"params now has keys {sorted(mine)}, expected {sorted(ref)}")
        if t == 1 and all(np.array_equal(mine[k], before[k]) for k in mine):
            fail(ex, "params did not change: update the arrays in place (w -= ...) or assign "
                     "params[key] = ...")
        for k in ref:
            got = np.asarray(check_shape(ex, f"params['{k}']", mine[k], ref[k].shape), float)
            if not np.all(np.isfinite(got)):
                fail(ex, f"after step {t}, params['{k}'] contains nan or inf: v must average the "
                         "squared gradients g² (never negative), and ε goes outside the root")
            if matches(got, ref[k], rtol=1e-9, atol=1e-12):
                continue
            for name, hint in _ADAM_HINTS.items():
                if matches(got, variants[name][k], rtol=1e-9, atol=1e-12):
                    fail(ex, f"after step {t}, params['{k}'] is wrong: {hint}")
            check_close(ex, f"params['{k}'] after step {t}", got, ref[k], rtol=1e-9, atol=1e-12,
                        at=f"β₁ = {beta1}, β₂ = {beta2}, ε = {eps}",
                        hint="m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², "
                             "w ← w − η m̂/(√v̂ + ε)")
    return passed(ex, "six steps agree with Adam, bias correction included")


def check_cosine_schedule(my_cosine_schedule: Callable) -> bool:
    """Check ``my_cosine_schedule(lr, steps, warmup)`` against :func:`nnbook.schedules.cosine_decay`.

    Book: chapter 8, Exercises. η_t = η(t + 1)/T_w during the warm-up, then
    η(1 + cos(π s/S))/2 with s = t − T_w, S = steps − T_w. Recognizes a warm-up that starts
    at 0, a missing warm-up, a full cosine period (2π) and a cosine that ends at 0 exactly
    (S − 1 in place of S).
    """
    ex = "ex-ch08-cosine-code"
    for lr, steps, warmup in [(0.5, 40, 8), (0.1, 25, 0), (1.0, 7, 3)]:
        got = call(ex, my_cosine_schedule, lr, steps, warmup)
        got = np.asarray(check_shape(ex, f"my_cosine_schedule({lr}, {steps}, {warmup})", got, (steps,)),
                         float)
        ref = cosine_decay(lr, steps, warmup=warmup)
        at = f"lr = {lr}, steps = {steps}, warmup = {warmup}"
        if matches(got, ref):
            continue
        t, s, S = np.arange(steps), np.arange(steps - warmup), steps - warmup
        if warmup and matches(got[:warmup], lr * t[:warmup] / warmup):
            fail(ex, f"the warm-up starts at η = 0, a step that does nothing ({at}); "
                     "use η(t + 1)/T_w so that it reaches η at the last warm-up step")
        if warmup and matches(got, lr * 0.5 * (1 + np.cos(np.pi * t / steps))):
            fail(ex, f"there is no warm-up ({at}): the first {warmup} steps must rise linearly")
        if matches(got[warmup:], lr * 0.5 * (1 + np.cos(2 * np.pi * s / S))):
            fail(ex, f"the cosine runs over a full period and climbs back up ({at}); "
                     "it must fall from η towards 0 over HALF a period: cos(π s/S)")
        if S > 1 and matches(got[warmup:], lr * 0.5 * (1 + np.cos(np.pi * s / (S - 1)))):
            fail(ex, f"the last step has η = 0, a wasted step ({at}); divide by S = steps − warmup")
        check_close(ex, "the schedule", got, ref, at=at,
                    hint="η(t + 1)/T_w for t < T_w, then η(1 + cos(π s/S))/2")
    return passed(ex, "warm-up then half a cosine, as cosine_decay")


def check_heavy_ball_parameters(my_heavy_ball: Callable) -> bool:
    """Check ``my_heavy_ball(mu_min, mu_max) -> (eta, beta)``, the best constant heavy ball.

    Book: chapter 8, Exercises. η = 4/(√μ_max + √μ_min)², β₁ = ((√κ − 1)/(√κ + 1))².
    Recognizes gradient descent's η = 2/(μ_min + μ_max), β₁ = (κ − 1)/(κ + 1) (κ in place of
    √κ) and β₁ = (√κ − 1)/(√κ + 1) (the rate, not its square).
    """
    ex = "ex-ch08-heavy-ball"
    for mu_min, mu_max in [(0.5, 8.0), (1.0, 100.0), (0.3866, 8.4269)]:
        got = call(ex, my_heavy_ball, mu_min, mu_max)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail(ex, f"return the pair (eta, beta), got {got!r}")
        eta, beta = (float(np.asarray(v)) for v in got)
        ref = quadratic_rates(mu_min, mu_max)
        kappa, r = mu_max / mu_min, np.sqrt(mu_max / mu_min)
        at = f"μ_min = {mu_min}, μ_max = {mu_max}"
        if np.isclose(eta, 2 / (mu_min + mu_max)):
            fail(ex, f"η = 2/(μ_min + μ_max) is gradient descent's best step, not the heavy ball's ({at})")
        if np.isclose(beta, (kappa - 1) / (kappa + 1)):
            fail(ex, f"β₁ uses κ where the analysis gives √κ ({at})")
        if np.isclose(beta, (r - 1) / (r + 1)):
            fail(ex, f"(√κ − 1)/(√κ + 1) is the rate √β₁; β₁ is its square ({at})")
        check_close(ex, "eta", eta, ref["eta_momentum"], at=at, hint="η = 4/(√μ_max + √μ_min)²")
        check_close(ex, "beta", beta, ref["beta_momentum"], at=at, hint="β₁ = ((√κ − 1)/(√κ + 1))²")
    return passed(ex, "η = 4/(√μ_max + √μ_min)², β₁ = ((√κ − 1)/(√κ + 1))²")
