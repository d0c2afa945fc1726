"""conv2d forward + backward: N=32, C=3, 32×32 images, 16 filters 3×3, padding 1.

nnbook: ``conv2d_forward`` then ``conv2d_backward`` with a fixed upstream gradient ``dout``
(gradients of x, w and b). torch: ``F.conv2d`` and ``torch.autograd.grad`` of the output
with the same ``dout`` with respect to x, w and b: the same three gradients, same dtype,
one thread (torch uses its oneDNN/im2col CPU kernels). The matmul floor is the three
products im2col needs (forward, dw, dcols) on precomputed column matrices, timed with NumPy.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

SHAPE = dict(n=32, c=3, hw=32, f=16, k=3, padding=1)


def make_inputs(n=32, c=3, hw=32, f=16, k=3, padding=1, dtype=np.float32, seed=0):
    """``x (n, c, hw, hw)``, ``w (f, c, k, k)``, ``b (f,)`` and ``dout`` of the output's shape."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, hw, hw)).astype(dtype)
    w = (rng.standard_normal((f, c, k, k)) / np.sqrt(c * k * k)).astype(dtype)
    b = rng.standard_normal(f).astype(dtype)
    o = hw + 2 * padding - k + 1
    dout = rng.standard_normal((n, f, o, o)).astype(dtype)
    return x, w, b, dout


def nnbook_fwd_bwd(x, w, b, dout, padding=1):
    """``out, cache = conv2d_forward(...)``; ``(dx, dw, db) = conv2d_backward(dout, cache)``."""
    from nnbook import conv2d_backward, conv2d_forward

    out, cache = conv2d_forward(x, w, b, stride=1, padding=padding)
    return (out, *conv2d_backward(dout, cache))


def torch_fwd_bwd_fn(x, w, b, dout, padding=1) -> Callable[[], tuple]:
    """torch's forward and the gradients of ``⟨out, dout⟩`` for x, w, b."""
    import torch
    import torch.nn.functional as F

    xt, wt, bt = (torch.from_numpy(a.copy()).requires_grad_() for a in (x, w, b))
    dt = torch.from_numpy(dout)

    def step():
        out = F.conv2d(xt, wt, bt, padding=padding)
        return (out.detach(), *torch.autograd.grad(out, (xt, wt, bt), dt))

    return step


def matmul_floor(x, w, padding=1) -> Callable[[], None]:
    """The three im2col products alone: ``w_rows @ cols``, ``dout @ colsᵀ``, ``w_rowsᵀ @ dout``."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    p = (h + 2 * padding - kh + 1) * (wd + 2 * padding - kw + 1)
    rng = np.random.default_rng(1)
    cols = rng.standard_normal((n, c * kh * kw, p)).astype(x.dtype)
    d3 = rng.standard_normal((n, f, p)).astype(x.dtype)
    w_rows = w.reshape(f, -1)

    def floor():
        w_rows @ cols
        d3 @ cols.transpose(0, 2, 1)
        w_rows.T @ d3

    return floor


def run(repeats: int = 7, min_time: float = 0.1, dtypes=(np.float32, np.float64)) -> list:
    from ._report import Row
    from ._timing import interleaved, torch_available

    has_torch = torch_available()
    rows = []
    for dtype in dtypes:
        tag = np.dtype(dtype).name
        x, w, b, dout = make_inputs(dtype=dtype)
        cases = {
            "nnbook": lambda: nnbook_fwd_bwd(x, w, b, dout),
            "floor": matmul_floor(x, w),
        }
        if has_torch:
            cases["torch"] = torch_fwd_bwd_fn(x, w, b, dout)
        med = {k: v.median for k, v in interleaved(cases, repeats=repeats, min_time=min_time).items()}
        name = f"conv2d fwd+bwd N=32 C=3 32×32, 16 3×3 filters, pad 1 ({tag})"
        if has_torch:
            rows.append(Row("conv", name, med["nnbook"], "torch F.conv2d + autograd.grad", med["torch"], aim_ratio=1.5))
        else:
            rows.append(Row("conv", name, med["nnbook"], note="torch not installed"))
        rows.append(Row("conv", name, med["nnbook"], "matmul floor (3 im2col products, for scale)", med["floor"]))
    return rows
