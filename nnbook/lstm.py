"""The LSTM: c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t, h_t = o_t ⊙ tanh(c_t), and its backpropagation.

Book: chapter 10, Gated recurrence — the LSTM.

Rows, as everywhere in the package: ``x`` has shape ``(N, T, D)``, the states ``h`` and the
cells ``c`` shape ``(N, T, H)``. The four gates are stacked along the last axis in torch's
order input, forget, candidate, output:

    [i f g o] = x_t @ Wx + h_{t−1} @ Wh + b,   i, f, o = σ(·),  g = tanh(·),

with ``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,). torch's ``nn.LSTM`` stores the transposes,
``weight_ih = Wx.T`` and ``weight_hh = Wh.T``, and two biases whose sum is ``b``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_float, check_shape

__all__ = ["lstm_forward", "lstm_backward", "lstm_step", "forget_gate_products"]

#: Gate names in the order they are stacked along the last axis (torch's order).
GATES = ("i", "f", "g", "o")


def _check_inputs(x, h0, c0, Wx, Wh, b):
    names = ("x", "h0", "c0", "Wx", "Wh", "b")
    x, h0, c0, Wx, Wh, b = (as_float(a, name) for a, name in zip((x, h0, c0, Wx, Wh, b), names))
    if x.ndim != 3 or 0 in x.shape[:2]:
        raise ValueError(f"x must be a 3-D array (N, T, D) with N >= 1 and T >= 1, got shape {x.shape}")
    n, _, d = x.shape
    if Wx.ndim != 2 or Wx.shape[0] != d or Wx.shape[1] == 0 or Wx.shape[1] % 4:
        raise ValueError(
            f"Wx must have shape (D, 4H) with D = x.shape[2] = {d} and 4H a positive multiple "
            f"of 4 (gates i, f, g, o), got {Wx.shape}"
        )
    H = Wx.shape[1] // 4
    check_shape(Wh, (H, 4 * H), "Wh", "(H, 4H)")
    check_shape(b, (4 * H,), "b", "(4H,)")
    check_shape(h0, (n, H), "h0", "(N, H)")
    check_shape(c0, (n, H), "c0", "(N, H)")
    return x, h0, c0, Wx, Wh, b


def _gate_scales(H: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """σ(z) = ½ + ½ tanh(z/2): stable for any finite z, and one tanh serves all four gates.

    Returns ``scale`` (½ for the columns of i, f, o and 1 for g: z is scaled by it before the
    tanh and the tanh after it) and ``shift`` (½ for i, f, o; 0 for g)."""
    scale = np.full(4 * H, 0.5, dtype=dtype)
    scale[2 * H:3 * H] = 1.0
    shift = np.where(scale == 0.5, 0.5, 0.0).astype(dtype)
    return scale, shift


def lstm_forward(
    x: np.ndarray,
    h0: np.ndarray,
    c0: np.ndarray,
    Wx: np.ndarray,
    Wh: np.ndarray,
    b: np.ndarray,
) -> tuple[np.ndarray, dict[str, Any]]:
    """h_t = o_t ⊙ tanh(c_t), c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t, for t = 1 … T.

    ``[i f g o] = x_t @ Wx + h_{t−1} @ Wh + b``; ``i, f, o = σ(·)``, ``g = tanh(·)``.

    Parameters
    ----------
    x : ndarray, shape (N, T, D)
    h0, c0 : ndarray, shape (N, H)
        The initial state h_0 and cell c_0.
    Wx : ndarray, shape (D, 4H)
        Input weights of the four gates, stacked i, f, g, o (torch's ``weight_ih.T``).
    Wh : ndarray, shape (H, 4H)
        Recurrent weights, stacked the same way (torch's ``weight_hh.T``).
    b : ndarray, shape (4H,)
        (torch's ``bias_ih + bias_hh``).

    Returns
    -------
    h : ndarray, shape (N, T, H)
        ``h[:, t − 1]`` is h_t.
    cache : dict
        For :func:`lstm_backward`: the inputs, the gates ``gates`` (N, T, 4H, after their
        nonlinearities), the cells ``c`` (N, T, H) and ``h``.

    Notes
    -----
    The input terms of all steps are one product; only ``h_{t−1} @ Wh`` needs the loop over
    time. The sigmoid is computed as ½ + ½ tanh(z/2) (no overflow for any finite z), so
    one tanh serves all four gates. float32 inputs give float32 results.
    Book: chapter 10, The LSTM cell.
    """
    x, h0, c0, Wx, Wh, b = _check_inputs(x, h0, c0, Wx, Wh, b)
    n, T, _ = x.shape
    H = Wh.shape[0]
    dtype = np.result_type(x, h0, c0, Wx, Wh, b, 1.0)
    scale, shift = _gate_scales(H, dtype)
    # Fold the z/2 of the sigmoid gates into the weights: one tanh per step for all gates.
    Wx_s, Wh_s, b_s = (np.asarray(a * scale, dtype=dtype) for a in (Wx, Wh, b))
    x_tm = np.ascontiguousarray(x.transpose(1, 0, 2))
    gates = (x_tm @ Wx_s).astype(dtype, copy=False)  # (T, N, 4H): every step's input term
    gates += b_s
    c = np.empty((T, n, H), dtype=dtype)
    tc = np.empty((T, n, H), dtype=dtype)
    h = np.empty((T, n, H), dtype=dtype)
    tmp = np.empty((n, 4 * H), dtype=dtype)
    ig = np.empty((n, H), dtype=dtype)
    h_prev, c_prev = h0, c0
    for t in range(T):
        a = gates[t]
        np.matmul(h_prev, Wh_s, out=tmp)
        a += tmp  # (the halved) [i f g o] = x_t Wx + h_{t−1} Wh + b
        np.tanh(a, out=a)
        a *= scale  # σ = ½ + ½ tanh(z/2) for i, f, o; tanh for g
        a += shift
        i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        np.multiply(f, c_prev, out=c[t])
        np.multiply(i, g, out=ig)
        c[t] += ig  # c_t = f ⊙ c_{t−1} + i ⊙ g
        np.tanh(c[t], out=tc[t])
        np.multiply(o, tc[t], out=h[t])  # h_t = o ⊙ tanh(c_t)
        h_prev, c_prev = h[t], c[t]
    cache = {"x": x, "h0": h0, "c0": c0, "Wx": Wx, "Wh": Wh, "gates_tm": gates, "c_tm": c,
             "tc_tm": tc, "h_tm": h, "gates": gates.transpose(1, 0, 2), "c": c.transpose(1, 0, 2)}
    h = h.transpose(1, 0, 2)
    cache["h"] = h
    return h, cache


def lstm_backward(
    dh: np.ndarray, cache: dict[str, Any], dc_T: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """dc_{t−1} = dc_t ⊙ f_t + (paths through h_{t−1}): backpropagation through time in an LSTM.

    Going back from t = T, with ``g_t`` = dJ/dh_t (direct + from step t + 1):
    ``dc_t = dc_{t+1} ⊙ f_{t+1} + g_t ⊙ o_t ⊙ (1 − tanh²c_t)``; the pre-activation gradients
    are ``do = g_t ⊙ tanh c_t``, ``di = dc_t ⊙ g``, ``dg = dc_t ⊙ i``, ``df = dc_t ⊙ c_{t−1}``,
    each times its gate's derivative (σ′ = s(1 − s), tanh′ = 1 − g²); stacked as ``δ_t``
    (N, 4H), ``dJ/dh_{t−1}`` gains ``δ_t @ Whᵀ``. Then ``dWx = Σ_t x_tᵀ δ_t``,
    ``dWh = Σ_t h_{t−1}ᵀ δ_t``, ``db = Σ_t Σ_n δ_t``, ``dx_t = δ_t @ Wxᵀ``.

    Parameters
    ----------
    dh : ndarray, shape (N, T, H)
        dJ/dh_t that reaches each h_t directly (zeros where the loss does not read it).
    cache : dict
        From :func:`lstm_forward`.
    dc_T : ndarray, shape (N, H), optional
        dJ/dc_T reaching the last cell directly (e.g. from a later chunk); zero by default.

    Returns
    -------
    dx : (N, T, D), dh0 : (N, H), dc0 : (N, H), dWx : (D, 4H), dWh : (H, 4H), db : (4H,)

    Notes
    -----
    Book: chapter 10, Backpropagation through the cell.
    """
    h_tm = cache["h_tm"]
    T, n, H = h_tm.shape
    dh = as_float(dh, "dh")
    check_shape(dh, (n, T, H), "dh", "(N, T, H)")
    if dc_T is not None:
        dc_T = as_float(dc_T, "dc_T")
        check_shape(dc_T, (n, H), "dc_T", "(N, H)")
    x, h0, c0, Wx, Wh = (cache[k] for k in ("x", "h0", "c0", "Wx", "Wh"))
    gates, c, tc = cache["gates_tm"], cache["c_tm"], cache["tc_tm"]
    dtype = np.result_type(dh, gates)
    # Everything that does not depend on the running gradients, for all steps at once:
    # P[t] = the factor that multiplies dc_t (for i, f, g) or g_t (for o) to give δ_t.
    i, f, g, o = gates[..., :H], gates[..., H:2 * H], gates[..., 2 * H:3 * H], gates[..., 3 * H:]
    P = np.empty((T, n, 4, H), dtype=dtype)  # filled in place: no temporaries
    Pi, Pf, Pg, Po = P[:, :, 0], P[:, :, 1], P[:, :, 2], P[:, :, 3]
    np.subtract(1, i, out=Pi)
    Pi *= i
    Pi *= g  # di: dc ⊙ g, times σ′(i)
    np.subtract(1, f, out=Pf)
    Pf *= f
    Pf[0] *= c0
    Pf[1:] *= c[:-1]  # df: dc ⊙ c_{t−1}, times σ′(f)
    np.multiply(g, g, out=Pg)
    np.subtract(1, Pg, out=Pg)
    Pg *= i  # dg: dc ⊙ i, times tanh′
    np.subtract(1, o, out=Po)
    Po *= o
    Po *= tc  # do: g_t ⊙ tanh c_t, times σ′(o)
    A = np.multiply(tc, tc)
    np.subtract(1, A, out=A)
    A *= o  # dc_t gains g_t ⊙ A_t
    dh_tm = dh.transpose(1, 0, 2)
    delta = np.empty((T, n, 4, H), dtype=dtype)
    WhT = np.ascontiguousarray(Wh.T)
    g_next = np.zeros((n, H), dtype=dtype)  # dJ/dh_t arriving from step t + 1
    dc = np.zeros((n, H), dtype=dtype) if dc_T is None else dc_T.astype(dtype)
    tmp = np.empty((n, H), dtype=dtype)
    for t in range(T - 1, -1, -1):
        g_next += dh_tm[t]  # the total gradient of h_t
        np.multiply(g_next, A[t], out=tmp)
        dc += tmp  # dc_t
        Pt, dt = P[t], delta[t]
        np.multiply(Pt[:, :3], dc[:, None], out=dt[:, :3])  # δ of i, f, g: dc_t times their factors
        np.multiply(Pt[:, 3], g_next, out=dt[:, 3])  # δ of o: g_t times its factor
        dc *= f[t]  # the cell path: dc_{t−1} = dc_t ⊙ f_t (+ the h path, added next step)
        np.matmul(delta[t].reshape(n, 4 * H), WhT, out=g_next)
    dh0, dc0 = g_next, dc
    d_rows = delta.reshape(T * n, 4 * H)
    x_rows = x.transpose(1, 0, 2).reshape(T * n, -1)
    dWx = x_rows.T @ d_rows
    dWh = h0.T @ d_rows[:n]
    if T > 1:
        dWh += h_tm[:-1].reshape(-1, H).T @ d_rows[n:]
    db = d_rows.sum(axis=0)
    dx = (d_rows @ Wx.T).reshape(T, n, -1).transpose(1, 0, 2)
    return dx, dh0, dc0, dWx, dWh, db


def lstm_step(
    x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray,
    Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(h_t, c_t) of one step: [i f g o] = x_t @ Wx + h_{t−1} @ Wh + b, c_t = f ⊙ c_{t−1} + i ⊙ g.

    ``x_t`` (N, D), ``h_prev``, ``c_prev`` (N, H); returns ``h_t``, ``c_t`` (N, H).
    Book: chapter 10, The LSTM cell.
    """
    x_t = as_float(x_t, "x_t")
    if x_t.ndim != 2:
        raise ValueError(f"x_t must be a 2-D array (N, D), got shape {x_t.shape}")
    h, cache = lstm_forward(x_t[:, None, :], h_prev, c_prev, Wx, Wh, b)
    return h[:, 0], cache["c"][:, 0]


def forget_gate_products(cache: dict[str, Any]) -> np.ndarray:
    """∏_{s=t+1}^{T} f_s, per sequence and unit: the cell path's ∂c_T/∂c_t = diag(∏ f_s).

    Along the additive path alone (h_{t−1} held fixed) ∂c_t/∂c_{t−1} = diag(f_t), so the
    product of these diagonal Jacobians from step t to T is elementwise.

    Returns
    -------
    ndarray, shape (N, T + 1, H)
        ``[:, t]`` is ∏_{s=t+1}^{T} f_s (``t = T`` gives ones; ``t = 0`` is c_0's factor).

    Notes
    -----
    Book: chapter 10, The constant error carousel.
    """
    f = cache["gates_tm"]
    H = cache["h_tm"].shape[2]
    f = f[..., H:2 * H]  # (T, N, H)
    T, n, _ = f.shape
    out = np.ones((T + 1, n, H), dtype=np.float64)
    for t in range(T - 1, -1, -1):
        out[t] = out[t + 1] * f[t]
    return out.transpose(1, 0, 2)
