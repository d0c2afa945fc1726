"""RNN forward + backpropagation through time: N=32, T=50, D=16, H=64, tanh.

nnbook: ``h, cache = rnn_forward(x, h0, Wx, Wh, b)`` then
``rnn_backward(dh, cache) -> (dx, dh0, dWx, dWh, db)`` for a fixed upstream ``dh``.
Two torch references doing the same work (same dtype, one thread, gradients of x, h0 and
every weight via ``torch.autograd.grad`` with the same ``dh``):

* ``nn.RNN`` (tanh, batch_first): torch's fused C++ loop over time; its two bias vectors
  ``b_ih + b_hh`` are one extra add per step (``b_hh`` is zero and its gradient is not asked
  for);
* a manual eager loop ``h_t = tanh(x_t Wx + h_{t−1} Wh + b)``, the formula the book writes,
  one autograd node per operation.

The aim (≤ 0.6× torch) is judged against ``nn.RNN``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

SHAPE = dict(n=32, t=50, d=16, h=64)


def make_inputs(n=32, t=50, d=16, h=64, dtype=np.float32, seed=0):
    """``x (n, t, d)``, ``h0 (n, h)``, ``Wx (d, h)``, ``Wh (h, h)``, ``b (h,)``, ``dh (n, t, h)``."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, t, d)).astype(dtype)
    h0 = (0.1 * rng.standard_normal((n, h))).astype(dtype)
    Wx = (rng.standard_normal((d, h)) / np.sqrt(d)).astype(dtype)
    Wh = (0.9 * rng.standard_normal((h, h)) / np.sqrt(h)).astype(dtype)
    b = (0.1 * rng.standard_normal(h)).astype(dtype)
    dh = rng.standard_normal((n, t, h)).astype(dtype)
    return x, h0, Wx, Wh, b, dh


def nnbook_fwd_bwd(x, h0, Wx, Wh, b, dh):
    """``(h, dx, dh0, dWx, dWh, db)`` from nnbook's ``rnn_forward`` and ``rnn_backward``."""
    from nnbook import rnn_backward, rnn_forward

    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    return (h, *rnn_backward(dh, cache))


def torch_rnn_fn(x, h0, Wx, Wh, b, dh) -> Callable[[], tuple]:
    """``nn.RNN`` with ``weight_ih = Wxᵀ``, ``weight_hh = Whᵀ``, ``bias_ih = b``, ``bias_hh = 0``.

    Returns ``(h, dx, dh0, dWx, dWh, db)`` in nnbook's layout (weights transposed back).
    """
    import torch

    dtype = torch.float64 if x.dtype == np.float64 else torch.float32
    d, hid = Wx.shape
    rnn = torch.nn.RNN(d, hid, nonlinearity="tanh", batch_first=True, dtype=dtype)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(np.ascontiguousarray(Wx.T)))
        rnn.weight_hh_l0.copy_(torch.from_numpy(np.ascontiguousarray(Wh.T)))
        rnn.bias_ih_l0.copy_(torch.from_numpy(b))
        rnn.bias_hh_l0.zero_()
    rnn.bias_hh_l0.requires_grad_(False)
    xt = torch.from_numpy(x.copy()).requires_grad_()
    h0t = torch.from_numpy(h0.copy())[None].requires_grad_()
    dht = torch.from_numpy(dh)
    wanted = (xt, h0t, rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0)

    def step():
        out, _ = rnn(xt, h0t)
        gx, gh0, gwi, gwh, gb = torch.autograd.grad(out, wanted, dht)
        return out.detach(), gx, gh0[0], gwi.T, gwh.T, gb

    return step


def torch_manual_fn(x, h0, Wx, Wh, b, dh) -> Callable[[], tuple]:
    """The book's recurrence as an eager torch loop; returns ``(h, dx, dh0, dWx, dWh, db)``."""
    import torch

    xt = torch.from_numpy(x.copy()).requires_grad_()
    h0t, Wxt, Wht, bt = (torch.from_numpy(a.copy()).requires_grad_() for a in (h0, Wx, Wh, b))
    dht = torch.from_numpy(dh)

    def step():
        h, hs = h0t, []
        for t in range(xt.shape[1]):
            h = torch.tanh(xt[:, t] @ Wxt + h @ Wht + bt)
            hs.append(h)
        out = torch.stack(hs, dim=1)
        return (out.detach(), *torch.autograd.grad(out, (xt, h0t, Wxt, Wht, bt), dht))

    return step


def run(repeats: int = 7, min_time: float = 0.1, dtypes=(np.float32, np.float64)) -> list:
    from ._report import Row
    from ._timing import interleaved, torch_available

    has_torch = torch_available()
    rows = []
    for dtype in dtypes:
        tag = np.dtype(dtype).name
        args = make_inputs(dtype=dtype)
        cases = {"nnbook": lambda: nnbook_fwd_bwd(*args)}
        if has_torch:
            cases["torch nn.RNN"] = torch_rnn_fn(*args)
            cases["torch loop"] = torch_manual_fn(*args)
        med = {k: v.median for k, v in interleaved(cases, repeats=repeats, min_time=min_time).items()}
        name = f"RNN fwd+BPTT N=32 T=50 D=16 H=64, tanh ({tag})"
        if has_torch:
            rows.append(Row("rnn", name, med["nnbook"], "torch nn.RNN + autograd.grad", med["torch nn.RNN"], aim_ratio=0.6))
            rows.append(Row("rnn", name, med["nnbook"], "torch manual eager loop (same formula)", med["torch loop"], aim_ratio=0.6))
        else:
            rows.append(Row("rnn", name, med["nnbook"], note="torch not installed"))
    return rows
