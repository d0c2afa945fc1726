"""LSTM forward + backpropagation through time: N=32, T=50, D=16, H=64.

nnbook: ``h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)`` then
``lstm_backward(dh, cache) -> (dx, dh0, dc0, dWx, dWh, db)`` for a fixed upstream ``dh``.
Reference: torch's ``nn.LSTM`` (batch_first, ``weight_ih = Wxᵀ``, ``weight_hh = Whᵀ``,
``bias_ih = b``, ``bias_hh = 0`` and not differentiated) with ``torch.autograd.grad`` of
x, h0, c0 and the weights for the same ``dh``; same dtype, one thread. Aim: ≤ 1.0×.

For float32 torch runs the whole recurrence in oneDNN's fused LSTM kernel (when built with
it); a second row times the same ``nn.LSTM`` with oneDNN switched off
(``torch.backends.mkldnn.flags(enabled=False)``: ATen's loop of per-step operations, the
path float64 always takes), which is the like-for-like comparison with a NumPy loop.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

SHAPE = dict(n=32, t=50, d=16, h=64)


def make_inputs(n=32, t=50, d=16, h=64, dtype=np.float32, seed=0):
    """``x (n, t, d)``, ``h0``, ``c0 (n, h)``, ``Wx (d, 4h)``, ``Wh (h, 4h)``, ``b (4h,)``, ``dh (n, t, h)``."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, t, d)).astype(dtype)
    h0 = (0.1 * rng.standard_normal((n, h))).astype(dtype)
    c0 = (0.1 * rng.standard_normal((n, h))).astype(dtype)
    Wx = (rng.standard_normal((d, 4 * h)) / np.sqrt(d)).astype(dtype)
    Wh = (rng.standard_normal((h, 4 * h)) / np.sqrt(h)).astype(dtype)
    b = (0.1 * rng.standard_normal(4 * h)).astype(dtype)
    dh = rng.standard_normal((n, t, h)).astype(dtype)
    return x, h0, c0, Wx, Wh, b, dh


def nnbook_fwd_bwd(x, h0, c0, Wx, Wh, b, dh):
    """``(h, dx, dh0, dc0, dWx, dWh, db)`` from nnbook's ``lstm_forward`` and ``lstm_backward``."""
    from nnbook.lstm import lstm_backward, lstm_forward

    h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    return (h, *lstm_backward(dh, cache))


def torch_lstm_fn(x, h0, c0, Wx, Wh, b, dh, onednn: bool = True) -> Callable[[], tuple]:
    """``nn.LSTM`` with nnbook's weights; returns ``(h, dx, dh0, dc0, dWx, dWh, db)`` in nnbook's layout."""
    import torch

    dtype = torch.float64 if x.dtype == np.float64 else torch.float32
    d, four_h = Wx.shape
    lstm = torch.nn.LSTM(d, four_h // 4, batch_first=True, dtype=dtype)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.from_numpy(np.ascontiguousarray(Wx.T)))
        lstm.weight_hh_l0.copy_(torch.from_numpy(np.ascontiguousarray(Wh.T)))
        lstm.bias_ih_l0.copy_(torch.from_numpy(b))
        lstm.bias_hh_l0.zero_()
    lstm.bias_hh_l0.requires_grad_(False)
    xt = torch.from_numpy(x.copy()).requires_grad_()
    h0t = torch.from_numpy(h0.copy())[None].requires_grad_()
    c0t = torch.from_numpy(c0.copy())[None].requires_grad_()
    dht = torch.from_numpy(dh)
    wanted = (xt, h0t, c0t, lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0)

    def step():
        with torch.backends.mkldnn.flags(enabled=onednn):
            out, _ = lstm(xt, (h0t, c0t))
            gx, gh0, gc0, gwi, gwh, gb = torch.autograd.grad(out, wanted, dht)
        return out.detach(), gx, gh0[0], gc0[0], gwi.T, gwh.T, gb

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
            cases["torch nn.LSTM"] = torch_lstm_fn(*args)
            cases["torch no oneDNN"] = torch_lstm_fn(*args, onednn=False)
        med = {k: v.median for k, v in interleaved(cases, repeats=repeats, min_time=min_time).items()}
        name = f"LSTM fwd+BPTT N=32 T=50 D=16 H=64 ({tag})"
        if has_torch:
            rows.append(Row("lstm", name, med["nnbook"], "torch nn.LSTM + autograd.grad",
                            med["torch nn.LSTM"], aim_ratio=1.0))
            rows.append(Row("lstm", name, med["nnbook"], "torch nn.LSTM, oneDNN off (ATen loop)",
                            med["torch no oneDNN"], aim_ratio=1.0))
        else:
            rows.append(Row("lstm", name, med["nnbook"], note="torch not installed"))
    return rows

