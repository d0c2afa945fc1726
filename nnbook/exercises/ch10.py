"""Checks for the exercises of chapter 10, Gated recurrence — the LSTM.

The book writes one LSTM step with batches as rows: ``[i f g o] = x_t @ Wx + h_prev @ Wh + b``
(gates stacked along the last axis in torch's order), ``i, f, o = σ(·)``, ``g = tanh(·)``,
``c_t = f ⊙ c_{t−1} + i ⊙ g``, ``h_t = o ⊙ tanh(c_t)``. The typical mistakes are a different
gate order, the wrong squashing function for a gate, and a missing tanh or a missing path in
the gradient; each check below names them. References are computed here with plain NumPy.
"""
from __future__ import annotations

from itertools import permutations
from typing import Callable

import numpy as np

from ._check import call, check_close, check_shape, fail, passed

__all__ = ["check_lstm_step", "check_cell_gradient"]


def _sig(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the sigmoid, written so it never overflows


def _step(x_t, h_prev, c_prev, Wx, Wh, b, order=(0, 1, 2, 3), g_act=np.tanh, out_act=np.tanh,
          use_i=True, use_b=True):
    H = h_prev.shape[1]
    a = x_t @ Wx + h_prev @ Wh + (b if use_b else 0.0)
    blocks = [a[:, k * H:(k + 1) * H] for k in range(4)]
    i, f, g, o = (blocks[k] for k in order)
    i, f, g, o = _sig(i), _sig(f), g_act(g), _sig(o)
    c = f * c_prev + (i * g if use_i else g)
    return out_act(c) * o, c


def _inputs(seed: int = 5):
    rng = np.random.default_rng(seed)
    N, D, H = 3, 4, 5
    return (rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H)),
            rng.normal(scale=0.7, size=(D, 4 * H)), rng.normal(scale=0.7, size=(H, 4 * H)),
            rng.normal(size=4 * H))


def check_lstm_step(my_lstm_step: Callable) -> bool:
    """Check ``my_lstm_step(x_t, h_prev, c_prev, Wx, Wh, b) -> (h_t, c_t)``:
    [i f g o] = x_t W_xᵀ + h_{t−1} W_hᵀ + b, c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).

    Book: chapter 10, The LSTM cell (exercise "One LSTM step").
    """
    ex = "ex-ch10-lstm-step"
    args = _inputs()
    x_t, h_prev, c_prev, Wx, Wh, b = args
    got = call(ex, my_lstm_step, *(a.copy() for a in args))
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(ex, "return the pair (h_t, c_t)")
    h, c = (check_shape(ex, name, v, h_prev.shape) for name, v in zip(("h_t", "c_t"), got))
    h_ref, c_ref = _step(*args)
    if np.allclose(h, c_ref, atol=1e-8) and np.allclose(c, h_ref, atol=1e-8):
        fail(ex, "h_t and c_t are swapped: return (h_t, c_t)")
    names = "ifgo"
    for order in permutations(range(4)):
        if order == (0, 1, 2, 3):
            continue
        h_w, c_w = _step(*args, order=order)
        if np.allclose(c, c_w, atol=1e-8):
            taken = ", ".join(f"{names[k]} from block {order[k] + 1}" for k in range(4))
            fail(ex, f"the gates are read in another order ({taken}); the blocks of the 4H "
                     "columns are i, f, g, o, in this order (torch's)")
    wrong_c = {
        "g_t is squashed with σ: the candidate g_t uses tanh (only i, f, o are sigmoids)":
            _step(*args, g_act=_sig)[1],
        "the input gate is missing: c_t = f ⊙ c_{t−1} + i ⊙ g, not f ⊙ c_{t−1} + g":
            _step(*args, use_i=False)[1],
        "the bias b is missing": _step(*args, use_b=False)[1],
    }
    for message, wrong in wrong_c.items():
        if np.allclose(c, wrong, atol=1e-8):
            fail(ex, message)
    check_close(ex, "c_t", c, c_ref, hint="c_t = f ⊙ c_prev + i ⊙ g")
    H = h_prev.shape[1]
    o = _sig((x_t @ Wx + h_prev @ Wh + b)[:, 3 * H:])
    wrong_h = {
        "h_t = o ⊙ c_t: the cell goes through tanh first, h_t = o ⊙ tanh(c_t)": o * c_ref,
        "the output gate is missing: h_t = o ⊙ tanh(c_t), not tanh(c_t)": np.tanh(c_ref),
    }
    for message, wrong in wrong_h.items():
        if np.allclose(h, wrong, atol=1e-8):
            fail(ex, message)
    check_close(ex, "h_t", h, h_ref, hint="h_t = o ⊙ tanh(c_t)")
    return passed(ex, "h_t and c_t are right")


def check_cell_gradient(my_cell_gradient: Callable) -> bool:
    """Check ``my_cell_gradient(dc_next, f_next, dh_t, o_t, c_t)`` = ∂J/∂c_t =
    ∂J/∂c_{t+1} ⊙ f_{t+1} + ∂J/∂h_t ⊙ o_t ⊙ (1 − tanh²(c_t)).

    Book: chapter 10, Backpropagation through the cell (exercise "The gradient of the cell").
    """
    ex = "ex-ch10-cell-gradient"
    rng = np.random.default_rng(8)
    N, H = 3, 5
    dc_next, dh_t, c_t = rng.normal(size=(N, H)), rng.normal(size=(N, H)), 1.5 * rng.normal(size=(N, H))
    f_next, o_t = rng.uniform(0.05, 0.95, size=(N, H)), rng.uniform(0.05, 0.95, size=(N, H))
    got = call(ex, my_cell_gradient, dc_next.copy(), f_next.copy(), dh_t.copy(), o_t.copy(), c_t.copy())
    got = check_shape(ex, "dc_t", got, (N, H))
    tanh_grad = 1 - np.tanh(c_t) ** 2
    mistakes = {
        "the cell path is missing: ∂J/∂c_t also receives ∂J/∂c_{t+1} ⊙ f_{t+1} from the next "
        "step": dh_t * o_t * tanh_grad,
        "the forget gate is missing on the cell path: c_{t+1} = f_{t+1} ⊙ c_t + …, so the "
        "gradient from c_{t+1} is multiplied by f_{t+1}": dc_next + dh_t * o_t * tanh_grad,
        "the path through h_t is missing: h_t = o_t ⊙ tanh(c_t) also depends on c_t":
            dc_next * f_next,
        "1 − c_t² is not the derivative of tanh(c_t): use 1 − tanh²(c_t)":
            dc_next * f_next + dh_t * o_t * (1 - c_t**2),
        "the output gate is missing: ∂h_t/∂c_t = o_t ⊙ (1 − tanh²(c_t))":
            dc_next * f_next + dh_t * tanh_grad,
    }
    for message, wrong in mistakes.items():
        if np.allclose(got, wrong, atol=1e-8):
            fail(ex, message)
    check_close(ex, "dc_t", got, dc_next * f_next + dh_t * o_t * tanh_grad,
                hint="dc_t = dc_next ⊙ f_next + dh_t ⊙ o_t ⊙ (1 − tanh²(c_t))")
    return passed(ex, "∂J/∂c_t is right: both paths, with the forget gate and tanh′")
