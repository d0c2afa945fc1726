"""Checks for the exercises of chapter 7, Recurrent networks.

The book writes the recurrence with batches as rows, h_t = φ(x_t W_xᵀ + h_{t−1} W_hᵀ + b),
which the package computes as ``phi(x_t @ Wx + h_prev @ Wh + b)`` with ``Wx`` = W_xᵀ and
``Wh`` = W_hᵀ, so the article's W_h is ``Wh.T``. The most common mistakes are exactly about that
transpose, and each check below tells them apart from a missing bias or a missing
derivative. References are computed here with plain NumPy.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._check import call, check_close, check_shape, fail, passed

__all__ = ["check_rnn_step", "check_spectral_radius", "check_bptt_step"]


def _act(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(z)
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the sigmoid, written so it never overflows


def _act_grad_from_output(h: np.ndarray, activation: str) -> np.ndarray:
    return 1.0 - h**2 if activation == "tanh" else h * (1.0 - h)


def _rnn_inputs(seed: int = 7):
    rng = np.random.default_rng(seed)
    N, D, H = 3, 4, 5
    x_t = rng.normal(size=(N, D))
    h_prev = rng.normal(size=(N, H))
    Wx = rng.normal(scale=0.5, size=(D, H))
    Wh = rng.normal(scale=0.5, size=(H, H))  # not symmetric, so Wh and Wh.T differ
    b = rng.normal(size=H)
    return x_t, h_prev, Wx, Wh, b


def check_rnn_step(my_rnn_step: Callable) -> bool:
    """Check ``my_rnn_step(x_t, h_prev, Wx, Wh, b, activation)`` =
    φ(x_t W_xᵀ + h_{t−1} W_hᵀ + b) = phi(x_t @ Wx + h_prev @ Wh + b).

    Book: chapter 7, Recurrent networks (exercise "One step of the recurrence").
    """
    ex = "ex-ch07-rnn-step"
    x_t, h_prev, Wx, Wh, b = _rnn_inputs()
    for activation in ("tanh", "sigmoid"):
        got = call(ex, my_rnn_step, x_t.copy(), h_prev.copy(), Wx.copy(), Wh.copy(), b.copy(),
                   activation=activation)
        got = check_shape(ex, f"h_t ({activation})", got, (x_t.shape[0], Wh.shape[0]))
        z = x_t @ Wx + h_prev @ Wh + b
        at = f"activation={activation!r}, N=3, D=4, H=5"
        mistakes = {
            "Wh looks transposed: in the row form the previous state enters as "
            "h_prev @ Wh (the article's W_h h_{t−1} is h_{t−1} W_hᵀ in rows, and Wh = W_hᵀ)":
                _act(x_t @ Wx + h_prev @ Wh.T + b, activation),
            "the bias b is missing": _act(x_t @ Wx + h_prev @ Wh, activation),
            "the previous state h_prev is missing": _act(x_t @ Wx + b, activation),
            "the activation is missing (you return the pre-activation z_t)": z,
            "wrong activation: this is tanh, but sigmoid was asked for"
            if activation == "sigmoid" else
            "wrong activation: this is the sigmoid, but tanh was asked for":
                _act(z, "tanh" if activation == "sigmoid" else "sigmoid"),
        }
        for message, wrong in mistakes.items():
            if np.allclose(got, wrong, atol=1e-8):
                fail(ex, f"{message} ({at})")
        check_close(ex, "h_t", got, _act(z, activation), at=at,
                    hint="h_t = phi(x_t @ Wx + h_prev @ Wh + b)")
    return passed(ex, "h_t is right for tanh and sigmoid")


def check_spectral_radius(my_spectral_radius: Callable) -> bool:
    """Check ``my_spectral_radius(W)`` = ρ(W) = max_i |μ_i| over the eigenvalues μ_i of W.

    Book: chapter 7, Recurrent networks (exercise "The spectral radius").
    """
    ex = "ex-ch07-spectral-radius"
    rng = np.random.default_rng(3)
    cases = {
        "a symmetric matrix": (lambda a: (a + a.T) / 2)(rng.normal(size=(4, 4))),
        "a scaled rotation (complex eigenvalues ±0.9i)": np.array([[0.0, -0.9], [0.9, 0.0]]),
        "diag(−2, 1) (the dominant eigenvalue is negative)": np.diag([-2.0, 1.0]),
        "a non-normal triangular matrix": np.array([[0.5, 10.0], [0.0, 0.3]]),
        "a random 6×6 matrix": rng.normal(size=(6, 6)),
    }
    for name, W in cases.items():
        got = call(ex, my_spectral_radius, W.copy())
        got = np.asarray(got)
        if got.size != 1:
            fail(ex, f"expected one number for {name}, got an array of shape {got.shape}")
        got = got.item()
        if isinstance(got, complex):
            fail(ex, f"got the complex number {got} for {name}: ρ is a modulus, a real number "
                     "≥ 0. Hint: take np.abs of the eigenvalues")
        eig = np.linalg.eigvals(W)
        expected = float(np.max(np.abs(eig)))
        if np.isclose(got, expected, rtol=1e-6):
            continue
        hint = ""
        if np.isclose(got, np.linalg.norm(W, 2)):
            hint = ("that is the largest singular value ‖W‖₂; it bounds ρ(W) from above, but "
                    "for a non-normal matrix it is larger. Use the eigenvalues")
        elif np.isclose(got, np.linalg.norm(W)):
            hint = "that is the Frobenius norm; ρ(W) comes from the eigenvalues"
        elif np.isclose(got, np.max(eig.real)):
            hint = "take the largest MODULUS |μ| of the eigenvalues, not the largest real part"
        fail(ex, f"ρ(W) is {got:.6g} for {name}, expected {expected:.6g}"
                 + (f". Hint: {hint}" if hint else ""))
    return passed(ex, "ρ(W) = max |μ| on all five matrices")


def check_bptt_step(my_bptt_step: Callable) -> bool:
    """Check ``my_bptt_step(dh_t, h_t, Wh, activation)`` =
    ∂J/∂h_{t−1} = (∂J/∂h_t ⊙ φ′(z_t)) W_h = (dh_t * dphi) @ Wh.T, with φ′(z_t) written
    through h_t.

    Book: chapter 7, Recurrent networks (exercise "One step of backpropagation through time").
    """
    ex = "ex-ch07-bptt-step"
    x_t, h_prev, Wx, Wh, b = _rnn_inputs(seed=11)
    rng = np.random.default_rng(12)
    for activation in ("tanh", "sigmoid"):
        h_t = _act(x_t @ Wx + h_prev @ Wh + b, activation)
        dh_t = rng.normal(size=h_t.shape)
        got = call(ex, my_bptt_step, dh_t.copy(), h_t.copy(), Wh.copy(), activation=activation)
        got = check_shape(ex, f"dh_prev ({activation})", got, h_prev.shape)
        local = _act_grad_from_output(h_t, activation)
        at = f"activation={activation!r}"
        other = "sigmoid" if activation == "tanh" else "tanh"
        mistakes = {
            "Wh is not transposed: going backwards through h_prev @ Wh multiplies by Wh.T":
                (dh_t * local) @ Wh,
            "the derivative of the activation is missing: multiply dh_t by φ′(z_t) "
            "elementwise first": dh_t @ Wh.T,
            f"φ′ applied to h_t instead of z_t: h_t is already {activation}(z_t), so the derivative is "
            + ("1 − h_t²" if activation == "tanh" else "h_t (1 − h_t)"):
                (dh_t * _act_grad_from_output(_act(h_t, activation), activation)) @ Wh.T,
            f"this uses the derivative of {other}, but the activation is {activation}":
                (dh_t * _act_grad_from_output(h_t, other)) @ Wh.T,
        }
        for message, wrong in mistakes.items():
            if np.allclose(got, wrong, atol=1e-8):
                fail(ex, f"{message} ({at})")
        check_close(ex, "dh_prev", got, (dh_t * local) @ Wh.T, at=at,
                    hint="dh_prev = (dh_t ⊙ φ′(z_t)) @ Wh.T")
    return passed(ex, "dh_prev is right for tanh and sigmoid")
